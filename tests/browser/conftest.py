"""Playwright driving the system Chromium against Django's live server.

Playwright's own browser download cannot work on these machines, so the tests launch Debian's
`chromium` (installed by `make install`). Without it these tests fail, never skip: a green run
must mean the journeys were really driven.
"""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from bettercare.demo import load_demo

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "bettercare-demo"


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Chromium is not installed: run `make install` (Debian package chromium).")
    # Playwright's sync API keeps an event loop running in this thread for the whole session;
    # the ORM calls tests make around it (fixtures, assertions) are still plain synchronous
    # code, so Django's guard against ORM use inside async code is lifted while it runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def demo(transactional_db):
    """The Southampton demo data set, as `make demo` serves it."""
    return load_demo(log=lambda line: None)


@pytest.fixture
def page(browser, live_server):
    """A browser tab on the live server. Every journey also checks that the pages ran under
    the Content-Security-Policy: no violation reported, and no script failing."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(f"console: {message.text}")
        if message.type == "error" and _is_csp_report(message.text)
        else None,
    )
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.csp_problems = problems
    yield page
    context.close()
    assert problems == [], "\n".join(problems)


def _is_csp_report(text: str) -> bool:
    return "Content Security Policy" in text or "Content-Security-Policy" in text


@pytest.fixture
def log_in(page):
    """`log_in(username)` logs in through the login form, as a person would."""

    def log_in_as(username: str, password: str = DEMO_PASSWORD):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        return page

    return log_in_as


def fill_date(page, legend: str, date: str) -> None:
    """Type a date (dd/mm/yyyy) into the NHS.UK date input whose legend is `legend`."""
    day, month, year = date.split("/")
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


# WCAG 2.1 A and AA: the level the service must meet (axe's best-practice rules are advice).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
_axe = Axe()


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 AA violations on the page as it is now, one line per element."""
    results = _axe.run(page, options=AXE_OPTIONS)
    found = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            found.append(
                f"{page.url}: {violation['id']} ({violation['impact']}): {violation['help']} "
                f"at {node['target']}: {node.get('failureSummary', '')[:300]}"
            )
    return found
