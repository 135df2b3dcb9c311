from django.urls import path

from . import views

app_name = "metrics"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="index"),
    *views.MetricsImport().urlpatterns(),
    *views.PopulationsImport().urlpatterns(),
    path("benchmark/", views.benchmark_page, name="benchmark"),
    path("<slug:code>/", views.metric_detail, name="metric"),
    path("<slug:code>/recalculations/", views.recalculation_add, name="recalculation_add"),
    path("<slug:code>/settings/", views.settings_save, name="settings_save"),
    path(
        "<slug:code>/recalculations/<int:pk>/remove/",
        views.recalculation_remove,
        name="recalculation_remove",
    ),
]
