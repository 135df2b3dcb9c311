"""What every page's layout shows: the area, the user's role and the navigation."""

from __future__ import annotations

from django.urls import reverse

from .contributions import navigation
from .permissions import area_role
from .roles import primary_role


def site(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"service_name": "Better Care reporting"}
    current_app = getattr(getattr(request, "resolver_match", None), "app_name", "")
    area = getattr(request, "area", None)
    # The role held in the current area: the one that decides what this page offers.
    role = area_role(user, area) if area is not None else primary_role(user)
    if role is None and user.is_superuser:
        role = primary_role(user)
    return {
        "service_name": "Better Care reporting",
        "current_area": area,
        "user_areas": getattr(request, "areas", []),
        "user_role_label": role.label if role else "No role assigned",
        "navigation": [
            {"label": label, "url": reverse(url_name), "current": app == current_app}
            for app, label, url_name in navigation()
        ],
    }
