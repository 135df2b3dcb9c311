"""Reads of schemes and highlight reports, shaped for the pages that show them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from bettercare.models import Area, Scheme
from bettercare.periods import Quarter
from bettercare.selectors import Task, schemes_visible_to
from notifications.models import EmailRecord
from notifications.selectors import latest_emails_by_topic

from . import permissions
from .deadlines import (
    Completeness,
    Standing,
    completeness,
    deadline_words,
    is_outstanding,
    standing,
)
from .models import (
    FinancialLine,
    HighlightReport,
    HighlightReportEvent,
    KeyDevelopment,
    ReportingTimetable,
)
from .services.notices import REMINDER_KINDS, report_topic
from .workflow import BOARD_DATE_LABELS, BOARD_STEPS, Action, Status


def scheme_list(*, user, area: Area) -> QuerySet[Scheme]:
    return (
        schemes_visible_to(user=user, area=area)
        .select_related("host")
        .prefetch_related(
            Prefetch("leads", queryset=get_user_model().objects.order_by("last_name")),
            "year_names",
        )
    )


# --- Highlight reports -----------------------------------------------------------------------


# A report's funding lines with the partner each names (their labels say it).
FINANCIAL_LINES = Prefetch(
    "financial_lines", queryset=FinancialLine.objects.select_related("partner")
)


def _with_report_details(reports: QuerySet[HighlightReport]) -> QuerySet[HighlightReport]:
    """Everything a report's page, export or board pack section shows, in a fixed number of
    queries however many reports there are."""
    return reports.select_related("updated_by", "status_changed_by").prefetch_related(
        FINANCIAL_LINES,
        Prefetch("key_developments", queryset=KeyDevelopment.objects.prefetch_related("aim_tags")),
        "indicators",
        "risks",
        "contracts",
    )


def scheme_for_user(*, user, area: Area, number: int) -> Scheme | None:
    """Scheme `number` of the area if the user may see it (a lead, only their own)."""
    return (
        schemes_visible_to(user=user, area=area)
        .select_related("area", "host")
        .prefetch_related("year_names")
        .filter(number=number)
        .first()
    )


def highlight_report_for_user(
    *, user, area: Area, number: int, quarter: Quarter, revision: int | None = None
) -> HighlightReport | None:
    """The report of scheme `number` for `quarter` (the current revision unless one is named),
    if the user may see it; None otherwise, so the page answers 'not found' either way."""
    scheme = scheme_for_user(user=user, area=area, number=number)
    if scheme is None:
        return None
    reports = HighlightReport.objects.filter(scheme=scheme, quarter=quarter)
    reports = reports.filter(revision=revision) if revision else reports.current()
    report = _with_report_details(reports).first()
    if report is not None:
        report.scheme = scheme  # already loaded, with its names by year
    return report


def highlight_report_revisions(*, report: HighlightReport) -> list[HighlightReport]:
    """Every revision of the report's scheme and quarter, first to last."""
    return list(
        HighlightReport.objects.filter(scheme=report.scheme_id, quarter=report.quarter)
        .select_related("status_changed_by")
        .order_by("revision")
    )


def highlight_report_history(*, report: HighlightReport) -> list[HighlightReportEvent]:
    """Every step of every revision of the report's scheme and quarter, oldest first."""
    return list(
        HighlightReportEvent.objects.filter(
            report__scheme=report.scheme_id, report__quarter=report.quarter
        )
        .select_related("actor", "report")
        .order_by("at", "pk")
    )


def highlight_report_latest_return(*, report: HighlightReport) -> HighlightReportEvent | None:
    """The analyst's comments when the report was last returned, for its lead to act on."""
    if report.status != Status.RETURNED:
        return None
    return (
        report.events.filter(action="return").select_related("actor").order_by("-at", "-pk").first()
    )


def highlight_report_previous(*, report: HighlightReport) -> HighlightReport | None:
    """The same scheme's report for the quarter before (its current revision), if any."""
    previous = _with_report_details(
        HighlightReport.objects.current().filter(
            scheme=report.scheme_id, quarter=report.quarter.previous()
        )
    ).first()
    if previous is not None:
        previous.scheme = report.scheme
    return previous


