"""The finance pages: who may see and do what, the upload journey, and fixed query counts."""

import html
import re
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bettercare.models import StagedImport
from bettercare.periods import FinancialYear, Month
from bettercare.roles import Role
from bettercare.services import staged_import_create
from finance.models import Budget, Contribution, Forecast, PooledFundYear
from finance.services import finance_file_import
from tests.factories import SchemeFactory

from .conftest import AREA, finance_csv, finance_xlsx

pytestmark = pytest.mark.django_db


def upload(client, data, name="month5.csv"):
    return client.post("/finance/import/", {"file": SimpleUploadedFile(name, data)})


def problem_rows(page: str) -> list[tuple[int, str]]:
    """(line, problem) for each row of the page's table of rows to correct."""
    table = page.split('data-testid="import-problems"')[1].split("</table>")[0]
    rows = []
    for cells in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)[1:]:
        line, _column, problem = (
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", cells, flags=re.S)
        )
        rows.append((int(line), problem))
    return rows


def fingerprint(preview_page: str) -> str:
    """The fingerprint of what the preview showed, which the page's apply button sends."""
    return re.search(r'name="fingerprint" value="([0-9a-f]+)"', preview_page).group(1)


def test_a_preview_that_went_stale_is_not_applied(schemes, analyst, login):
    client = login(analyst)
    data = finance_csv([[AREA, "2018-19", 2, "CCG", "budget", "", "49120000"]])
    location = upload(client, data)["Location"]
    seen = fingerprint(client.get(location).content.decode())
    # Meanwhile another import sets that budget: the preview no longer says what will change.
    finance_file_import(
        data=finance_csv([[AREA, "2018-19", 2, "CCG", "budget", "", "1"]]),
        file_name="other.csv",
        area=schemes[2].area,
    )
    response = client.post(location, {"fingerprint": seen}, follow=True)
    assert "changed after the preview" in response.content.decode()
    assert Budget.objects.get().amount == D("1.00")
    assert "£1" in response.content.decode() and "£49,120,000" in response.content.decode()


def test_analyst_uploads_previews_and_applies_a_file(schemes, analyst, login):
    client = login(analyst)
    assert client.get("/finance/import/").status_code == 200
    data = finance_csv(
        [
            [AREA, "2018-19", 2, "CCG", "budget", "", "49120000"],
            [AREA, "2018-19", 2, "CCG", "forecast", "2018-08", "£49.51m"],
        ]
    )
    response = upload(client, data)
    staged = StagedImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/finance/import/{staged.pk}/"
    assert Forecast.objects.count() == 0  # nothing is written before the preview is applied

    preview = client.get(response["Location"])
    text = preview.content.decode()
    assert "1 budget and 1 forecast: 2 new, 0 changed, 0 unchanged" in text
    assert "£49,510,000" in text

    applied = client.post(response["Location"], {"fingerprint": fingerprint(text)})
    assert applied.status_code == 302
    assert applied["Location"] == "/finance/position/?month=2018-08"
    assert Forecast.objects.get().amount == D("49510000.00")
    assert Forecast.history.get().history_user == analyst
    staged.refresh_from_db()
    assert staged.applied is not None
    assert client.get(response["Location"]).status_code == 404  # applied once only
    position = client.get(applied["Location"])
    assert "a £0.39M overspend for the CCG" in position.content.decode()


