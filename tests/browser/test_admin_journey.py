"""The administration site under the Content-Security-Policy, and the lockout page a person
meets after too many wrong passwords."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_admin_works_under_the_content_security_policy(page, demo, log_in):
    """Django's admin, its widgets (the lead picker, the calendar) and the history pages run
    their scripts from files; the page fixture fails on any CSP report or script error."""
    log_in("admin")
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.goto("/admin/bettercare/scheme/")
    page.get_by_role("link", name="Carers", exact=True).click()
    expect(page.locator("#id_name")).to_have_value("Carers")
    # The many-to-many widget of leads is drawn by the admin's SelectFilter2.js.
    expect(page.locator("#id_leads_from")).to_be_visible()
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("history")
    page.locator("#change-history a").first.click()
    expect(page).to_have_url(re.compile(r"/history/\d+/$"))
    page.goto("/admin/auth/user/")
    page.get_by_role("link", name="analyst", exact=True).click()
    expect(page.locator("#id_username")).to_have_value("analyst")


def test_a_locked_out_person_is_told_why_and_what_to_do(page, demo, log_in):
    for attempt in range(5):
        log_in("analyst", password=f"wrong-{attempt}")
    log_in("analyst")
    expect(page.get_by_role("heading", name="Too many failed logins")).to_be_visible()
    expect(page.locator("main")).to_contain_text("15 minutes")
    expect(page.locator("main")).to_contain_text("ask an administrator of your area")
