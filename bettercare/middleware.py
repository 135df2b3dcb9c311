"""Which area a request is about."""

from __future__ import annotations

import logging

from django.db import IntegrityError, OperationalError
from django.shortcuts import render

from .permissions import remember_areas
from .selectors import areas_for_user

logger = logging.getLogger(__name__)

SESSION_KEY = "bettercare_area"
# The query parameter of a link that opens a page in another of the user's areas.
AREA_PARAMETER = "area"


class CurrentAreaMiddleware:
    """Sets `request.areas` (the areas the user belongs to) and `request.area` (the one chosen
    in this session, else the one they joined first). A user who belongs to no area gets
    `request.area = None`; views that need an area answer with a page explaining that (see
    `views.area_required`).

    A page opened with `?area=CODE` of one of the user's areas (a link of the system view)
    switches the session to that area first; the code of an area they do not hold changes
    nothing, so the page answers for their current area as it would without it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.areas = []
        request.area = None
        if request.user.is_authenticated:
            request.areas = areas_for_user(request.user)
            remember_areas(request.user, request.areas)
            chosen = request.session.get(SESSION_KEY)
            asked = request.GET.get(AREA_PARAMETER, "").strip().upper()
            switching = request.method in ("GET", "HEAD") and asked and asked != chosen
            if switching and any(area.code == asked for area in request.areas):
                request.session[SESSION_KEY] = chosen = asked
            # Until one is chosen, the area the person joined first: their home area.
            home = min(request.areas, key=lambda area: area.membership_order, default=None)
            request.area = next((area for area in request.areas if area.code == chosen), home)
        return self.get_response(request)


# Field names of forms that carry machinery, not what a person typed.
_NOT_TYPED = ("csrfmiddlewaretoken", "version", "fingerprint", "action", "add_row")
_MANAGEMENT = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")


def is_write_conflict(exception: BaseException) -> bool:
    """Whether the database refused a write because another one met it at the same moment:
    SQLite still locked after its busy timeout, PostgreSQL's serialization failures,
    deadlocks and lock timeouts, or a unique row that another request inserted first."""
    if isinstance(exception, OperationalError):
        text = str(exception).lower()
        if "database is locked" in text or "database table is locked" in text:
            return True
        return getattr(exception.__cause__, "sqlstate", None) in {"40001", "40P01", "55P03"}
    if isinstance(exception, IntegrityError):
        if getattr(exception.__cause__, "sqlstate", None) == "23505":
            return True
        return str(exception).startswith("UNIQUE constraint failed")
    return False


def typed_values(request) -> list[tuple[str, str]]:
    """What the person sent with the request that failed, so that the conflict page can give
    it back to them (nothing typed is lost). Passwords are never repeated."""
    if request.method != "POST":
        return []
    values = []
    for name, items in request.POST.lists():
        if name in _NOT_TYPED or name.endswith(_MANAGEMENT) or "password" in name.lower():
            continue
        for value in items:
            if value.strip():
                values.append((name, value))
    return values


class WriteConflictMiddleware:
    """A write that met another at the same moment and could not wait for it gets the app's
    conflict page (409) with what the person sent, instead of a server error. Forms that know
    their own conflicts (a report saved by someone else since it was opened) answer them
    themselves, with the form as it was typed; this is the net under every other write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_write_conflict(exception):
            return None
        logger.warning("Write conflict on %s %s: %s", request.method, request.path, exception)
        return render(
            request,
            "409.html",
            {"typed": typed_values(request), "back": request.get_full_path()},
            status=409,
        )


class RequestSizeLimitMiddleware:
    """Refuses a request body larger than an upload may be (UPLOAD_MAX_BYTES, with room for
    the form around the file) before anything reads it: Django spools uploaded files to disk
    whatever their size, and CSRF checking reads the body of every POST."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.UPLOAD_MAX_BYTES + 1024 * 1024
        if length > limit:
            request.upload_handlers = []  # nothing of the body is read or kept
            return render(
                request,
                "413.html",
                {"megabytes": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
                status=413,
            )
        return self.get_response(request)
