"""Password reset by e-mail: Django's views in the site's templates, the link sent (and
recorded) through this app. Included without a namespace: Django's views reverse these names
(`password_reset_done`, ...) as they are."""

from django.contrib.auth import views as auth_views
from django.urls import path

from .forms import SitePasswordResetForm

urlpatterns = [
    path(
        "",
        auth_views.PasswordResetView.as_view(form_class=SitePasswordResetForm),
        name="password_reset",
    ),
    path("sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
