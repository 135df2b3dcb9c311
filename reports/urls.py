from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("packs/new/", views.pack_create_view, name="pack_create"),
    path("packs/<int:pk>/", views.pack_detail, name="pack_detail"),
    path("packs/<int:pk>/edit/", views.pack_edit, name="pack_edit"),
    path("packs/<int:pk>/pdf/", views.pack_build, name="pack_build"),
    path(
        "packs/<int:pk>/pdf/<int:build_pk>/",
        views.pack_build_download,
        name="pack_build_download",
    ),
    path("packs/<int:pk>/builds/<uuid:job_id>/", views.pack_job, name="pack_job"),
    path(
        "packs/<int:pk>/builds/<uuid:job_id>/status.json",
        views.pack_job_status,
        name="pack_job_status",
    ),
    path("packs/<int:pk>/final/", views.pack_finalise, name="pack_finalise"),
    path("packs/<int:pk>/correction/", views.pack_correction, name="pack_correction"),
    path(
        "packs/<int:pk>/versions/<int:number>/<str:kind>/",
        views.pack_version_download,
        name="pack_version_download",
    ),
    path("packs/<int:pk>/tables.xlsx", views.pack_export, name="pack_export"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("portfolio/edit/", views.portfolio_edit, name="portfolio_edit"),
    path("national-conditions/", views.conditions_edit, name="conditions"),
    path("return/", views.return_detail, name="return"),
    path("return/edit/", views.return_edit, name="return_edit"),
    path("return/return.xlsx", views.return_download, name="return_download"),
]
