"""Every write the metrics app makes: importing figures and marking SPC recalculation points."""

from __future__ import annotations

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
from .models import Metric, SpcRecalculation
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
) -> ImportResult:
    """Check the whole file and, only if every row is good, apply it in one transaction (the
    metrics file as `metrics.imports.MetricFile` declares it, through `bettercare.imports`).

    Raises `FileRefused` (listing every bad row) and writes nothing when any row is bad;
    `PreviewOutdated` when `expected_fingerprint` (from the preview) no longer matches what the
    file would change; PermissionDenied when the person may not import into an area the file
    names (the command line, given no user, may import into any)."""
    return METRIC_FILE.apply(
        content=content,
        file_name=file_name,
        user=user,
        only_area=only_area,
        expected_fingerprint=expected_fingerprint,
        via=via,
        illustrative=illustrative,
        description=description,
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
