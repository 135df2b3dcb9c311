"""The lists of reports: the lead's own with what is due, the analysts' quarter overview with
its filters and exports, the home page's tasks, all in a fixed number of queries."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bettercare.periods import Quarter
from bettercare.services import scheme_lead_assign
from schemes import services
from schemes.selectors import home_tasks  # this app's share of the home page
from schemes.workflow import Action
from tests.factories import SchemeFactory

from .conftest import Q1_2018, full_content

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("schemes:overview")


@pytest.fixture
def many_schemes(area, carers, clusters, analyst, make_user):
    """Ten schemes, eight of which have a submitted Q1 2018/19 report, each with its lead."""
    from bettercare.roles import Role

    schemes = [carers, clusters]
    for number in range(3, 11):
        schemes.append(SchemeFactory(area=area, number=number, host=area.partners.first()))
    for scheme in schemes[2:]:
        lead = make_user(f"lead-{scheme.number}", Role.SCHEME_LEAD, [area])
        scheme_lead_assign(scheme=scheme, user=lead)
        report = services.highlight_report_start(scheme=scheme, quarter=Q1_2018, user=lead)
        report = services.highlight_report_save(
            report=report, user=lead, expected_version=1, content=full_content()
        )
        services.highlight_report_submit(report=report, user=lead)
    return schemes


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_overview_shows_every_scheme_and_which_have_not_reported(login, analyst, many_schemes):
    page = login(analyst).get(OVERVIEW + "?quarter=2018-19-Q1").content.decode()
    assert "Highlight reports: Quarter One 2018/19" in page
    assert "2 schemes have not reported for Q1 2018/19:" in page
    assert "1. Carers; 2. Clusters" in page
    assert page.count("Submitted</strong>") == 8
    assert "£1.374m" in page and "(£33,000) underspend" in page


def test_overview_defaults_to_the_quarter_being_reported(login, analyst, many_schemes):
    page = login(analyst).get(OVERVIEW).content.decode()
    assert "Quarter Two 2018/19" in page
    assert "10 schemes have not reported for Q2 2018/19" in page


def test_overview_filters_by_status_and_scheme(login, analyst, many_schemes):
    client = login(analyst)
    page = client.get(OVERVIEW + "?quarter=2018-19-Q1&status=not_started").content.decode()
    assert page.count('class="nhsuk-table__row') == 3  # header and two schemes
    page = client.get(OVERVIEW + "?quarter=2018-19-Q1&scheme=1").content.decode()
    assert page.count('class="nhsuk-table__row') == 2


def test_invalid_filters_are_shown_not_silently_emptied(login, analyst, many_schemes):
    client = login(analyst)
    response = client.get(OVERVIEW + "?quarter=2030-31-Q1&status=lost")
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Select a valid choice" in page
    export = client.get(OVERVIEW + "?quarter=2030-31-Q1&_export=csv")
    assert export["Content-Type"].startswith("text/html")  # no empty file pretending


def test_csv_export_is_exactly_the_filtered_rows_with_exact_amounts(login, analyst, many_schemes):
    response = login(analyst).get(OVERVIEW + "?quarter=2018-19-Q1&status=submitted&_export=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "highlight-reports-E06000045-2018-19-Q1.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 8
    assert {row["Status"] for row in rows} == {"Submitted"}
    first = rows[0]
    assert first["Annual value"] == "1374000.00"
    assert first["Projected year end spend"] == "1341000.00"
    assert first["Variance"] == "-33000.00"
    assert first["Quarter"] == "2018-19-Q1"
    assert " " not in first  # the link column is not exported


def test_xlsx_export_holds_the_same_rows(login, analyst, many_schemes):
    response = login(analyst).get(OVERVIEW + "?quarter=2018-19-Q1&_export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 11  # header and ten schemes
    assert rows[1][:4] == (1, "Carers", "2018-19-Q1", "Not started")


def test_scheme_leads_use_their_own_list_not_the_overview(login, lead):
    assert login(lead).get(OVERVIEW).status_code == 403


def test_overview_queries_do_not_grow_with_the_schemes(
    login, analyst, area, many_schemes, django_assert_max_num_queries
):
    client = login(analyst)
    path = OVERVIEW + "?quarter=2018-19-Q1"
    before = _queries(client, path)
    for number in range(11, 31):
        SchemeFactory(area=area, number=number, host=area.partners.first())
    assert _queries(client, path) == before
    # 12 for the table, then the quarter's timetable, its leads' latest reminders, the
    # completeness of the whole quarter and the analyst's right to send reminders.
    with django_assert_max_num_queries(16):
        client.get(path)


def test_a_leads_list_shows_what_is_due_and_where_each_report_is(login, lead, carers, draft):
    page = login(lead).get(reverse("schemes:index")).content.decode()
    table = page[page.index('data-testid="lead-reports"') :]
    assert "Q2 2018/19" in table and "Not started" in table and "Start report" in table
    assert "Q1 2018/19" in table and "Draft" in table and "Continue" in table


def test_a_leads_list_queries_do_not_grow_with_their_reports(
    login, lead, carers, area, make_user, django_assert_max_num_queries
):
    client = login(lead)
    path = reverse("schemes:index")
    before = _queries(client, path)
    for number in range(3, 8):
        scheme = SchemeFactory(area=area, number=number, host=area.partners.first())
        scheme_lead_assign(scheme=scheme, user=lead)
        services.highlight_report_start(scheme=scheme, quarter=Q1_2018, user=lead)
    assert _queries(client, path) == before
    with django_assert_max_num_queries(11):  # the eleventh reads the quarter's deadline
        client.get(path)


Q2 = Quarter.parse("2018-19-Q2")


def _titles(tasks):
    return [(task.title, task.status) for task in tasks]


def test_home_tasks_for_a_lead_say_what_is_due_drafted_and_returned(
    area, lead, draft, analyst, carers
):
    tasks = home_tasks(user=lead, area=area, quarter=Q2)
    assert _titles(tasks) == [
        ("1. Carers: highlight report for Q2 2018/19", "todo"),
        ("1. Carers: highlight report for Q1 2018/19", "todo"),
    ]
    assert tasks[0].detail == "Not started yet. Due now."  # no timetable set for Q2
    assert tasks[1].detail == "Draft: finish it and submit it."
    report = services.highlight_report_save(
        report=draft, user=lead, expected_version=1, content=full_content()
    )
    report = services.highlight_report_submit(report=report, user=lead)
    services.highlight_report_return(report=report, user=analyst, comment="Figures, please")
    tasks = home_tasks(user=lead, area=area, quarter=Q2)
    assert tasks[1].detail == "Returned with comments: correct it and submit it again."
    assert tasks[1].url.endswith("/schemes/1/2018-19-Q1/edit/")


def test_home_tasks_for_an_analyst_list_reports_to_review_and_schemes_not_reported(
    area, analyst, submitted, clusters
):
    tasks = home_tasks(user=analyst, area=area, quarter=Q1_2018)
    assert _titles(tasks) == [
        ("Review 1. Carers: highlight report for Q1 2018/19", "todo"),
        ("1 scheme has not reported for Q1 2018/19", "waiting"),
    ]
    assert tasks[1].detail == "2. Clusters"


def test_home_tasks_for_a_secretary_list_accepted_reports_awaiting_board_dates(
    area, secretary, accepted
):
    tasks = home_tasks(user=secretary, area=area, quarter=Q2)
    assert _titles(tasks) == [
        ("Board dates for 1. Carers: highlight report for Q1 2018/19", "todo")
    ]
    assert "date received by joint commissioning board" in tasks[0].detail
    services.highlight_report_board_dates_record(
        report=accepted,
        user=secretary,
        dates={Action.RECEIVE_BY_JCB: dt.date(2018, 7, 26)},
        today=dt.date(2018, 9, 1),
    )
    tasks = home_tasks(user=secretary, area=area, quarter=Q2)
    assert "date signed off by joint commissioning board" in tasks[0].detail


def test_the_home_page_shows_a_leads_tasks(login, lead, draft):
    page = login(lead).get(reverse("home")).content.decode()
    assert "1. Carers: highlight report for Q1 2018/19" in page