def highlight_report_earlier_revision(
    *, report: HighlightReport, revision: int
) -> HighlightReport | None:
    """An earlier revision of the same scheme and quarter, with everything the report shows."""
    if revision >= report.revision or revision < 1:
        return None
    earlier = _with_report_details(
        HighlightReport.objects.filter(
            scheme=report.scheme_id, quarter=report.quarter, revision=revision
        )
    ).first()
    if earlier is not None:
        earlier.scheme = report.scheme
    return earlier


def highlight_reports_for_pack(
    *, area: Area, quarter: Quarter
) -> list[tuple[Scheme, HighlightReport | None]]:
    """Every scheme active in the quarter's financial year, by number, with its report for the
    quarter (the current revision, in whatever status) or None; everything the report body
    shows is prefetched, in the same number of queries however many schemes there are."""
    schemes = list(
        Scheme.objects.in_area(area)
        .active_in(quarter.year)
        .select_related("host")
        .prefetch_related("year_names")
        .order_by("number")
    )
    reports = {
        report.scheme_id: report
        for report in _with_report_details(
            HighlightReport.objects.current().filter(scheme__in=schemes, quarter=quarter)
        )
    }
    pairs = []
    for scheme in schemes:
        report = reports.get(scheme.pk)
        if report is not None:
            report.scheme = scheme
        pairs.append((scheme, report))
    return pairs


@dataclass(frozen=True)
class OverviewRow:
    """A scheme in a quarter, with its report or none yet; on the analysts' overview also
    where it stands against the timetable and when its leads were last reminded."""

    scheme: Scheme
    quarter: Quarter
    report: HighlightReport | None
    standing: Standing | None = None
    last_reminder: EmailRecord | None = None

    @property
    def status_label(self) -> str:
        return self.report.status_label if self.report else "Not started"

    @property
    def is_outstanding(self) -> bool:
        return is_outstanding(self.report.status if self.report else None)


def quarter_report_status(quarter: Quarter) -> Subquery:
    """The status of each scheme's current report for the quarter (None: not started), as an
    annotation for a Scheme queryset, so the overview can filter on it."""
    return Subquery(
        HighlightReport.objects.current()
        .filter(scheme=OuterRef("pk"), quarter=quarter)
        .values("status")[:1]
    )


_UNREAD = object()


def quarter_overview(
    *,
    schemes: QuerySet[Scheme],
    quarter: Quarter,
    today: dt.date | None = None,
    timetable: ReportingTimetable | object | None = _UNREAD,
) -> list[OverviewRow]:
    """The given schemes (already filtered) with their reports for the quarter, where each
    stands against the quarter's timetable on `today` (pass `timetable` when it is already
    read), and its leads' latest reminder."""
    today = today or timezone.localdate()
    schemes = list(schemes.select_related("area", "host").prefetch_related("year_names"))
    reports = {
        report.scheme_id: report
        for report in HighlightReport.objects.current()
        .filter(scheme__in=schemes, quarter=quarter)
        .select_related("status_changed_by")
        .prefetch_related(FINANCIAL_LINES)
    }
    if timetable is _UNREAD:
        timetable = (
            reporting_timetable(area=schemes[0].area, quarter=quarter) if schemes else None
        )
    due = timetable.reports_due if timetable else None
    reminders = latest_emails_by_topic(
        topics=[report_topic(scheme, quarter) for scheme in schemes], kinds=REMINDER_KINDS
    )
    rows = []
    for scheme in schemes:
        report = reports.get(scheme.pk)
        if report is not None:
            report.scheme = scheme
        rows.append(
            OverviewRow(
                scheme=scheme,
                quarter=quarter,
                report=report,
                standing=standing(report.status if report else None, due, today),
                last_reminder=reminders.get(report_topic(scheme, quarter)),
            )
        )
    return rows


# --- The reporting timetable -----------------------------------------------------------------


