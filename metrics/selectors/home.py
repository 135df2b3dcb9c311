"""What the metrics ask of each person on their home page this quarter."""

from __future__ import annotations

from django.urls import reverse

from bettercare.models import Area
from bettercare.periods import Quarter
from bettercare.selectors import Task

from .. import permissions
from .data_month import complete_data_month


def home_tasks(*, user, area: Area, quarter: Quarter) -> list[Task]:
    """Analysts load the monthly figures the quarter's report needs (hospital data lags a
    month, so a quarter's report runs to its second month); board secretaries see whether the
    figures are in."""
    loads = permissions.may_import_metrics(user, area)
    if not (loads or permissions.waits_for_the_figures(user, area)):
        return []
    needed = quarter.last_month.previous()
    data = complete_data_month(area=area, up_to=quarter.last_month)
    latest = data.month
    loaded = (
        f"Every monthly metric is loaded up to {latest.data_label}."
        if latest
        else "No figures yet."
    )
    if data.later:
        loaded += f" {data.later_words}"
    done = latest is not None and latest >= needed
    if loads:
        return [
            Task(
                title=f"Monthly metrics for {quarter.short_label}",
                detail=loaded
                + ("" if done else f" The report needs them up to {needed.data_label}."),
                url=reverse("metrics:import") if not done else reverse("metrics:index"),
                status="done" if done else "todo",
            )
        ]
    return [
        Task(
            title=f"Metrics for the {quarter.short_label} pack",
            detail=loaded,
            url=reverse("metrics:index"),
            status="done" if done else "waiting",
        )
    ]
