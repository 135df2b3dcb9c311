"""Every write to schemes, their leads and their quarterly highlight reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from bettercare.models import Area, Partner
from bettercare.money import parse_money
from bettercare.periods import FinancialYear, Quarter
from bettercare.roles import user_roles
from bettercare.selectors import user_is_member
from bettercare.services import area_membership_add

from . import workflow
from .models import (
    AssociatedContract,
    BcfAim,
    FinancialLine,
    FundingSource,
    HighlightReport,
    HighlightReportEvent,
    KeyDevelopment,
    KeyDevelopmentAim,
    PerformanceIndicator,
    Risk,
    Scheme,
)
from .notices import report_step_notify
from .selectors import Missing, highlight_report_missing_sections
from .workflow import BOARD_STEPS, EDITABLE, Action, Status, board_date_problems, step_for


@transaction.atomic
def scheme_save(
    *,
    area: Area,
    number: int,
    name: str,
    host: Partner | None,
    first_year: FinancialYear,
    last_year: FinancialYear | None = None,
    short_name: str = "",
    pooled_budget_manager: str = "",
    aims: str | None = None,
) -> Scheme:
    """Create scheme `number` of the area or bring it up to date. A scheme with no host is one
    whose budgets are not pooled. `aims=None` keeps the aims the scheme already has."""
    defaults = {
        "name": name,
        "short_name": short_name,
        "host": host,
        "pooled": host is not None,
        "pooled_budget_manager": pooled_budget_manager,
        "first_year": first_year,
        "last_year": last_year or "",
    }
    if aims is not None:
        defaults["aims"] = aims
    scheme = Scheme.objects.filter(area=area, number=number).first() or Scheme(
        area=area, number=number
    )
    for field, value in defaults.items():
        setattr(scheme, field, value)
    scheme.full_clean()
    scheme.save()
    return scheme


@transaction.atomic
def scheme_lead_assign(*, scheme: Scheme, user) -> None:
    """Make `user` a lead of the scheme; a lead must belong to the scheme's area."""
    area_membership_add(user=user, area=scheme.area)
    scheme.leads.add(user)


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
    rows of each repeating table (dicts of model field names; key developments carry `aims`,
    a list of BcfAim values)."""

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


def _roles(user) -> set[str]:
    return {role.value for role in user_roles(user)}


def _leads(user, scheme: Scheme) -> bool:
    return scheme.leads.filter(pk=user.pk).exists()


def _check_may_write(user, report: HighlightReport) -> None:
    if not (
        user.has_perm("schemes.change_highlightreport")
        and user_is_member(user=user, area=report.scheme.area)
        and _leads(user, report.scheme)
    ):
        raise PermissionDenied("Only the scheme's lead can change its highlight report.")


def _person(user) -> str:
    return user.get_full_name() or user.username


@transaction.atomic
def highlight_report_start(
    *, scheme: Scheme, quarter: Quarter, user, at: dt.datetime | None = None
) -> HighlightReport:
    """A new draft report for the scheme and quarter, its header and aims filled in from the
    scheme. Finance figures are added with `highlight_report_financial_lines_set`."""
    if not (
        user.has_perm("schemes.add_highlightreport")
        and user_is_member(user=user, area=scheme.area)
        and _leads(user, scheme)
    ):
        raise PermissionDenied("Only the scheme's lead can start its highlight report.")
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
    if not (
        user.has_perm(f"schemes.{workflow.RECORD_PAPER_PERMISSION}")
        and workflow.RECORD_PAPER_ROLE in _roles(user)
        and user_is_member(user=user, area=scheme.area)
    ):
        raise PermissionDenied("Only an analyst can record a paper report.")
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
    rows = _rows_checked(content)
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
    rows = _rows_checked(content)
    _claim_version(report, expected_version)
    report.updated, report.updated_by = at or timezone.now(), user
    report.save()
    _rows_write(report, rows)
    return report


def _rows_write(report: HighlightReport, rows: dict) -> None:
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


def _rows_checked(content: ReportContent) -> dict[str, list[tuple[models.Model, list[str]]]]:
    """Model instances for every row, each validated before anything is written."""
    rows: dict[str, list[tuple[models.Model, list[str]]]] = {}
    for relation, model in ROW_MODELS.items():
        rows[relation] = []
        for values in getattr(content, relation):
            values = dict(values)
            aims = sorted(set(values.pop("aims", []) or []))
            for aim in aims:
                BcfAim(aim)  # ValueError for a tag that is not one of the five aims
            instance = model(**values)
            instance.full_clean(exclude=["report"], validate_unique=False)
            rows[relation].append((instance, aims))
    sources = [(line.source, line.other_source) for line, _ in rows["financial_lines"]]
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


# The labels finance data uses for the template's funding sources; any other label is an
# "Other" source of that name (e.g. "Disabled Facilities Grant").
SOURCE_BY_LABEL = {source.label: source for source in FundingSource if source != "other"}


@transaction.atomic
def highlight_report_financial_lines_set(
    *,
    report: HighlightReport,
    user,
    annual_value: Mapping[str, Decimal],
    projected_spend: Mapping[str, Decimal] | None = None,
    at: dt.datetime | None = None,
) -> HighlightReport:
    """Replace the report's Overall Financial Performance lines with these amounts per
    funding source, keyed "CCG", "SCC", "SCC iBCF" or the name of another source.

    This is where finance data prefills a report: the totals, shares and variances are then
    worked out from these lines like any others. Only while the report is editable; an edit
    page already open sees the change as someone else's save."""
    _check_may_write(user, report)
    projected_spend = projected_spend or {}
    extra = set(projected_spend) - set(annual_value)
    if extra:
        raise ReportError(
            f"Projected spend given for sources without an annual value: {', '.join(extra)}."
        )
    lines = []
    for position, (label, amount) in enumerate(annual_value.items()):
        source = SOURCE_BY_LABEL.get(label, FundingSource.OTHER)
        spend = projected_spend.get(label)
        line = FinancialLine(
            report=report,
            position=position,
            source=source,
            other_source="" if source != FundingSource.OTHER else label,
            annual_value=parse_money(amount),
            projected_spend=None if spend is None else parse_money(spend),
        )
        line.full_clean(exclude=["report"], validate_unique=False)
        lines.append(line)
    _claim_version(report, report.version)
    report.updated, report.updated_by = at or timezone.now(), user
    report.save()
    FinancialLine.objects.filter(report=report).delete()
    FinancialLine.objects.bulk_create(lines)
    return report


