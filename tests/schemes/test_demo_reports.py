"""The demo's highlight reports: the ten Q4 2017/18 reports of the council paper, signed off,
their figures read exactly from the document's wording, and Q1 2018/19 drafts to work on."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from bettercare.models import Scheme
from bettercare.periods import Quarter
from schemes.demo import document_date
from schemes.models import HighlightReport, HighlightReportEvent
from schemes.workflow import Status

Q4 = Quarter.parse("2017-18-Q4")


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("22.05.18", dt.date(2018, 5, 22)),
        ("23/5/18", dt.date(2018, 5, 23)),
        ("24/05/2018", dt.date(2018, 5, 24)),
        ("25.05.2018", dt.date(2018, 5, 25)),
        ("14th May 2018", dt.date(2018, 5, 14)),
        ("28 May 2018", dt.date(2018, 5, 28)),
        ("May 2018", dt.date(2018, 5, 1)),
    ],
)
def test_dates_as_the_reports_write_them(written, date):
    assert document_date(written) == date


def test_a_date_it_cannot_read_is_refused():
    with pytest.raises(ValueError, match="not a date"):
        document_date("end of May")


def _snapshot():
    return sorted(
        (
            report.scheme.number,
            str(report.quarter),
            report.status,
            report.version,
            report.financial_lines.count(),
            report.key_developments.count(),
            report.indicators.count(),
            report.risks.count(),
            report.events.count(),
        )
        for report in HighlightReport.objects.select_related("scheme")
    )


def test_loading_twice_leaves_the_same_reports(demo):
    first = _snapshot()
    call_command("load_demo", "--southampton-only", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _snapshot() == first
    assert len(first) == 22  # Q4 2017/18 and Q2 2018/19 for every scheme, two Q1 drafts


def test_quarter_two_has_a_report_from_every_schemes_lead_dated_inside_the_quarter(demo):
    """Most Q2 reports accepted, one submitted and one returned with a comment, each written
    by its scheme's own lead, every step of it dated inside July to September 2018."""
    q2 = Quarter.parse("2018-19-Q2")
    reports = HighlightReport.objects.filter(quarter=q2).select_related("scheme")
    statuses = sorted(report.status for report in reports)
    assert statuses == sorted(
        [Status.ACCEPTED] * 8 + [Status.SUBMITTED, Status.RETURNED]
    )
    for scheme in Scheme.objects.all():
        assert scheme.leads.exists(), f"scheme {scheme.number} has no lead"
    for report in reports:
        events = list(HighlightReportEvent.objects.filter(report=report).order_by("at"))
        assert events[0].actor in report.scheme.leads.all()
        for event in events:
            assert q2.start <= event.at.date() <= q2.end, (report.scheme.number, event.action)
        assert q2.start <= report.created.date() <= q2.end
    returned = reports.get(status=Status.RETURNED)
    comment = HighlightReportEvent.objects.filter(report=returned).order_by("at").last().comment
    assert "Performance Indicators" in comment
    drafts = HighlightReport.objects.filter(quarter=Quarter.parse("2018-19-Q1"))
    assert all(draft.created.date() <= Quarter.parse("2018-19-Q1").end for draft in drafts)
    # That history is loaded, not lived: no one is e-mailed about steps taken in 2018.
    from notifications.models import EmailRecord

    assert not EmailRecord.objects.exists()


# (scheme, total annual value, total projected spend, variance as the document states it)
FIGURES = [
    (1, "1374000", "1341000", "(£33,000) underspend"),
    (2, "48820000", "49427000", "£607,000 overspend"),
    (3, "16100000", "15491000", "(£609,000) underspend"),
    (4, "50000", "27000", "(£23,000) underspend"),
    (5, "7469000", "7291000", "(£178,000) underspend"),
    (6, "26182000", "27467000", "£1,285,000 overspend"),
    (7, "350000", "192000", "(£158,000) underspend"),
    (8, "3600000", "2600000", "(£1,000,000) underspend"),
    (9, "919000", "1102000", "£183,000 overspend"),
    (10, "1070680", "940280", "(£130,400) underspend"),
]


@pytest.mark.parametrize(("number", "total", "spend", "variance"), FIGURES)
def test_q4_figures_are_the_documents_to_the_pound(demo, number, total, spend, variance):
    report = HighlightReport.objects.get(scheme__number=number, quarter=Q4)
    finance = report.finance
    assert finance.total_annual_value == Decimal(total)
    assert finance.total_projected_spend == Decimal(spend)
    assert finance.variance_label == variance


def test_q4_reports_are_signed_off_with_their_board_dates_and_history(demo):
    reports = HighlightReport.objects.filter(quarter=Q4)
    assert {report.status for report in reports} == {Status.RECEIVED_BY_HWB}
    assert {report.signed_off_by_jcb for report in reports} == {dt.date(2018, 6, 14)}
    carers = reports.get(scheme__number=1)
    assert (carers.report_author, carers.report_date) == ("Kirsten Killander", dt.date(2018, 5, 22))
    assert carers.reasons_for_variance == "Underspend negligible"
    assert [event.action for event in carers.events.all()] == [
        "record_paper",
        "receive_by_jcb",
        "sign_off_by_jcb",
        "receive_by_hwb",
    ]
    recorded = HighlightReportEvent.objects.filter(actor__username="analyst", report__quarter=Q4)
    assert recorded.count() == 40


def test_q4_words_are_kept(demo):
    clusters = HighlightReport.objects.get(scheme__number=2, quarter=Q4)
    assert clusters.pooled_budget_manager == "Adrian Littlemore, Senior Commissioner ICU"
    assert "Fracture Liaison Service commenced" in clusters.key_developments.all()[6].text
    rehab = HighlightReport.objects.get(scheme__number=3, quarter=Q4)
    crisis = rehab.indicators.first()
    assert (crisis.target, crisis.actual, crisis.measure_period) == (
        Decimal("90.00"),
        Decimal("88.00"),
        "2017-18-Q4",
    )
    send = HighlightReport.objects.get(scheme__number=9, quarter=Q4)
    assert send.host_organisation == "Budgets not pooled - Joint Oversight of Scheme"


def test_every_scheme_has_its_original_aims_and_the_drafts_start_from_them(demo):
    assert not Scheme.objects.filter(aims="").exists()
    drafts = HighlightReport.objects.filter(quarter=Quarter.parse("2018-19-Q1"))
    assert sorted((d.scheme.number, d.status) for d in drafts) == [
        (1, Status.DRAFT),
        (2, Status.DRAFT),
    ]
    carers = drafts.get(scheme__number=1)
    assert carers.aims.startswith("- To identify a significant number of Adult and Young Carers")
    assert carers.report_author == "Alex Morgan"
