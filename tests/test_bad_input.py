"""The four causes of server errors the independent test found, each as it was sent: money of
27 digits or more, a `next` that is no path, and a portfolio formset whose management form
says 0 or fewer initial rows. (Blank optional years and quarters in the admin:
tests/bettercare/test_admin_isolation.py.) Each is now a page that says what is wrong."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bettercare.periods import parse_quarter
from finance.models import PooledFundYear
from reports.models import PortfolioRating
from schemes.services import highlight_report_start

from .schemes.pages import form_data, url

pytestmark = pytest.mark.django_db
HUGE = "9" * 27


def test_a_huge_amount_in_the_report_form_is_refused_with_a_message(login, lead, carers, area):
    quarter = parse_quarter("2018-19-Q2")
    area.current_quarter = quarter
    area.save()
    report = highlight_report_start(scheme=carers, quarter=quarter, user=lead)
    data = form_data(
        report,
        rows={"financial_lines": [{"source": "CCG", "annual_value": HUGE, "projected_spend": ""}]},
    )
    response = login(lead).post(url(report, name="report_edit"), data)
    assert response.status_code == 200
    assert "more than £10bn" in response.content.decode()


def test_a_huge_amount_in_the_pool_form_is_refused_with_a_message(login, analyst, area):
    PooledFundYear.objects.create(area=area, financial_year="2018-19", national_minimum=0)
    page = login(analyst).get("/finance/pool/2018-19/edit/")
    assert page.status_code == 200
    response = login(analyst).post("/finance/pool/2018-19/edit/", {"national_minimum": HUGE})
    assert response.status_code in (200, 400)
    assert "more than £10bn" in response.content.decode()


def test_a_huge_amount_in_a_finance_file_names_its_line(login, analyst, area, carers):
    data = (
        "area,financial_year,scheme,partner,kind,month,amount\n"
        f"E06000045,2018-19,1,SCC,budget,,{HUGE}\n"
    ).encode()
    response = login(analyst).post("/finance/import/", {"file": SimpleUploadedFile("f.csv", data)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "more than £10bn" in page and ">2<" in page  # line 2 of the file


@pytest.mark.parametrize("target", ["home2", "schemes", "javascript:alert(1)", "//evil.example/"])
def test_choosing_an_area_with_a_next_that_is_no_path_goes_home(login, analyst, area, target):
    response = login(analyst).post("/area/", {"area": area.code, "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_choosing_an_area_returns_to_the_page_it_was_chosen_on(login, analyst, area):
    response = login(analyst).post("/area/", {"area": area.code, "next": "/metrics/?month=2018-08"})
    assert response["Location"] == "/metrics/?month=2018-08"


@pytest.mark.parametrize("initial", ["0", "-1", "-1000"])
def test_a_portfolio_formset_claiming_no_initial_rows_is_refused_not_a_server_error(
    login, analyst, area, carers, clusters, initial
):
    area.current_quarter = parse_quarter("2018-19-Q2")
    area.save()
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": initial,
        "form-0-scheme": "1", "form-0-rag": "green", "form-0-narrative": "",
        "form-1-scheme": "", "form-1-rag": "", "form-1-narrative": "",
    }
    response = login(analyst).post("/reports/portfolio/edit/?quarter=2018-19-Q2", data)
    assert response.status_code in (200, 400)
    assert not PortfolioRating.objects.exists()


@pytest.mark.parametrize("initial", ["0", "-1"])
def test_a_conditions_formset_claiming_no_initial_rows_is_refused_not_a_server_error(
    login, analyst, area, initial
):
    from reports.models import NationalCondition

    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": initial,
        "form-0-code": "", "form-0-compliance": "", "form-0-note": "",
        "form-1-code": "", "form-1-compliance": "", "form-1-note": "",
    }
    response = login(analyst).post("/reports/national-conditions/?year=2018-19", data)
    assert response.status_code in (200, 400)
    assert not NationalCondition.objects.exists()
