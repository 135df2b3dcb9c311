"""The system view: the quarter of every area the person holds, side by side."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from bettercare.periods import Quarter
from bettercare.pickers import pick_period
from bettercare.selectors import reportable_quarters
from bettercare.views import area_required

from .selectors import system_view


@require_GET
@area_required
def index(request: HttpRequest) -> HttpResponse:
    """The quarter the current area is reporting."""
    return redirect("system:quarter", quarter=request.area.reporting_quarter())


@require_GET
@area_required
def quarter_view(request: HttpRequest, quarter: Quarter) -> HttpResponse:
    quarters = reportable_quarters(area=request.area)
    if quarter not in quarters:
        quarters = sorted({*quarters, quarter}, reverse=True)
    chosen, picker = pick_period(
        request, name="quarter", label="Quarter", periods=quarters, default=quarter
    )
    if chosen is not None and chosen != quarter:
        return redirect("system:quarter", quarter=chosen)
    view = system_view(user=request.user, areas=request.areas, quarter=quarter)
    return render(
        request,
        "system/quarter.html",
        {"view": view, "quarter": quarter, "picker": picker},
        status=200 if view.columns else 403,
    )
