from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from notifications.forms import SitePasswordResetForm

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("area/", views.area_choose, name="area_choose"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Password reset by e-mail: Django's views, the site's templates, a form that sends the
    # link (built from SITE_URL) through the notifications app like every other e-mail.
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(form_class=SitePasswordResetForm),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", include("notifications.urls")),
    path("schemes/", include("schemes.urls")),
    path("metrics/", include("metrics.urls")),
    path("finance/", include("finance.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
    path("assets/<path:path>", views.frontend_asset, name="frontend_asset"),
]

handler400 = "bettercare.views.bad_request"
handler403 = "bettercare.views.permission_denied"
handler404 = "bettercare.views.page_not_found"
