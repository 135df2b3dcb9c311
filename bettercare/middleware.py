"""Which area a request is about."""

from __future__ import annotations

from .permissions import remember_areas
from .selectors import areas_for_user

SESSION_KEY = "bettercare_area"


class CurrentAreaMiddleware:
    """Sets `request.areas` (the areas the user belongs to) and `request.area` (the one chosen
    in this session, else the first). A user who belongs to no area gets `request.area = None`;
    views that need an area answer with a page explaining that (see `views.area_required`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.areas = []
        request.area = None
        if request.user.is_authenticated:
            request.areas = areas_for_user(request.user)
            remember_areas(request.user, request.areas)
            chosen = request.session.get(SESSION_KEY)
            request.area = next(
                (area for area in request.areas if area.code == chosen),
                request.areas[0] if request.areas else None,
            )
        return self.get_response(request)
