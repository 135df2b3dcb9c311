"""Every write to schemes' quarterly highlight reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from bettercare.funding import FundingLine, SchemeFunding
from bettercare.models import Area, Scheme
from bettercare.money import parse_money
from bettercare.periods import Quarter
from bettercare.permissions import require

from . import permissions, workflow
from .models import (
    AssociatedContract,
    BcfAim,
    FinancialLine,
    HighlightReport,
    HighlightReportEvent,
    KeyDevelopment,
    KeyDevelopmentAim,
    PerformanceIndicator,
    Risk,
)
from .selectors import Missing, highlight_report_missing_sections
from .workflow import BOARD_STEPS, EDITABLE, Action, Status, board_date_problems

# --- Highlight reports -----------------------------------------------------------------------


class ReportError(Exception):
    """A write to a highlight report that cannot be made; the message is for people."""


class ReportStale(ReportError):
    """Someone else saved the report after the form being saved was opened."""

    def __init__(self, current: HighlightReport):
        self.current = current
        who = _person(current.updated_by) if current.updated_by else "Someone else"
        super().__init__(
            f"{who} saved this report at "
            f"{timezone.localtime(current.updated):%H:%M on %d %B %Y}, after you opened it. "
            "Your changes have not been saved."
        )


class ReportIncomplete(ReportError):
    """A report submitted with required sections empty."""

    def __init__(self, missing: list[Missing]):
        self.missing = missing
        super().__init__(
            "The report cannot be submitted until these sections are filled in: "
            + "; ".join(item.label for item in missing)
            + "."
        )


class BoardDatesRefused(ReportError):
    def __init__(self, problems: dict[Action, str]):
        self.problems = problems
        super().__init__(" ".join(problems.values()))


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


def _check_may_write(user, report: HighlightReport) -> None:
    require(
        permissions.may_write_report(user, report),
        "Only the scheme's lead can change its highlight report.",
    )


def _person(user) -> str:
    return user.get_full_name() or user.username


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
        report_author=_person(user),
        aims=scheme.aims,
        created=at,
        updated=at,
        updated_by=user,
        status_changed=at,
        status_changed_by=user,
    )
    report.full_clean()
    report.save()
    _event(report=report, action=Action.START, from_status="", user=user, at=at)
    return report


@transaction.atomic
def highlight_report_record_paper(
    *,
    scheme: Scheme,
    quarter: Quarter,
    user,
    content: ReportContent,
    board_dates: Mapping[Action, dt.date],
    today: dt.date | None = None,
    at: dt.datetime | None = None,
) -> HighlightReport:
    """Enter a report that was written, accepted and taken to the boards on paper before the
    service was used: its text and rows as written, then each board date as its own step.

    For analysts bringing in past quarters (the demo's 2017/18 Quarter 4 reports are such).
    The board dates follow the same rules as any others."""
    require(
        permissions.may_record_paper_report(user, scheme),
        "Only an analyst can record a paper report.",
    )
    if HighlightReport.objects.filter(scheme=scheme, quarter=quarter).exists():
        raise ReportError(f"{scheme} already has a report for {quarter.short_label}.")
    problems = board_date_problems(
        quarter_end=quarter.end,
        today=today or timezone.localdate(),
        recorded={},
        proposed=board_dates,
    )
    if problems:
        raise BoardDatesRefused(problems)
    at = at or timezone.now()
    # Each board step is dated as the board took it (end of the working day), never earlier
    # than the report was recorded.
    taken = {
        action: max(at, timezone.make_aware(dt.datetime.combine(date, dt.time(17))))
        for action, date in board_dates.items()
    }
    report = HighlightReport(
        scheme=scheme,
        quarter=quarter,
        status=workflow.status_after_board_dates(board_dates),
        host_organisation=scheme.host_label,
        created=at,
        updated=at,
        updated_by=user,
        status_changed=max(taken.values(), default=at),
        status_changed_by=user,
        **{BOARD_DATE_FIELDS[action]: date for action, date in board_dates.items()},
    )
    for name, value in content.fields.items():
        if name not in LEAD_FIELDS:
            raise ValueError(f"Not a field of the report's text: {name}")
        setattr(report, name, value)
    report.full_clean()
    rows = _rows_checked(content, area=scheme.area)
    report.save()
    _rows_write(report, rows)
    _event(
        report=report,
        action=Action.RECORD_PAPER,
        from_status="",
        user=user,
        at=at,
        comment="Accepted on paper before the service was used.",
        to_status=Status.ACCEPTED,
    )
    for action in BOARD_STEPS:
        if action in board_dates:
            HighlightReportEvent.objects.create(
                report=report,
                action=action,
                from_status="",
                to_status=STEPS_TARGET[action],
                actor=user,
                at=taken[action],
                board_date=board_dates[action],
            )
    return report


STEPS_TARGET = {action: workflow.STEPS[action].target for action in BOARD_STEPS}


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
    _check_may_write(user, report)
    unknown = set(content.fields) - set(LEAD_FIELDS)
    if unknown:
        raise ValueError(f"Not fields a scheme lead writes: {', '.join(sorted(unknown))}")
    for name, value in content.fields.items():
        setattr(report, name, value)
    report.full_clean(exclude=["version"])
    rows = _rows_checked(content, area=report.scheme.area)
    _claim_version(report, expected_version)
    report.updated, report.updated_by = at or timezone.now(), user
    report.save()
    _rows_write(report, rows)
    return report


def _rows_write(report: HighlightReport, rows: dict) -> None:
    """Replace every repeating table of the report with the checked rows, in order: one
    delete and one insert per table, and one insert for all the developments' aim tags."""
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


def _rows_checked(
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


def _claim_version(report: HighlightReport, expected_version: int) -> None:
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


@transaction.atomic
def highlight_report_financial_lines_set(
    *,
    report: HighlightReport,
    user,
    lines: Sequence[FundingLine],
    at: dt.datetime | None = None,
) -> HighlightReport:
    """Replace the report's Overall Financial Performance with these lines, each a partner's
    money from one source (`bettercare.funding.FundingLine`).

    This is where finance data prefills a report: the totals, shares and variances are then
    worked out from these lines like any others. Only while the report is editable; an edit
    page already open sees the change as someone else's save."""
    _check_may_write(user, report)
    partners = {partner.code: partner for partner in report.scheme.area.partners.all()}
    rows = []
    for position, line in enumerate(lines):
        if line.partner not in partners:
            raise ReportError(f"{line.partner} is not a partner of {report.scheme.area.name}.")
        row = FinancialLine(
            report=report,
            position=position,
            partner=partners[line.partner],
            source=line.source,
            annual_value=parse_money(line.annual_value),
            projected_spend=None
            if line.projected_spend is None
            else parse_money(line.projected_spend),
        )
        row.full_clean(exclude=["report"], validate_unique=False)
        rows.append(row)
    if len({(row.partner_id, row.source) for row in rows}) != len(rows):
        raise ReportError("Each funding source can have only one line.")
    _claim_version(report, report.version)
    report.updated, report.updated_by = at or timezone.now(), user
    report.save()
    FinancialLine.objects.filter(report=report).delete()
    FinancialLine.objects.bulk_create(rows)
    return report


def highlight_report_finance_prefill(
    *, report: HighlightReport, user, funding: SchemeFunding | None
) -> bool:
    """Fill the report's Overall Financial Performance with the scheme's funding lines as
    finance gives them (`bettercare.contributions.scheme_funding`): each partner's budget as its
    annual value and its latest forecast as the projected year end spend. False when there is
    nothing to fill in."""
    if funding is None or not funding.lines:
        return False
    highlight_report_financial_lines_set(report=report, user=user, lines=funding.lines)
    return True


def _event(
    *,
    report: HighlightReport,
    action: Action,
    from_status: str,
    user,
    at: dt.datetime,
    comment: str = "",
    board_date: dt.date | None = None,
    to_status: str = "",
) -> HighlightReportEvent:
    return HighlightReportEvent.objects.create(
        report=report,
        action=action,
        from_status=from_status,
        to_status=to_status or report.status,
        actor=user,
        at=at,
        comment=comment,
        board_date=board_date,
    )


def _take_step(
    *,
    report: HighlightReport,
    user,
    action: Action,
    at: dt.datetime | None,
    comment: str = "",
    board_date: dt.date | None = None,
) -> HighlightReport:
    """Check the step against the workflow, the person's role, permission and scope, then
    move the report on and record who took the step and when."""
    locked = (
        HighlightReport.objects.select_for_update().select_related("scheme__area").get(pk=report.pk)
    )
    step = permissions.step_allowed(user, locked, action)
    if not locked.is_current:
        raise ReportError("This is an earlier revision of the report: open the current one.")
    if step.needs_comment and not comment.strip():
        raise ReportError("Say why: a comment is needed for this step.")
    at = at or timezone.now()
    from_status = locked.status
    locked.status = step.target
    locked.status_changed, locked.status_changed_by = at, user
    locked.version += 1
    if step.needs_board_date:
        setattr(locked, BOARD_DATE_FIELDS[action], board_date)
    locked.full_clean()
    locked.save()
    _event(
        report=locked,
        action=action,
        from_status=from_status,
        user=user,
        at=at,
        comment=comment.strip(),
        board_date=board_date,
    )
    report.refresh_from_db()
    return report


BOARD_DATE_FIELDS = {
    Action.RECEIVE_BY_JCB: "received_by_jcb",
    Action.SIGN_OFF_BY_JCB: "signed_off_by_jcb",
    Action.RECEIVE_BY_HWB: "received_by_hwb",
}


@transaction.atomic
def highlight_report_submit(
    *, report: HighlightReport, user, at: dt.datetime | None = None
) -> HighlightReport:
    """The lead sends the report to the analysts; refused while required sections are empty."""
    permissions.step_allowed(
        user, report, Action.SUBMIT
    )  # who may submit is said before what is missing
    missing = highlight_report_missing_sections(report=report)
    if missing:
        raise ReportIncomplete(missing)
    return _take_step(report=report, user=user, action=Action.SUBMIT, at=at)


@transaction.atomic
def highlight_report_return(
    *, report: HighlightReport, user, comment: str, at: dt.datetime | None = None
) -> HighlightReport:
    """An analyst sends the report back to its lead, saying what to change."""
    return _take_step(report=report, user=user, action=Action.RETURN, comment=comment, at=at)


@transaction.atomic
def highlight_report_accept(
    *, report: HighlightReport, user, comment: str = "", at: dt.datetime | None = None
) -> HighlightReport:
    return _take_step(report=report, user=user, action=Action.ACCEPT, comment=comment, at=at)


@transaction.atomic
def highlight_report_board_dates_record(
    *,
    report: HighlightReport,
    user,
    dates: Mapping[Action, dt.date],
    today: dt.date | None = None,
    at: dt.datetime | None = None,
) -> HighlightReport:
    """Record the boards' steps for the dates given (any of received by the JCB, signed off by
    the JCB, received by the HWB), in that order, each as its own step in the history."""
    if not dates:
        raise BoardDatesRefused({Action.RECEIVE_BY_JCB: "Enter a board date to record."})
    recorded = {
        action: getattr(report, field)
        for action, field in BOARD_DATE_FIELDS.items()
        if getattr(report, field) is not None
    }
    problems = board_date_problems(
        quarter_end=report.quarter.end,
        today=today or timezone.localdate(),
        recorded=recorded,
        proposed=dates,
    )
    if problems:
        raise BoardDatesRefused(problems)
    for action in BOARD_STEPS:
        if action in dates:
            report = _take_step(
                report=report, user=user, action=action, board_date=dates[action], at=at
            )
    return report


@transaction.atomic
def highlight_report_correction_start(
    *, report: HighlightReport, user, reason: str, at: dt.datetime | None = None
) -> HighlightReport:
    """Open a new revision of a signed-off report, as a draft copy of it, for its lead to
    correct. The signed-off revision stays exactly as it was, and can still be read."""
    locked = HighlightReport.objects.select_for_update().select_related("scheme").get(pk=report.pk)
    permissions.step_allowed(user, locked, Action.START_CORRECTION)
    if not locked.is_current:
        raise ReportError("This is an earlier revision: corrections start from the current one.")
    if not reason.strip():
        raise ReportError("Give the reason for the correction.")
    at = at or timezone.now()
    locked.is_current = False
    locked.save(update_fields=["is_current"])
    revision = HighlightReport(
        scheme=locked.scheme,
        quarter=locked.quarter,
        revision=locked.revision + 1,
        correction_reason=reason.strip(),
        status=Status.DRAFT,
        host_organisation=locked.host_organisation,
        created=at,
        updated=at,
        updated_by=user,
        status_changed=at,
        status_changed_by=user,
        **{field: getattr(locked, field) for field in LEAD_FIELDS},
    )
    revision.full_clean()
    revision.save()
    for relation, model in ROW_MODELS.items():
        for row in getattr(locked, relation).all():
            aims = [tag.aim for tag in row.aim_tags.all()] if model is KeyDevelopment else []
            row.pk, row.report = None, revision
            row._state.adding = True
            row.save()
            KeyDevelopmentAim.objects.bulk_create(
                KeyDevelopmentAim(development=row, aim=aim) for aim in aims
            )
    _event(
        report=revision,
        action=Action.START_CORRECTION,
        from_status="",
        user=user,
        at=at,
        comment=reason.strip(),
    )
    return revision
