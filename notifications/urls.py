"""The account page, the area's e-mail log, and password reset by e-mail (Django's views in the
site's templates, the link sent and recorded through this app), at the site's root
(NotificationsConfig.url_prefix)."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .forms import SitePasswordResetForm

app_name = "notifications"
urlpatterns = [
    path("account/", views.account, name="account"),
    path("emails/", views.email_log, name="email_log"),
    path("emails/<int:pk>/send-again/", views.email_send_again, name="email_send_again"),
    # Django's views reverse their next page by name; in this namespace they are told it.
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=SitePasswordResetForm,
            success_url=reverse_lazy("notifications:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("notifications:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
