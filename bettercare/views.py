"""The home page, choosing an area, and the pages every site needs."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from .middleware import SESSION_KEY
from .selectors import area_get_for_user, home_tasks


def area_required(view):
    """For views that show an area's data: a user who belongs to no area is told so plainly
    (with a 403 status) instead of seeing an empty or broken page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if request.area is None:
            return render(request, "bettercare/no_area.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


class AreaRequiredMixin:
    """The class-based form of `area_required`."""

    def dispatch(self, request, *args, **kwargs):
        if request.area is None:
            return render(request, "bettercare/no_area.html", status=403)
        return super().dispatch(request, *args, **kwargs)


@require_GET
@area_required
def home(request: HttpRequest) -> HttpResponse:
    quarter = request.area.reporting_quarter()
    return render(
        request,
        "bettercare/home.html",
        {
            "quarter": quarter,
            "tasks": home_tasks(user=request.user, area=request.area, quarter=quarter),
        },
    )


@require_POST
def area_choose(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("area", "")
    area = area_get_for_user(user=request.user, code=code)
    if area is None:
        raise Http404(f"There is no area with the code “{code}” among your areas.")
    request.session[SESSION_KEY] = area.code
    target = request.POST.get("next", "")
    # Only a path of this site: anything else (another site, or text that is no path, which
    # redirect() would try to read as a view's name) goes home.
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("home")
    return HttpResponseRedirect(target)


@login_not_required
@require_GET
def frontend_asset(request: HttpRequest, path: str) -> HttpResponse:
    """NHS.UK frontend's stylesheet asks for icons at /assets/...; they are served, like every
    static file, from the static files the package provides."""
    if ".." in path or path.startswith("/"):
        raise Http404("No such asset.")
    try:
        url = static(f"nhsuk/assets/{path}")
    except ValueError as error:  # not in the static files manifest
        raise Http404("No such asset.") from error
    return HttpResponseRedirect(url)


def _user_message(exception) -> str:
    """The exception's message when a view wrote one for people (Http404("There is no area
    ..."), PermissionDenied("...")); Django's own technical messages are not shown."""
    if not exception or not exception.args or not isinstance(exception.args[0], str):
        return ""
    message = exception.args[0]
    return "" if "matches the given query" in message else message


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", {"message": _user_message(exception)}, status=404)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", {"message": _user_message(exception)}, status=403)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "400.html", status=400)
