"""Who may do what with highlight reports: every role against its own scheme, another scheme of
its area and a scheme of another area (see tests/permissions_matrix.py)."""

import pytest

from bettercare import permissions as core
from bettercare.periods import Quarter
from schemes import permissions
from schemes.models import HighlightReport
from schemes.workflow import Action, Status, WorkflowError
from tests.permissions_matrix import (
    table,
    world,  # noqa: F401 (the fixture)
)

from .factories import HighlightReportFactory

Q1 = Quarter.parse("2018-19-Q1")


def report_in(status):
    """The check run on a report of the scheme in `status`."""

    def on_report(check):
        def run(user, scheme):
            report = HighlightReport.objects.filter(
                scheme=scheme, quarter=Q1
            ).first() or HighlightReportFactory(scheme=scheme, quarter=Q1, status=status)
            return check(user, report)

        return run

    return on_report


def step(action, status):
    return report_in(status)(lambda user, report: permissions.may_take_step(user, report, action))


AREA_WIDE = table(administrator="YYN", analyst="YYN", board_secretary="YYN", superuser="YYN")
LEAD_ONLY = table(scheme_lead="YNN")
ANALYSTS = table(analyst="YYN")

TABLE = {
    "see the scheme": (core.may_see_scheme, {**AREA_WIDE, "scheme_lead": "YNN"}),
    "read its reports": (permissions.may_see_report, {**AREA_WIDE, "scheme_lead": "YNN"}),
    "see the quarter overview": (
        lambda user, scheme: permissions.may_see_overview(user, scheme.area),
        AREA_WIDE,
    ),
    "start a report": (permissions.may_start_report, LEAD_ONLY),
    "write a report": (report_in(Status.DRAFT)(permissions.may_write_report), LEAD_ONLY),
    "submit a draft": (step(Action.SUBMIT, Status.DRAFT), LEAD_ONLY),
    "resubmit a returned report": (step(Action.SUBMIT, Status.RETURNED), LEAD_ONLY),
    "return a submitted report": (step(Action.RETURN, Status.SUBMITTED), ANALYSTS),
    "accept a submitted report": (step(Action.ACCEPT, Status.SUBMITTED), ANALYSTS),
    "accept a draft": (step(Action.ACCEPT, Status.DRAFT), table()),
    "record the JCB's receipt": (
        step(Action.RECEIVE_BY_JCB, Status.ACCEPTED),
        table(board_secretary="YYN"),
    ),
    "record the JCB's sign-off before its receipt": (
        step(Action.SIGN_OFF_BY_JCB, Status.ACCEPTED),
        table(),
    ),
    "start a correction": (step(Action.START_CORRECTION, Status.SIGNED_OFF_BY_JCB), ANALYSTS),
    "record a paper report": (permissions.may_record_paper_report, ANALYSTS),
}


@pytest.mark.parametrize("action", TABLE)
def test_who_may(world, action):  # noqa: F811
    check, expected = TABLE[action]
    assert world.answers(check) == expected


def test_an_earlier_revision_offers_no_step(world):  # noqa: F811
    analyst, scheme = world.people["analyst"], world.schemes["own scheme"]
    report = HighlightReportFactory(scheme=scheme, status=Status.SUBMITTED, is_current=False)
    assert permissions.steps_open_to(analyst, report) == set()
    current = HighlightReportFactory(scheme=scheme, quarter=Q1.next(), status=Status.SUBMITTED)
    assert permissions.steps_open_to(analyst, current) == {Action.RETURN, Action.ACCEPT}


def test_the_services_refuse_what_the_table_refuses_whoever_calls_them(world):  # noqa: F811
    from django.core.exceptions import PermissionDenied

    from schemes import services

    lead, analyst = world.people["scheme_lead"], world.people["analyst"]
    other, away = world.schemes["other scheme"], world.schemes["other area"]
    for scheme in (other, away):  # not theirs, and no longer their area
        with pytest.raises(PermissionDenied):
            services.highlight_report_start(scheme=scheme, quarter=Q1, user=lead)
    draft = HighlightReportFactory(scheme=world.schemes["own scheme"], quarter=Q1)
    with pytest.raises(WorkflowError, match="Only the scheme's lead"):
        services.highlight_report_submit(report=draft, user=analyst)  # the lead's step
    with pytest.raises(PermissionDenied):
        services.highlight_report_save(
            report=draft,
            user=analyst,
            expected_version=draft.version,
            content=services.ReportContent(fields={"priorities": "Not mine to write."}),
        )
    draft.refresh_from_db()
    assert (draft.status, draft.priorities) == (Status.DRAFT, "")
    assert not HighlightReport.objects.exclude(pk=draft.pk).exists()
