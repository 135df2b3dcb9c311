from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

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
    # Password reset by e-mail, and the account page: the notifications app's.
    path("accounts/password/reset/", include("notifications.password_urls")),
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