def finance_source_label(partner_code: str, source: str) -> str:
    """The highlight report's funding-source line for a finance budget line: the partner's own
    contribution is the partner ("CCG", "SCC"); the council's improved BCF grant is "SCC iBCF"
    as the template writes it; any other source is named in full after its partner."""
    if source in ("", "nhs", "council"):
        return partner_code
    short_names = {"ibcf": "iBCF", "dfg": "DFG", "other_grant": "other grants"}
    return f"{partner_code} {short_names.get(source, source)}"


def highlight_report_finance_prefill(*, report: HighlightReport, user, scheme_finance) -> bool:
    """Fill the report's Overall Financial Performance from Finance's figures for the scheme
    (`finance.selectors.scheme_finance_for_quarter`): each partner's budget as its annual value
    and its latest forecast as the projected year end spend. A line Finance has no forecast for
    yet keeps its projected spend empty rather than assuming the budget. False when there is
    nothing to fill in."""
    if scheme_finance is None or not scheme_finance.partners:
        return False
    annual_value: dict[str, Decimal] = {}
    projected_spend: dict[str, Decimal] = {}
    for line in scheme_finance.partners:
        label = finance_source_label(line.partner.code, line.source)
        annual_value[label] = line.budget
        if line.forecast_month is not None:
            projected_spend[label] = line.forecast
    highlight_report_financial_lines_set(
        report=report, user=user, annual_value=annual_value, projected_spend=projected_spend
    )
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


def _step_allowed(report: HighlightReport, user, action: Action) -> workflow.Step:
    """The step, if this person may take it on this report now: their role's step, from the
    report's status, with the permission, in the report's area and (for a lead) scheme."""
    step = step_for(report.status, action, _roles(user))
    in_scope = user_is_member(user=user, area=report.scheme.area) and (
        step.role != workflow.SCHEME_LEAD or _leads(user, report.scheme)
    )
    if not (in_scope and user.has_perm(f"schemes.{step.permission}")):
        raise PermissionDenied(f"You cannot take the step “{action.label}” on this report.")
    return step


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
    step = _step_allowed(locked, user, action)
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
    # Written with the step and sent once it commits: a failed e-mail never undoes a step.
    report_step_notify(report=locked, action=action, actor=user, comment=comment)
    report.refresh_from_db()
    return report


BOARD_DATE_FIELDS = {
    Action.RECEIVE_BY_JCB: "received_by_jcb",
    Action.SIGN_OFF_BY_JCB: "signed_off_by_jcb",
    Action.RECEIVE_BY_HWB: "received_by_hwb",
}


@transaction.atomic
def highlight_report_submit(
    *,
    report: HighlightReport,
    user,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> HighlightReport:
    """The lead sends the report to the analysts; refused while required sections are empty.

    What is missing is judged on the report as the database holds it now, never on a copy in
    memory. With `expected_version` (the version the lead checked), a report saved since is
    refused (ReportStale): what is submitted is what was checked."""
    _step_allowed(report, user, Action.SUBMIT)  # who may submit is said before what is missing
    # Locks the report's row only (PostgreSQL refuses FOR UPDATE across a nullable join).
    saved = HighlightReport.objects.select_for_update().get(pk=report.pk)
    if expected_version is not None and saved.version != expected_version:
        raise ReportStale(saved)
    missing = highlight_report_missing_sections(report=saved)
    if missing:
        raise ReportIncomplete(missing)
    return _take_step(report=report, user=user, action=Action.SUBMIT, at=at)


@transaction.atomic
def highlight_report_withdraw(
    *, report: HighlightReport, user, at: dt.datetime | None = None
) -> HighlightReport:
    """The lead takes back a report they submitted, to change it, until an analyst has
    returned or accepted it; the history records it."""
    return _take_step(report=report, user=user, action=Action.WITHDRAW, at=at)


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
    _step_allowed(locked, user, Action.START_CORRECTION)
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