def reporting_timetable(*, area: Area, quarter: Quarter) -> ReportingTimetable | None:
    return ReportingTimetable.objects.filter(area=area, quarter=quarter).first()


def reporting_timetables(*, area: Area) -> list[ReportingTimetable]:
    return list(
        ReportingTimetable.objects.filter(area=area).select_related("updated_by").order_by(
            "-quarter"
        )
    )


def quarter_completeness(
    *,
    area: Area,
    quarter: Quarter,
    today: dt.date | None = None,
    timetable: ReportingTimetable | object | None = _UNREAD,
) -> Completeness:
    """How much of the quarter's reporting is in: every active scheme of the area, whatever
    filters the page has (one query once the timetable is read)."""
    today = today or timezone.localdate()
    if timetable is _UNREAD:
        timetable = reporting_timetable(area=area, quarter=quarter)
    due = timetable.reports_due if timetable else None
    statuses = (
        Scheme.objects.in_area(area)
        .active_in(quarter.year)
        .annotate(report_status=quarter_report_status(quarter))
        .values_list("report_status", flat=True)
    )
    return completeness(standing(status, due, today) for status in statuses)


def quarter_completeness_by_area(
    *, areas, quarter: Quarter, today: dt.date | None = None
) -> dict[int, Completeness]:
    """`quarter_completeness` of each of several areas, by area id, for areas side by side
    (the system view): two queries however many areas."""
    today = today or timezone.localdate()
    areas = list(areas)
    due = {
        timetable.area_id: timetable.reports_due
        for timetable in ReportingTimetable.objects.filter(area__in=areas, quarter=quarter)
    }
    statuses: dict[int, list] = {area.pk: [] for area in areas}
    for area_id, status in (
        Scheme.objects.filter(area__in=areas)
        .active_in(quarter.year)
        .annotate(report_status=quarter_report_status(quarter))
        .values_list("area_id", "report_status")
    ):
        statuses[area_id].append(status)
    return {
        area.pk: completeness(
            standing(status, due.get(area.pk), today) for status in statuses[area.pk]
        )
        for area in areas
    }


def reports_of_lead(*, user, area: Area) -> list[OverviewRow]:
    """A scheme lead's reports, newest quarter first, led by the reporting quarter's report
    of each of their schemes (started or not: it is the one due)."""
    due = area.reporting_quarter()
    schemes = list(
        Scheme.objects.in_area(area).led_by(user).prefetch_related("year_names").order_by("number")
    )
    reports = list(
        HighlightReport.objects.current()
        .filter(scheme__in=schemes)
        .select_related("status_changed_by")
        .order_by("-quarter", "scheme__number")
    )
    by_scheme = {scheme.pk: scheme for scheme in schemes}
    started = {(report.scheme_id, report.quarter) for report in reports}
    rows = [
        OverviewRow(scheme=scheme, quarter=due, report=None)
        for scheme in schemes
        if scheme.is_active_in(due.year) and (scheme.pk, due) not in started
    ]
    for report in reports:
        report.scheme = by_scheme[report.scheme_id]
        rows.append(OverviewRow(scheme=report.scheme, quarter=report.quarter, report=report))
    return rows


def report_url(scheme: Scheme, quarter: Quarter, name: str = "report") -> str:
    return reverse(f"schemes:{name}", kwargs={"number": scheme.number, "quarter": quarter})


def home_tasks(*, user, area: Area, quarter: Quarter) -> list[Task]:
    """A lead's reports due or with them; for those who review reports, the submitted ones and
    the schemes not yet reported; for those who record board dates, the reports waiting."""
    tasks: list[Task] = []
    if permissions.has_reports_to_write(user, area):
        tasks.extend(_lead_tasks(user=user, area=area, quarter=quarter))
    if permissions.holds_step(user, Action.ACCEPT, area):
        tasks.extend(_analyst_tasks(area=area, quarter=quarter))
    if permissions.holds_step(user, Action.RECEIVE_BY_JCB, area):
        tasks.extend(_secretary_tasks(area=area))
    return tasks


