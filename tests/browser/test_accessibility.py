"""axe-core (WCAG 2.1 A and AA) on every page of the three journeys, as each role sees them:
the scheme lead's, the analyst's and the board secretary's, and the pages before logging in.
Forms are checked with their errors showing too, since that is when markup most often breaks."""

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations, fill_date

pytestmark = pytest.mark.browser


def check(page, path, found, *, wait_for=None):
    page.goto(path)
    page.wait_for_load_state("load")
    if wait_for:
        expect(page.locator(wait_for).first).to_be_visible(timeout=60_000)
    found.extend(axe_violations(page))


def test_pages_before_logging_in(page, demo):
    found = []
    for path in ("/accounts/login/", "/accounts/password/reset/"):
        check(page, path, found)
    page.get_by_role("button", name="Send the link").click()  # empty: an error
    found.extend(axe_violations(page))
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Log in").click()
    found.extend(axe_violations(page))
    assert not found, "\n".join(found)


def test_the_scheme_leads_pages(page, demo, log_in):
    log_in("lead-carers")
    found = []
    for path in (
        "/",
        "/schemes/",
        "/schemes/1/2018-19-Q1/edit/",
        "/schemes/1/2018-19-Q4/",
        "/schemes/1/2017-18-Q4/",
        "/schemes/1/2017-18-Q4/history/",
        "/schemes/1/2017-18-Q4/compare/",
        "/schemes/1/2018-19-Q1/check/",
        "/schemes/1/2018-19-Q2/",
        "/account/",
    ):
        check(page, path, found)
    page.goto("/schemes/1/2018-19-Q1/edit/")
    page.get_by_role("button", name="Save and check your answers").click()  # incomplete
    found.extend(axe_violations(page))
    page.goto("/schemes/1/2018-19-Q1/edit/")
    fill_date(page, "Report Date", "31/02/2018")  # not a real date: the form's errors
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("There is a problem").first).to_be_visible()
    found.extend(axe_violations(page))
    assert not found, "\n".join(found)


def test_the_analysts_pages(page, demo, log_in):
    log_in("analyst")
    found = []
    for path in (
        "/",
        "/schemes/",
        "/schemes/overview/",
        "/schemes/timetable/",
        "/schemes/timetable/2018-19-Q2/",
        "/schemes/1/2017-18-Q4/",
        "/emails/",
        "/metrics/",
        "/metrics/nel_admissions/",
        "/metrics/import/",
        "/finance/",
        "/finance/position/",
        "/finance/pool/",
        "/finance/schemes/2/",
        "/finance/import/",
    ):
        check(page, path, found)
    page.goto("/schemes/timetable/2018-19-Q2/")
    page.get_by_role("group", name="Highlight reports due").get_by_label("Month").fill("")
    page.get_by_role("button", name="Save the timetable").click()
    found.extend(axe_violations(page))
    assert not found, "\n".join(found)


def test_the_board_secretarys_pages(page, demo, log_in):
    from reports.models import Pack

    log_in("secretary")
    found = []
    for path in ("/", "/reports/", "/reports/portfolio/"):
        check(page, path, found)
    pack = Pack.objects.get(board="JCB", quarter="2018-19-Q2")
    check(page, f"/reports/packs/{pack.pk}/", found, wait_for=".pack-screen")
    check(page, f"/reports/packs/{pack.pk}/edit/", found)
    check(page, f"/reports/packs/{pack.pk}/final/", found)
    assert not found, "\n".join(found)