def test_a_refused_upload_lists_every_bad_line_keeps_nothing_and_writes_nothing(
    schemes, analyst, login
):
    client = login(analyst)
    rows = [
        [AREA, "2018-19", 2, "CCG", "budget", "", "lots"],
        [AREA, "2018-19", 2, "CCG", "budget", "", "100"],
        [AREA, "2018-19", 2, "CCG", "budget", "", "100"],
        [AREA, "2018-19", 2, "CCG", "forecast", "2019-05", "100"],
    ]
    response = upload(client, finance_xlsx(rows), name="bad.xlsx")
    assert response.status_code == 400
    text = response.content.decode()
    assert "bad.xlsx was not imported: 3 rows have problems." in text
    problems = problem_rows(text)
    assert [line for line, _ in problems] == [2, 4, 5]
    assert problems[0][1].startswith("Amount: 'lots' is not an amount of money")
    assert problems[1][1].startswith("Repeats line 3 (scheme 2, CCG, budget 2018/19)")
    assert problems[2][1].startswith("Month 2019-05 is outside the financial year 2018/19")
    assert StagedImport.objects.count() == 0
    assert Budget.objects.count() == 0


def test_an_upload_for_another_area_is_refused(schemes, other_area, analyst, login):
    client = login(analyst)
    data = finance_csv([[other_area.code, "2018-19", 2, "CCG", "budget", "", "100"]])
    response = upload(client, data)
    assert response.status_code == 400
    assert problem_rows(response.content.decode()) == [
        (
            2,
            "The row is for Portsmouth (E06000044), but this upload is for Southampton "
            "(E06000045)",
        )
    ]


def test_applying_checks_the_file_again(schemes, analyst, login):
    client = login(analyst)
    data = finance_csv([[AREA, "2018-19", 8, "SCC", "budget", "", "100"]])
    location = upload(client, data)["Location"]
    seen = fingerprint(client.get(location).content.decode())
    schemes[8].last_year = FinancialYear(2017)  # the scheme closed after the upload
    schemes[8].save()
    response = client.post(location, {"fingerprint": seen})
    assert response.status_code == 400
    [(line, problem)] = problem_rows(response.content.decode())
    assert line == 2
    assert "Scheme 8 (Transforming Long Term Care) is not running in 2018/19." in problem
    assert Budget.objects.count() == 0


def test_staged_uploads_are_only_for_their_area_and_uploader(
    schemes, other_area, analyst, make_user, login
):
    someone_else = make_user("analyst2", Role.ANALYST, [schemes[1].area])
    data = finance_csv([[AREA, "2018-19", 2, "CCG", "budget", "", "100"]])
    mine = staged_import_create(
        area=schemes[1].area, kind="finance", file_name="f.csv", content=data, user=analyst
    )
    elsewhere = staged_import_create(
        area=other_area, kind="finance", file_name="f.csv", content=data, user=analyst
    )
    client = login(someone_else)
    assert client.get(f"/finance/import/{mine.pk}/").status_code == 404
    assert client.post(f"/finance/import/{mine.pk}/").status_code == 404
    client = login(analyst)
    assert client.post(f"/finance/import/{elsewhere.pk}/").status_code == 404
    assert Budget.objects.count() == 0


@pytest.mark.parametrize(
    ("url", "method"),
    [
        ("/finance/import/", "get"),
        ("/finance/import/", "post"),
        ("/finance/schemes/2/note/", "post"),
        ("/finance/pool/2018-19/edit/", "get"),
        ("/finance/pool/2018-19/edit/", "post"),
    ],
)
def test_board_secretaries_see_finance_but_cannot_change_it(month5, secretary, login, url, method):
    client = login(secretary)
    assert client.get("/finance/position/").status_code == 200
    assert getattr(client, method)(url).status_code == 403


def test_scheme_leads_see_only_their_schemes_finance(month5, lead, login):
    client = login(lead)
    assert client.get("/finance/").status_code == 200
    page = client.get("/finance/schemes/1/?month=2018-08")
    assert page.status_code == 200
    assert "Total = £1,374,000" in page.content.decode()
    assert client.get("/finance/schemes/2/").status_code == 404
    assert client.get("/finance/position/").status_code == 403
    assert client.get("/finance/position/?_export=csv").status_code == 403
    assert client.get("/finance/pool/").status_code == 403
    assert client.post("/finance/schemes/1/note/", {"partner_code": "SCC"}).status_code == 403


