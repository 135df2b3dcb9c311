"""The analyst's first visit: log in, see the home page about Southampton, log out."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_analyst_logs_in_sees_home_and_logs_out(page, demo, log_in):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.get_by_role("heading", name="Log in to Better Care reporting")).to_be_visible()

    log_in("analyst")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_test_id("header-area")).to_have_text("Southampton")
    expect(page.get_by_test_id("header-user")).to_contain_text("Analyst")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quarter Two 2018/19")
    # The design system's stylesheet really loaded (the header is NHS blue).
    header_colour = page.locator("header.nhsuk-header").evaluate(
        "element => getComputedStyle(element).backgroundColor"
    )
    assert header_colour == "rgb(0, 94, 184)"

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_wrong_password_keeps_the_username_and_says_what_went_wrong(page, demo, log_in):
    log_in("analyst", password="not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.get_by_label("Username")).to_have_value("analyst")


def test_skip_link_is_the_first_thing_a_keyboard_reaches(page, demo, log_in):
    log_in("analyst")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#maincontent$"))


def test_pages_make_no_request_to_any_other_site(page, demo, log_in, live_server):
    elsewhere = []
    page.on(
        "request",
        lambda request: elsewhere.append(request.url)
        if not request.url.startswith((live_server.url, "data:"))
        else None,
    )
    log_in("analyst")
    for path in ("/", "/schemes/", "/finance/", "/reports/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert elsewhere == []
    font = page.locator("body").evaluate("element => getComputedStyle(element).fontFamily")
    assert font.startswith("Arial")
