"""Writing highlight reports through the services: prefill, drafts, the workflow's steps with
their history, board dates, locking after sign-off, corrections and concurrent saves."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from bettercare.funding import FundingLine
from bettercare.funding import FundingSource as Source
from bettercare.periods import Quarter
from bettercare.roles import Role
from schemes import services
from schemes.models import HighlightReport, HighlightReportEvent
from schemes.selectors import highlight_report_history
from schemes.submission import missing_sections
from schemes.workflow import Action, Status, WorkflowError

from .conftest import BOARD_DATES, Q1_2018, full_content

pytestmark = pytest.mark.django_db


def test_a_new_draft_is_prefilled_from_the_scheme(carers, lead):
    carers.aims = "- To identify carers\n- To support carers"
    carers.pooled_budget_manager = "A. Manager"
    carers.save()
    report = services.highlight_report_start(scheme=carers, quarter=Q1_2018, user=lead)
    assert report.status == Status.DRAFT
    assert report.host_organisation == "Southampton City Council"
    assert report.pooled_budget_manager == "A. Manager"
    assert report.report_author == "Lead-Carers Tester"
    assert report.aims == carers.aims
    assert [event.action for event in report.events.all()] == [Action.START]


def test_only_the_schemes_own_lead_starts_its_report(carers, clusters, lead, analyst):
    with pytest.raises(PermissionDenied):
        services.highlight_report_start(scheme=clusters, quarter=Q1_2018, user=lead)
    with pytest.raises(PermissionDenied):
        services.highlight_report_start(scheme=carers, quarter=Q1_2018, user=analyst)


def test_a_report_is_started_once_and_not_for_a_quarter_still_to_come(draft, carers, lead):
    with pytest.raises(services.ReportError, match="already has a report"):
        services.highlight_report_start(scheme=carers, quarter=Q1_2018, user=lead)
    with pytest.raises(services.ReportError, match="has not been reached yet"):
        services.highlight_report_start(
            scheme=carers, quarter=Quarter.parse("2018-19-Q3"), user=lead
        )


def test_saving_replaces_the_rows_and_moves_the_version_on(draft, lead):
    report = services.highlight_report_save(
        report=draft, user=lead, expected_version=1, content=full_content()
    )
    assert report.version == 2
    assert report.finance.total_annual_value == Decimal("1374000.00")
    assert [aim.value for aim in report.key_developments.get().aims] == ["experience"]
    fewer = full_content()
    fewer = services.ReportContent(
        fields=fewer.fields, financial_lines=fewer.financial_lines[:1], risks=[]
    )
    report = services.highlight_report_save(
        report=report, user=lead, expected_version=2, content=fewer
    )
    report = HighlightReport.objects.get(pk=report.pk)
    assert report.version == 3
    assert report.financial_lines.count() == 1
    assert report.risks.count() == 0
    assert report.key_developments.count() == 0


def test_a_save_from_an_older_version_is_refused_and_changes_nothing(draft, lead):
    services.highlight_report_save(
        report=draft, user=lead, expected_version=1, content=full_content(priorities="First")
    )
    stale = HighlightReport.objects.get(pk=draft.pk)
    with pytest.raises(services.ReportStale, match="saved this report at"):
        services.highlight_report_save(
            report=stale, user=lead, expected_version=1, content=full_content(priorities="Mine")
        )
    assert HighlightReport.objects.get(pk=draft.pk).priorities == "First"


def test_submitting_with_sections_empty_lists_each_in_the_templates_order(draft, lead):
    with pytest.raises(services.ReportIncomplete) as refused:
        services.highlight_report_submit(report=draft, user=lead)
    assert [item.field for item in refused.value.missing] == [
        "report_date",
        "financial_lines",
        "reasons_for_variance",
        "actions_on_variance",
        "savings_opportunities",
        "cost_pressures",
        "aims",  # the test scheme has none to start from
        "key_developments",
        "indicators",
        "risks",
        "priorities",
    ]
    assert "Report Date" in str(refused.value)
    assert HighlightReport.objects.get(pk=draft.pk).status == Status.DRAFT


def test_every_line_needs_its_projected_spend_and_every_risk_its_mitigation(draft, lead):
    content = full_content()
    lines = [dict(content.financial_lines[0], projected_spend=None)]
    risks = [{"risk": "Staffing", "mitigation": ""}]
    report = services.highlight_report_save(
        report=draft,
        user=lead,
        expected_version=1,
        content=services.ReportContent(
            fields=content.fields,
            financial_lines=lines,
            key_developments=content.key_developments,
            indicators=content.indicators,
            risks=risks,
        ),
    )
    messages = [item.message for item in missing_sections(report)]
    assert messages == [
        "Enter the projected year end spend of every funding source.",
        "Give the mitigation of every risk.",
    ]


def test_the_whole_journey_records_who_took_each_step_and_when(
    complete_draft, lead, analyst, secretary
):
    report = services.highlight_report_submit(report=complete_draft, user=lead)
    report = services.highlight_report_return(
        report=report, user=analyst, comment="Please give the young carers' figures."
    )
    assert report.status == Status.RETURNED
    report = services.highlight_report_save(
        report=report,
        user=lead,
        expected_version=report.version,
        content=full_content(priorities="- Young carers: 211 supported"),
    )
    report = services.highlight_report_submit(report=report, user=lead)
    report = services.highlight_report_accept(report=report, user=analyst)
    report = services.highlight_report_board_dates_record(
        report=report, user=secretary, dates=BOARD_DATES, today=dt.date(2018, 9, 1)
    )
    assert report.status == Status.RECEIVED_BY_HWB
    assert (report.received_by_jcb, report.signed_off_by_jcb, report.received_by_hwb) == (
        dt.date(2018, 7, 26),
        dt.date(2018, 7, 26),
        dt.date(2018, 8, 8),
    )
    history = [
        (event.action, event.actor.username, event.to_status)
        for event in highlight_report_history(report=report)
    ]
    assert history == [
        ("start", "lead-carers", "draft"),
        ("submit", "lead-carers", "submitted"),
        ("return", "analyst", "returned"),
        ("submit", "lead-carers", "submitted"),
        ("accept", "analyst", "accepted"),
        ("receive_by_jcb", "secretary", "received_by_jcb"),
        ("sign_off_by_jcb", "secretary", "signed_off_by_jcb"),
        ("receive_by_hwb", "secretary", "received_by_hwb"),
    ]
    returned = HighlightReportEvent.objects.get(action="return")
    assert returned.comment == "Please give the young carers' figures."


@pytest.mark.parametrize(
    ("fixture", "step", "who"),
    [
        ("complete_draft", "accept", "analyst"),  # not submitted yet
        ("submitted", "submit", "lead"),  # already submitted
        ("submitted", "accept", "lead"),  # not the lead's step
        ("submitted", "accept", "secretary"),
        ("accepted", "submit", "lead"),
    ],
)
def test_steps_out_of_turn_or_by_the_wrong_role_are_refused(request, fixture, step, who):
    report = request.getfixturevalue(fixture)
    user = request.getfixturevalue(who)
    status = report.status
    action = {
        "submit": lambda: services.highlight_report_submit(report=report, user=user),
        "accept": lambda: services.highlight_report_accept(report=report, user=user),
    }[step]
    with pytest.raises((WorkflowError, PermissionDenied)):
        action()
    assert HighlightReport.objects.get(pk=report.pk).status == status


def test_a_lead_of_another_scheme_cannot_submit_this_one(complete_draft, lead_clusters):
    with pytest.raises(PermissionDenied):
        services.highlight_report_submit(report=complete_draft, user=lead_clusters)


def test_an_analyst_of_another_area_cannot_review(submitted, make_user, other_area):
    outsider = make_user("portsmouth-analyst", Role.ANALYST, [other_area])
    with pytest.raises(PermissionDenied):
        services.highlight_report_accept(report=submitted, user=outsider)


def test_returning_needs_a_comment(submitted, analyst):
    with pytest.raises(services.ReportError, match="comment"):
        services.highlight_report_return(report=submitted, user=analyst, comment="  ")


def test_board_dates_are_refused_when_out_of_order_or_in_the_future(accepted, secretary):
    with pytest.raises(services.BoardDatesRefused) as refused:
        services.highlight_report_board_dates_record(
            report=accepted,
            user=secretary,
            dates={
                Action.RECEIVE_BY_JCB: dt.date(2018, 7, 26),
                Action.SIGN_OFF_BY_JCB: dt.date(2018, 7, 25),
            },
            today=dt.date(2018, 9, 1),
        )
    assert set(refused.value.problems) == {Action.SIGN_OFF_BY_JCB}
    with pytest.raises(services.BoardDatesRefused, match="future"):
        services.highlight_report_board_dates_record(
            report=accepted,
            user=secretary,
            dates={Action.RECEIVE_BY_JCB: dt.date(2018, 9, 2)},
            today=dt.date(2018, 9, 1),
        )
    # Nothing was recorded: the dates are all-or-nothing.
    assert HighlightReport.objects.get(pk=accepted.pk).status == Status.ACCEPTED


def test_board_dates_can_be_recorded_one_meeting_at_a_time(accepted, secretary):
    report = services.highlight_report_board_dates_record(
        report=accepted,
        user=secretary,
        dates={Action.RECEIVE_BY_JCB: dt.date(2018, 7, 26)},
        today=dt.date(2018, 9, 1),
    )
    assert report.status == Status.RECEIVED_BY_JCB
    with pytest.raises(services.BoardDatesRefused, match="cannot be before"):
        services.highlight_report_board_dates_record(
            report=report,
            user=secretary,
            dates={Action.SIGN_OFF_BY_JCB: dt.date(2018, 7, 20)},
            today=dt.date(2018, 9, 1),
        )


def test_a_signed_off_report_is_read_only(signed_off, lead, analyst):
    with pytest.raises(services.ReportError, match="can no longer be changed"):
        services.highlight_report_save(
            report=signed_off,
            user=lead,
            expected_version=signed_off.version,
            content=full_content(priorities="Changed after sign-off"),
        )
    with pytest.raises(WorkflowError):
        services.highlight_report_return(report=signed_off, user=analyst, comment="Too late")
    assert HighlightReport.objects.get(pk=signed_off.pk).priorities == "- Whole family approach"


def test_a_correction_is_a_new_revision_and_the_signed_off_text_stays(signed_off, analyst, lead):
    revision = services.highlight_report_correction_start(
        report=signed_off, user=analyst, reason="The SCC figure was the 2016/17 budget."
    )
    assert (revision.revision, revision.status, revision.is_current) == (2, Status.DRAFT, True)
    assert revision.correction_reason == "The SCC figure was the 2016/17 budget."
    assert revision.finance.total_annual_value == Decimal("1374000.00")
    assert revision.key_developments.get().aims == signed_off.key_developments.get().aims
    assert revision.received_by_jcb is None
    services.highlight_report_save(
        report=revision,
        user=lead,
        expected_version=revision.version,
        content=full_content(priorities="Corrected"),
    )
    original = HighlightReport.objects.get(pk=signed_off.pk)
    assert (original.is_current, original.status, original.priorities) == (
        False,
        Status.RECEIVED_BY_HWB,
        "- Whole family approach",
    )
    assert original.financial_lines.count() == 2
    assert [event.action for event in revision.events.all()] == [Action.START_CORRECTION]


def test_a_correction_needs_a_reason_and_an_analyst(signed_off, analyst, lead):
    with pytest.raises(services.ReportError, match="reason"):
        services.highlight_report_correction_start(report=signed_off, user=analyst, reason="")
    with pytest.raises(WorkflowError):
        services.highlight_report_correction_start(report=signed_off, user=lead, reason="Typo")


def test_finance_prefill_writes_the_lines_per_funding_source(draft, lead):
    report = services.highlight_report_financial_lines_set(
        report=draft,
        user=lead,
        lines=[
            FundingLine("CCG", Source.NHS, Decimal("1240000"), Decimal("1208000.50")),
            FundingLine("SCC", Source.COUNCIL, Decimal("134000"), None),
            FundingLine("SCC", Source.IBCF, Decimal("50000"), None),
            FundingLine("SCC", Source.DFG, Decimal("1882000"), None),
        ],
    )
    lines = [
        (line.partner.code, line.source, line.label, line.annual_value, line.projected_spend)
        for line in report.financial_lines.all()
    ]
    assert lines == [
        ("CCG", "nhs", "CCG", Decimal("1240000.00"), Decimal("1208000.50")),
        ("SCC", "council", "SCC", Decimal("134000.00"), None),
        ("SCC", "ibcf", "SCC iBCF", Decimal("50000.00"), None),
        ("SCC", "dfg", "SCC DFG", Decimal("1882000.00"), None),
    ]
    with pytest.raises(services.ReportError, match="not a partner of Southampton"):
        services.highlight_report_financial_lines_set(
            report=report, user=lead, lines=[FundingLine("PCC", Source.NHS, Decimal(1), None)]
        )
    assert report.version == 2  # an edit page already open sees someone else's save


def test_the_history_of_a_report_signed_off_on_paper(area, carers, analyst):
    report = services.highlight_report_record_paper(
        scheme=carers,
        quarter=Quarter.parse("2017-18-Q4"),
        user=analyst,
        content=full_content(report_date=dt.date(2018, 5, 22)),
        board_dates=BOARD_DATES,
        today=dt.date(2018, 9, 1),
    )
    assert report.status == Status.RECEIVED_BY_HWB
    assert [(e.action, e.board_date) for e in highlight_report_history(report=report)] == [
        ("record_paper", None),
        ("receive_by_jcb", dt.date(2018, 7, 26)),
        ("sign_off_by_jcb", dt.date(2018, 7, 26)),
        ("receive_by_hwb", dt.date(2018, 8, 8)),
    ]


def test_only_analysts_record_paper_reports(carers, lead):
    with pytest.raises(PermissionDenied):
        services.highlight_report_record_paper(
            scheme=carers,
            quarter=Quarter.parse("2017-18-Q4"),
            user=lead,
            content=full_content(),
            board_dates={},
        )


def test_who_may_submit_is_checked_before_what_is_missing(draft, lead_clusters):
    with pytest.raises(PermissionDenied):
        services.highlight_report_submit(report=draft, user=lead_clusters)