def test_someone_outside_the_area_is_told_so(month5, make_user, other_area, login):
    outsider = make_user("outsider", Role.ANALYST, [other_area])
    client = login(outsider)
    assert client.get("/finance/schemes/2/").status_code == 404
    page = client.get("/finance/position/?month=2018-08")
    assert page.status_code == 200
    assert "Southampton" not in page.content.decode()


def test_a_month_without_forecasts_shows_the_error_not_an_empty_table(month5, analyst, login):
    client = login(analyst)
    for month in ("2018-12", "nonsense"):
        response = client.get(f"/finance/position/?month={month}")
        text = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in text
        assert "bc-finance-row" not in text
    assert client.get("/finance/position/?month=2018-12&_export=csv").status_code == 404


def test_the_position_page_opens_at_the_data_month_and_shows_the_chart(month5, analyst, login):
    # The demo area reports 2018-19 Q2; its data month is Month 5 (August).
    area = month5[1].area
    area.current_quarter = "2018-19-Q2"
    area.save()
    page = login(analyst).get("/finance/position/")
    text = page.content.decode()
    assert "Forecast position at Month 5, 31 August 2018" in text
    assert 'data-testid="variance-chart"' in text and "data-plotly-for=" in text
    assert "plotly/plotly-strict.min.js" in text


def test_position_page_query_count_does_not_grow_with_schemes(
    month5, analyst, login, django_assert_num_queries
):
    client = login(analyst)
    client.get("/finance/position/?month=2018-08")  # warm the session and caches
    # 10, and one for the pool's contributions that the budgets by source are checked against.
    # (The role held in the area comes with the memberships the middleware reads: Django's
    # permission tables and the groups are no longer asked.)
    with django_assert_num_queries(11):
        assert client.get("/finance/position/?month=2018-08").status_code == 200
    area = month5[1].area
    ccg = area.partners.get(code="CCG")
    rows = []
    for number in range(20, 32):
        SchemeFactory(area=area, number=number, host=ccg, first_year=FinancialYear(2017))
        rows.append([AREA, "2018-19", number, "CCG", "budget", "", "1000"])
        rows.append([AREA, "2018-19", number, "CCG", "forecast", "2018-08", "900"])
    finance_file_import(data=finance_csv(rows), file_name="more.csv")
    with django_assert_num_queries(11):
        response = client.get("/finance/position/?month=2018-08")
    assert len(re.findall(r"bc-finance-row--scheme", response.content.decode())) == 15


def test_carried_forward_lines_are_named(month5, analyst, login):
    finance_file_import(
        data=finance_csv([[AREA, "2018-19", 2, "CCG", "forecast", "2018-09", "49600000"]]),
        file_name="m6.csv",
    )
    text = login(analyst).get("/finance/position/?month=2018-09").content.decode()
    assert "No Month 6 forecast has been made for:" in text
    assert "1. Carers, SCC: the Month 5 forecast is shown" in text


def test_analyst_writes_the_finance_leads_note(month5, analyst, login):
    client = login(analyst)
    page = client.get("/finance/schemes/2/?month=2018-08").content.decode()
    assert 'data-testid="note-form-CCG"' in page
    assert "Month 4 (July 2018)" in page and "Month 5 (August 2018)" in page
    assert "£0.30M overspend" in page and "£0.39M overspend" in page  # at Months 4 and 5
    response = client.post(
        "/finance/schemes/2/note/",
        {
            "partner_code": "CCG",
            "CCG-partner": "CCG",
            "CCG-month": "2018-08",
            "CCG-note": "<b>Packages</b> above plan.",
        },
    )
    assert response.status_code == 302
    forecast = Forecast.objects.get(scheme__number=2, partner__code="CCG", month=Month(2018, 8))
    assert forecast.note == "<b>Packages</b> above plan."
    page = client.get("/finance/schemes/2/?month=2018-08").content.decode()
    assert "&lt;b&gt;Packages&lt;/b&gt; above plan." in page  # shown as text, never as markup
    missing = client.post(
        "/finance/schemes/2/note/",
        {"partner_code": "CCG", "CCG-partner": "CCG", "CCG-month": "2018-12", "CCG-note": "x"},
    )
    assert missing.status_code == 404


