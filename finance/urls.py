from django.urls import path

from . import views

app_name = "finance"
urlpatterns = [
    path("", views.index, name="index"),
    path("position/", views.PositionView.as_view(), name="position"),
    path("pool/", views.pool, name="pool"),
    path("pool/<str:year>/edit/", views.pool_edit, name="pool_edit"),
    path("schemes/<int:number>/", views.scheme, name="scheme"),
    path("schemes/<int:number>/note/", views.scheme_note, name="scheme_note"),
    *views.FinanceImport().urlpatterns(),
]
