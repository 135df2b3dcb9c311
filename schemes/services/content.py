"""Starting a report and saving what its lead writes: the text and every repeating table,
each checked before anything is written, with the report's version claimed so that two saves
from the same version cannot both win."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from bettercare.models import Area, Scheme
from bettercare.periods import Quarter
from bettercare.permissions import require

from .. import permissions
from ..models import (
    AssociatedContract,
    BcfAim,
    FinancialLine,
    HighlightReport,
    KeyDevelopment,
    KeyDevelopmentAim,
    PerformanceIndicator,
    Risk,
)
from ..workflow import EDITABLE, Action, Status
from .errors import ReportError, ReportStale, person_name
from .steps import event_record


@dataclass(frozen=True)
class ReportContent:
    """What a scheme lead writes in a report: the single fields (by model field name) and the
    rows of each repeating table (dicts of model field names; a funding line's `partner` is the
    code of one of the scheme's area's partners, or None for an other source; key developments
    carry `aims`, a list of BcfAim values)."""

    fields: Mapping[str, Any]
    financial_lines: Sequence[Mapping[str, Any]] = ()
    key_developments: Sequence[Mapping[str, Any]] = ()
    indicators: Sequence[Mapping[str, Any]] = ()
    risks: Sequence[Mapping[str, Any]] = ()
    contracts: Sequence[Mapping[str, Any]] = ()


# The report fields a scheme lead writes; the rest come from the scheme or the workflow.
LEAD_FIELDS = (
    "pooled_budget_manager",
    "report_author",
    "report_date",
    "reasons_for_variance",
    "actions_on_variance",
    "savings_opportunities",
    "cost_pressures",
    "aims",
    "recommendations",
    "priorities",
)
ROW_MODELS = {
    "financial_lines": FinancialLine,
    "key_developments": KeyDevelopment,
    "indicators": PerformanceIndicator,
    "risks": Risk,
    "contracts": AssociatedContract,
}


def check_may_write(user, report: HighlightReport) -> None:
    require(
        permissions.may_write_report(user, report),
        "Only the scheme's lead can change its highlight report.",
    )


@transaction.atomic
def highlight_report_start(
    *, scheme: Scheme, quarter: Quarter, user, at: dt.datetime | None = None
) -> HighlightReport:
    """A new draft report for the scheme and quarter, its header and aims filled in from the
    scheme. Finance figures are added with `highlight_report_financial_lines_set`."""
    require(
        permissions.may_start_report(user, scheme),
        "Only the scheme's lead can start its highlight report.",
    )
    if not scheme.is_active_in(quarter.year):
        raise ReportError(f"{scheme} is not a scheme in {quarter.year.label}.")
    if quarter > scheme.area.reporting_quarter():
        raise ReportError(
            f"{quarter.short_label} has not been reached yet: reports are written for "
            f"{scheme.area.reporting_quarter().short_label} and earlier quarters."
        )
    if HighlightReport.objects.filter(scheme=scheme, quarter=quarter).exists():
        raise ReportError(f"{scheme} already has a report for {quarter.short_label}.")
    at = at or timezone.now()
    report = HighlightReport(
        scheme=scheme,
        quarter=quarter,
        status=Status.DRAFT,
        host_organisation=scheme.host_label,
        pooled_budget_manager=scheme.pooled_budget_manager,
        report_author=person_name(user),
        aims=scheme.aims,
        created=at,
        updated=at,
        updated_by=user,
        status_changed=at,
        status_changed_by=user,
    )
    report.full_clean()
    report.save()
    event_record(report=report, action=Action.START, from_status="", user=user, at=at)
    return report


@transaction.atomic
def highlight_report_save(
    *,
    report: HighlightReport,
    user,
    expected_version: int,
    content: ReportContent,
    at: dt.datetime | None = None,
) -> HighlightReport:
    """Save what the lead wrote, replacing every repeating table with the rows given.

    Refused (ReportStale) when the report was saved by anyone since `expected_version` was
    read, and (ReportError) once the report has left Draft or Returned."""
    check_may_write(user, report)
    unknown = set(content.fields) - set(LEAD_FIELDS)
    if unknown:
        raise ValueError(f"Not fields a scheme lead writes: {', '.join(sorted(unknown))}")
    for name, value in content.fields.items():
        setattr(report, name, value)
    report.full_clean(exclude=["version"])
    rows = rows_checked(content, area=report.scheme.area)
    version_claim(report, expected_version)
    report.updated, report.updated_by = at or timezone.now(), user
    report.save()
    rows_write(report, rows)
    return report


def rows_write(report: HighlightReport, rows: dict) -> None:
    """Replace every repeating table of the report with the checked rows, in order: one
    delete and one insert per table, and one insert for all the developments' aim tags."""
    # The rows read with the report (prefetched) are no longer its rows: forget them, so that
    # nothing goes on judging the report by the rows it had before (a first "Save and submit"
    # once found no rows in a report whose rows it had just written).
    getattr(report, "_prefetched_objects_cache", {}).clear()
    tags = []
    for relation, model in ROW_MODELS.items():
        model.objects.filter(report=report).delete()
        instances = []
        for position, (instance, _) in enumerate(rows[relation]):
            instance.report, instance.position = report, position
            instances.append(instance)
        # Key developments need their ids back for their tags (PostgreSQL and SQLite 3.35+
        # return them from a bulk insert).
        model.objects.bulk_create(instances)
        tags.extend(
            KeyDevelopmentAim(development=instance, aim=aim)
            for instance, aims in rows[relation]
            for aim in aims
        )
    KeyDevelopmentAim.objects.bulk_create(tags)


def rows_checked(
    content: ReportContent, *, area: Area
) -> dict[str, list[tuple[models.Model, list[str]]]]:
    """Model instances for every row, each validated before anything is written."""
    partners = {partner.code: partner for partner in area.partners.all()}
    rows: dict[str, list[tuple[models.Model, list[str]]]] = {}
    for relation, model in ROW_MODELS.items():
        rows[relation] = []
        for values in getattr(content, relation):
            values = dict(values)
            if relation == "financial_lines" and values.get("partner") is not None:
                if values["partner"] not in partners:
                    raise ReportError(f"{values['partner']} is not a partner of {area.name}.")
                values["partner"] = partners[values["partner"]]
            aims = sorted(set(values.pop("aims", []) or []))
            for aim in aims:
                BcfAim(aim)  # ValueError for a tag that is not one of the five aims
            instance = model(**values)
            instance.full_clean(exclude=["report"], validate_unique=False)
            rows[relation].append((instance, aims))
    sources = [
        (line.partner_id, line.source, line.other_source.strip().lower())
        for line, _ in rows["financial_lines"]
    ]
    if len(sources) != len(set(sources)):
        raise ReportError("Each funding source can have only one line.")
    return rows


def version_claim(report: HighlightReport, expected_version: int) -> None:
    """Move the report on to the next version if it is still at `expected_version` and
    editable: one conditional UPDATE, so two saves from the same version cannot both win."""
    claimed = HighlightReport.objects.filter(
        pk=report.pk, version=expected_version, status__in=list(EDITABLE)
    ).update(version=F("version") + 1)
    if not claimed:
        current = HighlightReport.objects.select_related("updated_by").get(pk=report.pk)
        if current.status not in EDITABLE:
            raise ReportError(
                f"This report is “{current.status_label}”: it can no longer be changed."
            )
        raise ReportStale(current)
    report.version = expected_version + 1