def test_analyst_records_the_pooled_fund(schemes, analyst, login):
    client = login(analyst)
    form = client.get("/finance/pool/2018-19/edit/")
    assert "Southampton City CCG: NHS minimum contribution" in form.content.decode()
    bad = client.post(
        "/finance/pool/2018-19/edit/",
        {"national_minimum": "lots", "contribution_CCG_nhs_minimum": "£16.484m"},
    )
    assert bad.status_code == 200
    assert "There is a problem" in bad.content.decode()
    assert 'value="£16.484m"' in bad.content.decode()  # what was typed is kept
    response = client.post(
        "/finance/pool/2018-19/edit/",
        {
            "national_minimum": "£16,484,000",
            "contribution_CCG_nhs_minimum": "£16.484m",
            "contribution_CCG_nhs_additional": "56,916,000",
            "contribution_SCC_council": "£37.1m",
            "illustrative": "on",
        },
    )
    assert response.status_code == 302
    fund = PooledFundYear.objects.get()
    assert fund.illustrative and fund.national_minimum == D("16484000.00")
    assert Contribution.objects.count() == 3
    page = client.get("/finance/pool/?year=2018-19").content.decode()
    assert "£110,500,000" in page
    assert "£94,016,000 more than the national minimum" in page
    assert "Illustrative figures" in page


def test_finance_landing_page_says_the_position_in_words(month5, analyst, login):
    area = month5[1].area
    area.current_quarter = "2018-19-Q2"
    area.save()
    text = login(analyst).get("/finance/").content.decode()
    assert "At Month 5, 31 August 2018, Southampton's pooled fund shows a projected year" in (text)
    assert "Import budgets and forecasts" in text


def test_admin_marks_illustrative_years_and_keeps_imported_amounts_read_only(
    month5, administrator, login
):
    area = month5[1].area
    PooledFundYear.objects.create(
        area=area,
        financial_year=FinancialYear(2018),
        national_minimum=D("16484000"),
        illustrative=True,
    )
    client = login(administrator)
    listing = client.get("/admin/finance/forecast/")
    assert listing.status_code == 200
    assert 'alt="True"' in listing.content.decode()  # the illustrative column
    budget = Budget.objects.filter(area=area).first()
    page = client.get(f"/admin/finance/budget/{budget.pk}/change/")
    assert page.status_code == 200
    assert 'name="amount"' not in page.content.decode()
    assert 'name="funding_source"' in page.content.decode()
    assert client.get(f"/admin/finance/budget/{budget.pk}/history/").status_code == 200
    assert client.get("/admin/finance/pooledfundyear/").status_code == 200


def test_an_empty_or_missing_upload_is_a_form_error(schemes, analyst, login):
    client = login(analyst)
    response = client.post("/finance/import/", {})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    response = upload(client, b"", name="empty.csv")
    assert "There is a problem" in response.content.decode()
    assert StagedImport.objects.count() == 0


def test_a_year_without_a_pool_says_so_and_a_bad_year_is_an_error(schemes, analyst, login):
    client = login(analyst)
    page = client.get("/finance/pool/").content.decode()
    assert "No pooled fund has been recorded for" in page
    assert "Record the pooled fund for" in page
    finance_file_import(
        data=finance_csv([[AREA, "2018-19", 2, "CCG", "budget", "", "100"]]), file_name="b.csv"
    )
    bad = client.get("/finance/pool/?year=2031-32").content.decode()
    assert "There is a problem" in bad
    assert client.get("/finance/pool/nonsense/edit/").status_code == 404
