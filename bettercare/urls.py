from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .contributions import url_prefixes

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
    path("admin/", admin.site.urls),
    path("assets/<path:path>", views.frontend_asset, name="frontend_asset"),
    # Each app's pages, at the prefix its AppConfig gives (see bettercare.contributions).
    *(path(prefix, include(f"{app}.urls")) for prefix, app in url_prefixes()),
]

handler400 = "bettercare.views.bad_request"
handler403 = "bettercare.views.permission_denied"
handler404 = "bettercare.views.page_not_found"
