"""Southampton's highlight reports (the schemes and their leads are loaded by bettercare.demo):
the ten 2017/18 Quarter 4 reports as the boards signed them off, 2018/19 Quarter 1 drafts for
Carers and Clusters for the demo leads to work on, and the ten 2018/19 Quarter 2 reports (most
accepted, one returned, one submitted) that the demo's Quarter 2 board pack shows.

The Quarter 4 figures and dates are kept in the fixture as the report wrote them (`£1.240m`,
`£47,436,000`, `£3.60 Million`, `22.05.18`, `14th May 2018`) and read exactly here, through
the same parsers people's typing goes through.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from bettercare.demo import read_fixture
from bettercare.funding import line_for_label
from bettercare.models import Scheme
from bettercare.money import parse_money
from bettercare.periods import parse_period, parse_quarter
from notifications.services import notices_silenced

from .models import OTHER_SOURCE, HighlightReport
from .report_finance import parse_amount_with_share, typed_share_problems
from .services import (
    ReportContent,
    highlight_report_accept,
    highlight_report_record_paper,
    highlight_report_return,
    highlight_report_save,
    highlight_report_start,
    highlight_report_submit,
    reporting_timetable_save,
)
from .workflow import Action

_DATE_FORMATS = ("%d.%m.%y", "%d/%m/%y", "%d.%m.%Y", "%d/%m/%Y", "%d %B %Y", "%B %Y")
BOARD_DATE_KEYS = {
    "received_by_jcb": Action.RECEIVE_BY_JCB,
    "signed_off_by_jcb": Action.SIGN_OFF_BY_JCB,
    "received_by_hwb": Action.RECEIVE_BY_HWB,
}


def document_date(text: str) -> dt.date:
    """A date as the reports write it: 22.05.18, 23/5/18, 24/05/2018, 14th May 2018, 28 May
    2018; a month alone (May 2018) is read as its first day."""
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip())
    for form in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, form).date()
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date the demo data understands.")


def load(*, area, log) -> None:
    schemes = {scheme.number: scheme for scheme in Scheme.objects.in_area(area)}
    users = get_user_model().objects.in_bulk(field_name="username")
    # The reports' history is recorded, not lived: no one is e-mailed about it.
    with notices_silenced():
        _load_reports(schemes=schemes, users=users, log=log)
        _load_quarter_two(schemes=schemes, users=users, log=log)
    _load_timetables(area=area, log=log)


def _load_timetables(*, area, log) -> None:
    """The reporting timetable of the demo's quarters (illustrative dates)."""
    for item in read_fixture("timetables.json")["timetables"]:
        timetable = reporting_timetable_save(
            area=area,
            quarter=parse_quarter(item["quarter"]),
            reports_due=dt.date.fromisoformat(item["reports_due"]),
            jcb_meeting=dt.date.fromisoformat(item["jcb_meeting"]),
            hwb_meeting=dt.date.fromisoformat(item["hwb_meeting"]),
        )
        log(
            f"{timetable.quarter.short_label} timetable (illustrative): reports due "
            f"{timetable.reports_due:%d %B %Y}, JCB {timetable.jcb_meeting:%d %B %Y}, "
            f"HWB {timetable.hwb_meeting:%d %B %Y}"
        )


def _load_reports(*, schemes, users, log) -> None:
    """Reports that already exist are left as they are: signed-off reports never change, and
    a draft may hold a lead's work."""
    data = read_fixture("highlight_reports.json")
    quarter = parse_quarter(data["quarter"])
    board_dates = {
        BOARD_DATE_KEYS[key]: dt.date.fromisoformat(value)
        for key, value in data["board_dates"].items()
    }
    recorded = 0
    for item in data["reports"]:
        scheme = schemes[item["scheme"]]
        if HighlightReport.objects.filter(scheme=scheme, quarter=quarter).exists():
            continue
        report_date = document_date(item["report_date"])
        highlight_report_record_paper(
            scheme=scheme,
            quarter=quarter,
            user=users["analyst"],
            content=report_content(item, scheme=scheme, report_date=report_date),
            board_dates=board_dates,
            at=timezone.make_aware(dt.datetime.combine(report_date, dt.time(17))),
        )
        recorded += 1
    started = 0
    for draft in data["drafts"]:
        scheme, draft_quarter = schemes[draft["scheme"]], parse_quarter(draft["quarter"])
        if not HighlightReport.objects.filter(scheme=scheme, quarter=draft_quarter).exists():
            highlight_report_start(
                scheme=scheme,
                quarter=draft_quarter,
                user=users[draft["lead"]],
                at=_moment(draft["started"]),  # inside its quarter, not the day of loading
            )
            started += 1
    log(
        f"Highlight reports: {recorded} for {quarter.short_label} recorded as signed off, "
        f"{started} drafts started"
    )


