"""No read or write crosses an area (issue 15): the four-area demo, crawled as Southampton's
analyst, secretary and a lead with the crawler of `test_crawl`; then every page and form they
reached, with Southampton's ids in its address, tried by GET and POST as the people of the
other areas and as the ICB analyst, a viewer of all four, who writes nothing anywhere."""

import re
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client

from bettercare.admin import area_path
from bettercare.demo import load_demo
from bettercare.models import Area

from .conftest import module_data
from .html_forms import flat, forms_of
from .test_crawl import _crawl

SOUTHAMPTON = "E06000045"
SOUTHAMPTON_USERS = ["analyst", "secretary", "lead-carers"]
# One of each role in another area, and the ICB analyst (a viewer in all four).
OTHERS = ["portsmouth-analyst", "portsmouth-lead", "hampshire-secretary", "iow-analyst"]
ICB = "icb-analyst"
# Posts that are the person's own, not an area's: leaving, choosing an area, their account
# and password.
PERSONAL = ("/accounts/logout/", "/accounts/password/", "/area/", "/account/")
# Posts that read: asking for a draft pack's PDF (a job that draws it, for those who may read
# the full pack; no record of the area changes). Not tried here: a build takes seconds.
READS = re.compile(r"^/reports/packs/\d+/pdf/$")
# Words only Southampton's pages carry (its partners' names); other areas' pages, which say
# their figures are made from Southampton's, never name them.
SOUTHAMPTON_ONLY = ("Southampton City Council", "Southampton City CCG")
APPS = ("bettercare", "schemes", "metrics", "finance", "reports", "notifications")


@module_data
def hiow_demo():
    load_demo(log=lambda line: None, all_areas=True)


@pytest.fixture(scope="module")
def southampton_pages(hiow_demo, django_db_blocker):
    """{url: html} of every page Southampton's people reached, crawled once for the module."""
    pages: dict[str, str] = {}
    with django_db_blocker.unblock():
        for username in SOUTHAMPTON_USERS:
            client = _client(username)
            for url, status in _crawl(client).items():
                if status == 200 and url not in pages:
                    response = client.get(url)
                    if response.get("Content-Type", "").startswith("text/html"):
                        pages[url] = response.content.decode()
                    else:
                        pages[url] = ""
    return pages


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _header_area(html: str) -> str:
    match = re.search(r'data-testid="header-area">([^<]+)<', html)
    return match.group(1) if match else ""


def _fingerprint(area_code: str | None = None) -> dict[str, int]:
    """How many rows (history included) each model holds for the area, or in all: any write
    the application makes adds a row here, or a history row."""
    counts = {}
    for app_label in APPS:
        for model in apps.get_app_config(app_label).get_models():
            rows = model._default_manager.all()
            if area_code is not None:
                path = area_path(model)
                if path is None:
                    continue
                rows = rows.filter(**{f"{path}__code" if path else "code": area_code})
            counts[model._meta.label] = rows.count()
    return counts


def _posts(pages: dict[str, str]) -> list[tuple[str, dict]]:
    """Every POST form of the pages, as the page would send it, once per address."""
    found: dict[str, dict] = {}
    for url, html in pages.items():
        for form in forms_of(html, url):
            action = urlsplit(form.action)
            target = action.path + (f"?{action.query}" if action.query else "")
            if form.method != "post" or form.has_file or target.startswith(PERSONAL):
                continue
            if READS.match(target):
                continue
            found.setdefault(target, flat(form.data()))
    return sorted(found.items())


@pytest.mark.parametrize("username", OTHERS)
def test_another_areas_person_reads_nothing_of_southampton(
    southampton_pages, db, username
):
    client = _client(username)
    person = get_user_model().objects.get(username=username)
    own = {area.name for area in person.areas.all()}
    leaks, refused = {}, 0
    for url in southampton_pages:
        response = client.get(url)
        if response.status_code in (403, 404):
            refused += 1
            continue
        assert response.status_code < 500, url
        body = response.content.decode(errors="replace")
        if response.status_code == 200 and response.get("Content-Type", "").startswith(
            "text/html"
        ):
            # An address with no Southampton id in it answers for the person's own area.
            if _header_area(body) not in own or any(word in body for word in SOUTHAMPTON_ONLY):
                leaks[url] = _header_area(body)
        elif response.status_code == 200 and any(word in body for word in SOUTHAMPTON_ONLY):
            leaks[url] = response.get("Content-Type")
    assert leaks == {}
    assert refused >= 5, "Southampton's packs, versions and jobs are refused by their ids"


@pytest.mark.parametrize("username", OTHERS)
def test_another_areas_person_changes_nothing_of_southampton(
    southampton_pages, db, username
):
    client = _client(username)
    before = _fingerprint(SOUTHAMPTON)
    errors = {}
    for target, data in _posts(southampton_pages):
        status = client.post(target, data).status_code
        if status >= 500:
            errors[target] = status
    assert errors == {}
    assert _fingerprint(SOUTHAMPTON) == before


def test_the_icb_analyst_reads_every_area_and_writes_nothing(southampton_pages, db):
    client = _client(ICB)
    assert len(_posts(southampton_pages)) > 10  # the forms are really tried
    before = _fingerprint()
    accepted = {}
    for area in Area.objects.reportable().order_by("code"):
        # Each area in turn is the ICB analyst's current area, so that addresses without an
        # id act on it.
        page = client.get(f"/?area={area.code}").content.decode()
        assert _header_area(page) == area.name
        for target, data in _posts(southampton_pages):
            status = client.post(target, data).status_code
            if status not in (400, 403, 404, 405):
                accepted[(area.code, target)] = status
    assert accepted == {}
    assert _fingerprint() == before
    # Reading is theirs: Southampton's dashboard, finance and packs.
    client.get(f"/?area={SOUTHAMPTON}")
    for url in ("/metrics/", "/finance/position/", "/reports/", "/schemes/overview/"):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("username", [*OTHERS, ICB, *SOUTHAMPTON_USERS])
def test_the_system_view_shows_exactly_the_areas_held(hiow_demo, db, username):
    client = _client(username)
    person = get_user_model().objects.get(username=username)
    held = sorted(area.name for area in person.areas.all())
    page = client.get("/system/2018-19-Q2/").content.decode()
    shown = re.findall(r'data-testid="finance-(E\d+)"', page)
    assert sorted(Area.objects.get(code=code).name for code in shown) == held
    if username == ICB:
        assert len(held) == 4