def lead_deadline(*, area: Area, quarter: Quarter, today: dt.date | None = None) -> str:
    """The quarter's deadline in words for a lead ("Due 12 October 2018, in 5 days"), or ""
    when the analysts have not set the timetable."""
    timetable = reporting_timetable(area=area, quarter=quarter)
    if timetable is None:
        return ""
    return deadline_words(timetable.reports_due, today or timezone.localdate())


def _lead_tasks(*, user, area: Area, quarter: Quarter) -> list[Task]:
    tasks = []
    deadlines: dict[Quarter, str] = {}

    def deadline(row_quarter: Quarter) -> str:
        if row_quarter not in deadlines:
            words = lead_deadline(area=area, quarter=row_quarter)
            deadlines[row_quarter] = f" {words}." if words else ""
        return deadlines[row_quarter]

    for row in reports_of_lead(user=user, area=area):
        name = row.scheme.name_in(row.quarter.year)
        title = f"{row.scheme.number}. {name}: highlight report for {row.quarter.short_label}"
        report = row.report
        if report is None:
            tasks.append(
                Task(
                    title,
                    "Not started yet." + (deadline(row.quarter) or " Due now."),
                    report_url(row.scheme, row.quarter),
                )
            )
        elif report.status == Status.RETURNED:
            tasks.append(
                Task(
                    title,
                    "Returned with comments: correct it and submit it again."
                    + deadline(row.quarter),
                    report_url(row.scheme, row.quarter, "report_edit"),
                )
            )
        elif report.status == Status.DRAFT:
            tasks.append(
                Task(
                    title,
                    "Draft: finish it and submit it." + deadline(row.quarter),
                    report_url(row.scheme, row.quarter, "report_edit"),
                )
            )
        elif row.quarter == quarter:
            status = "done" if report.is_signed_off else "waiting"
            tasks.append(
                Task(title, f"{report.status_label}.", report_url(row.scheme, row.quarter), status)
            )
    return tasks


def _analyst_tasks(*, area: Area, quarter: Quarter) -> list[Task]:
    tasks = []
    submitted = (
        HighlightReport.objects.current()
        .in_area(area)
        .filter(status=Status.SUBMITTED)
        .select_related("scheme", "status_changed_by")
        .order_by("quarter", "scheme__number")
    )
    for report in submitted:
        who = report.status_changed_by
        tasks.append(
            Task(
                f"Review {report.scheme}: highlight report for {report.quarter.short_label}",
                f"Submitted by {who.get_full_name() or who.username} on "
                f"{report.status_changed:%d %B %Y}."
                if who
                else "Submitted.",
                report_url(report.scheme, report.quarter),
            )
        )
    not_reported = list(
        Scheme.objects.in_area(area)
        .active_in(quarter.year)
        .annotate(report_status=quarter_report_status(quarter))
        .filter(report_status__isnull=True)
        .order_by("number")
    )
    if not_reported:
        names = ", ".join(str(scheme) for scheme in not_reported)
        count = len(not_reported)
        tasks.append(
            Task(
                f"{count} scheme{'s have' if count > 1 else ' has'} not reported for "
                f"{quarter.short_label}",
                names,
                reverse("schemes:overview") + f"?quarter={quarter}&status=not_started",
                "waiting",
            )
        )
    return tasks


def _secretary_tasks(*, area: Area) -> list[Task]:
    awaiting = {
        Status.ACCEPTED: BOARD_STEPS[0],
        Status.RECEIVED_BY_JCB: BOARD_STEPS[1],
        Status.SIGNED_OFF_BY_JCB: BOARD_STEPS[2],
    }
    reports = (
        HighlightReport.objects.current()
        .in_area(area)
        .filter(status__in=list(awaiting))
        .select_related("scheme")
        .order_by("quarter", "scheme__number")
    )
    return [
        Task(
            f"Board dates for {report.scheme}: highlight report for {report.quarter.short_label}",
            f"{report.status_label}; next to record: "
            f"{BOARD_DATE_LABELS[awaiting[Status(report.status)]].lower()}.",
            report_url(report.scheme, report.quarter) + "#board-dates",
        )
        for report in reports
    ]
