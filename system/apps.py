from django.apps import AppConfig


class SystemConfig(AppConfig):
    """The system view: the areas a person holds side by side for a quarter (issue 15). It
    reads what schemes, metrics and finance compute for each area, and computes nothing."""

    name = "system"
    verbose_name = "System view"
    url_prefix = "system/"
    navigation = ("System view", "system:index")
