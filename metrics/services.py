"""Every write the metrics app makes: importing figures and marking SPC recalculation points."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bettercare.changes import model_update
from bettercare.models import Area
from bettercare.periods import Month
from bettercare.permissions import require

from . import permissions
from .catalogue import CATALOGUE, catalogue_fields
from .imports import METRIC_FILE
from .models import Metric, MetricSettings, SpcRecalculation
from .populations import POPULATION_FILE
from .spc import Options
from .writes import ImportResult


def metric_file_import(
    *,
    content: bytes,
    file_name: str,
    via: str,
    user=None,
    only_area: Area | None = None,
    illustrative: bool = False,
    description: str = "",
    expected_fingerprint: str | None = None,
    revision_reason: str = "",
    revision_effective: date | None = None,
) -> ImportResult:
    """Check the whole file and, only if every row is good, apply it in one transaction (the
    metrics file as `metrics.imports.MetricFile` declares it, through `bettercare.imports`).

    A file that changes plans already held records a plan revision for each metric and year it
    changes, taking effect on `revision_effective` (today if not given) for `revision_reason`.

    Raises `FileRefused` (listing every bad row) and writes nothing when any row is bad;
    `RevisionRefused` when it revises plans without a reason, after the revised year has ended
    or before a revision already recorded; `PreviewOutdated` when `expected_fingerprint` (from
    the preview) no longer matches what the file would change; PermissionDenied when the
    person may not import into an area the file names (the command line, given no user, may
    import into any)."""
    return METRIC_FILE.apply(
        content=content,
        file_name=file_name,
        user=user,
        only_area=only_area,
        expected_fingerprint=expected_fingerprint,
        via=via,
        illustrative=illustrative,
        description=description,
        revision_reason=revision_reason,
        revision_effective=revision_effective,
    )


def population_file_import(
    *,
    content: bytes,
    file_name: str,
    user=None,
    only_area: Area | None = None,
    illustrative: bool = False,
    expected_fingerprint: str | None = None,
):
    """Check a populations file whole and, only if every row is good and every year has each
    age group, write it in one transaction (see `metrics.populations`). Returns the plan
    applied (its counts say what changed); refuses as `metric_file_import` does."""
    return POPULATION_FILE.apply(
        content=content,
        file_name=file_name,
        user=user,
        only_area=only_area,
        expected_fingerprint=expected_fingerprint,
        illustrative=illustrative,
    )


@transaction.atomic
def metric_catalogue_ensure() -> int:
    """Add any catalogue metric the database lacks (as after a test database is flushed);
    metrics already there, edited or not, are left alone. Returns how many were added."""
    held = set(Metric.objects.values_list("code", flat=True))
    missing = [
        Metric(code=entry["code"], **catalogue_fields(order, entry))
        for order, entry in enumerate(CATALOGUE, start=1)
        if entry["code"] not in held
    ]
    Metric.objects.bulk_create(missing)
    added = {metric.code for metric in missing}
    for entry in CATALOGUE:
        if entry["code"] in added and entry.get("rate_of"):
            Metric.objects.filter(code=entry["code"]).update(
                rate_of=Metric.objects.get(code=entry["rate_of"])
            )
    return len(missing)


@transaction.atomic
def spc_recalculation_add(
    *, area: Area, metric: Metric, month: Month, reason: str, user
) -> SpcRecalculation:
    """Start a new SPC baseline for the metric from `month`; the reason is required."""
    require(
        user is None or permissions.may_mark_recalculations(user, area),
        "Only analysts can mark SPC recalculation points.",
    )
    reason = reason.strip()
    if not reason:
        raise ValidationError("Give the reason for the recalculation: it is shown on the chart.")
    recalculation = SpcRecalculation.objects.filter(
        area=area, metric=metric, month=month
    ).first() or SpcRecalculation(area=area, metric=metric, month=month)
    recalculation, _ = model_update(
        instance=recalculation,
        data={"reason": reason, "created_by": user, "created": timezone.now()},
        user=user,
    )
    return recalculation


@transaction.atomic
def spc_recalculation_remove(*, recalculation: SpcRecalculation, user=None) -> None:
    require(
        user is None or permissions.may_remove_recalculations(user, recalculation.area),
        "Only analysts can remove SPC recalculation points.",
    )
    recalculation.delete()


@transaction.atomic
def metric_settings_save(
    *,
    area: Area,
    metric: Metric,
    user,
    spc_baseline_points: int | None,
    spc_screen_moving_ranges: bool,
    commentary_leaves_out: list[str],
) -> MetricSettings:
    """Keep the analyst's choices for the metric in their area (with their history)."""
    require(
        user is None or permissions.may_change_settings(user, area),
        "Only analysts of the area can change a metric's settings.",
    )
    try:
        Options(baseline_points=spc_baseline_points)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    kinds = set(MetricSettings.Breakdown.values)
    unknown = sorted(set(commentary_leaves_out) - kinds)
    if unknown:
        raise ValidationError(f"There is no kind of breakdown called {', '.join(unknown)}.")
    settings, _ = MetricSettings.objects.update_or_create(
        area=area,
        metric=metric,
        defaults={
            "spc_baseline_points": spc_baseline_points,
            "spc_screen_moving_ranges": spc_screen_moving_ranges,
            "commentary_leaves_out": sorted(set(commentary_leaves_out)),
            "updated_by": user,
            "updated": timezone.now(),
        },
    )
    return settings
