"""What the board pack (issue 6) takes from schemes: every scheme of the quarter's year with
its report, in a fixed number of queries, and the report body as plain HTML."""

import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from bettercare.periods import FinancialYear
from bettercare.services import scheme_lead_assign
from schemes import services
from schemes.selectors import highlight_reports_for_pack
from tests.factories import SchemeFactory

from .conftest import Q1_2018

pytestmark = pytest.mark.django_db


def _pack_and_body(area):
    pairs = highlight_reports_for_pack(area=area, quarter=Q1_2018)
    bodies = [
        render_to_string("schemes/includes/highlight_report_body.html", {"report": report})
        for _, report in pairs
        if report is not None
    ]
    return pairs, bodies


def test_every_active_scheme_by_number_with_its_report_or_none(
    area, carers, clusters, complete_draft, other_area
):
    ended = SchemeFactory(area=area, number=3, host=area.partners.first())
    ended.last_year = FinancialYear(2017)
    ended.save()
    SchemeFactory(area=other_area, number=4, host=other_area.partners.first())
    pairs = highlight_reports_for_pack(area=area, quarter=Q1_2018)
    assert [(scheme.number, report) for scheme, report in pairs] == [
        (1, complete_draft),
        (2, None),
    ]


def test_the_current_revision_is_the_one_given(signed_off, analyst, area):
    revision = services.highlight_report_correction_start(
        report=signed_off, user=analyst, reason="Corrected figure"
    )
    [(_, report)] = highlight_reports_for_pack(area=area, quarter=Q1_2018)
    assert report == revision


def test_the_pack_reads_the_same_number_of_queries_for_any_number_of_schemes(
    area, complete_draft, make_user
):
    from bettercare.roles import Role

    with CaptureQueriesContext(connection) as few:
        _pack_and_body(area)
    for number in range(3, 13):
        scheme = SchemeFactory(area=area, number=number, host=area.partners.first())
        lead = make_user(f"lead-{number}", Role.SCHEME_LEAD, [area])
        scheme_lead_assign(scheme=scheme, user=lead)
        report = services.highlight_report_start(scheme=scheme, quarter=Q1_2018, user=lead)
        services.highlight_report_save(
            report=report,
            user=lead,
            expected_version=1,
            content=services.ReportContent(
                fields={"priorities": "More"},
                financial_lines=[
                    {"partner": "CCG",
                "source": "nhs", "other_source": "", "annual_value": 5, "projected_spend": 6}
                ],
                key_developments=[{"text": "A", "aims": ["falls", "discharge"]}],
                indicators=[{"indicator": "I"}],
                risks=[{"risk": "R"}],
                contracts=[{"contract": "C"}],
            ),
        )
    with CaptureQueriesContext(connection) as many:
        _, bodies = _pack_and_body(area)
    assert len(bodies) == 11
    assert len(many) == len(few) == 9  # schemes, names, reports and their six kinds of row


def test_the_report_body_is_plain_html_that_stands_alone(complete_draft, area):
    _, [body] = _pack_and_body(area)
    assert "<script" not in body and "<form" not in body and "<input" not in body
    assert not re.search(r'(src|href)="', body)  # nothing fetched or linked
    assert "<table" in body and '<th scope="row"' in body
    for label in ["Host Organisation", "Overall Financial Performance", "Risks", "Mitigation"]:
        assert label in body
    assert "£1,374,000" in body and "(£33,000) underspend" in body


def test_the_body_takes_a_heading_level_for_its_place_in_the_pack(complete_draft):
    body = render_to_string(
        "schemes/includes/highlight_report_body.html",
        {"report": complete_draft, "heading_level": 3},
    )
    assert "<h3>Overall Financial Performance</h3>" in body
    assert "<h4>Predicted Cost Pressures</h4>" in body
