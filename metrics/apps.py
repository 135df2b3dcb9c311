from django.apps import AppConfig


class MetricsConfig(AppConfig):
    verbose_name = "Metrics"
    name = "metrics"