def _moment(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(text))


def _load_quarter_two(*, schemes, users, log) -> None:
    """The 2018/19 Quarter 2 reports, written by each scheme's lead through the same steps a
    lead takes (start, write, submit), then reviewed by the analyst: most accepted, one
    returned with a comment, one still submitted. Every step is dated inside the quarter."""
    data = read_fixture("highlight_reports_2018_19_q2.json")
    quarter = parse_quarter(data["quarter"])
    analyst = users[data["reviewed_by"]]
    written = 0
    for item in data["reports"]:
        scheme = schemes[item["scheme"]]
        if HighlightReport.objects.filter(scheme=scheme, quarter=quarter).exists():
            continue  # a report may since hold someone's work: left as it is
        lead = users[item["lead"]]
        report = highlight_report_start(
            scheme=scheme, quarter=quarter, user=lead, at=_moment(item["started"])
        )
        content = report_content(
            {**item, "report_author": lead.get_full_name()},
            scheme=scheme,
            report_date=dt.date.fromisoformat(item["report_date"]),
        )
        report = highlight_report_save(
            report=report,
            user=lead,
            expected_version=report.version,
            content=content,
            at=_moment(item["started"]),
        )
        report = highlight_report_submit(report=report, user=lead, at=_moment(item["submitted"]))
        if item["status"] == "accepted":
            highlight_report_accept(report=report, user=analyst, at=_moment(item["reviewed"]))
        elif item["status"] == "returned":
            highlight_report_return(
                report=report,
                user=analyst,
                comment=item["return_comment"],
                at=_moment(item["reviewed"]),
            )
        written += 1
    log(f"Highlight reports for {quarter.short_label}: {written} written and reviewed")


def report_content(
    item: dict, *, scheme: Scheme, report_date: dt.date, aims: str | None = None
) -> ReportContent:
    """A fixture report as the content services take, its amounts read exactly and its funding
    lines ("CCG", "SCC iBCF", "CCG and SCC (split not given)") read as the area's partners'
    sources, or as other sources of that name. The aims are the scheme's unless given."""
    kinds = {partner.code: partner.kind for partner in scheme.area.partners.all()}
    lines, shares = [], []
    for line in item["finance"]:
        amount, share = parse_amount_with_share(line["annual_value"])
        found = line_for_label(line["source"], kinds)
        lines.append(
            {
                "partner": found[0] if found else None,
                "source": found[1] if found else OTHER_SOURCE,
                "other_source": "" if found else line["source"],
                "annual_value": amount,
                "projected_spend": parse_money(line["projected_spend"]),
            }
        )
        shares.append(share)
    problems = typed_share_problems([line["annual_value"] for line in lines], shares)
    if problems:
        raise ValueError(f"Scheme {item['scheme']}: {'; '.join(problems.values())}")
    indicators = [
        {
            "indicator": row["indicator"],
            "progress": row.get("progress", ""),
            "target": Decimal(row["target"]) if "target" in row else None,
            "actual": Decimal(row["actual"]) if "actual" in row else None,
            "measure_period": str(parse_period(row["period"])) if "period" in row else "",
            "unit": row.get("unit", "number"),
        }
        for row in item["indicators"]
    ]
    return ReportContent(
        fields={
            "pooled_budget_manager": item.get("pooled_budget_manager", ""),
            "report_author": item["report_author"],
            "report_date": report_date,
            "reasons_for_variance": item["reasons_for_variance"],
            "actions_on_variance": item["actions_on_variance"],
            "savings_opportunities": item["savings_opportunities"],
            "cost_pressures": item["cost_pressures"],
            "aims": scheme.aims if aims is None else aims,
            "recommendations": item["recommendations"],
            "priorities": item["priorities"],
        },
        financial_lines=lines,
        key_developments=item["key_developments"],
        indicators=indicators,
        risks=item["risks"],
    )
