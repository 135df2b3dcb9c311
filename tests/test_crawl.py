"""Every page a demo user can reach answers without a server error, with the query strings the
app uses set to nonsense too: a mistyped or stale link gets a message, never a 500 page."""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlencode, urlsplit

import pytest
from django.test import Client

DEMO_USERS = ["admin", "analyst", "secretary", "lead-carers", "lead-clusters"]
# Links that do work rather than show a page (PDF builds stream for seconds; the admin is
# Django's own and has its own tests).
SKIP = ("/admin/", "/pdf/", "/final/", "/static/", "/assets/", "/accounts/logout/")
NONSENSE = {
    "month": "2018-13",
    "quarter": "2018-19-Q7",
    "year": "18/20",
    "page": "9999",
    "sort": "no_such_column",
    "status": "<script>",
    "scheme": "abc",
    "group": "none",
    "breakdown": "provider:<img src=x>",
    "_export": "pdf",
}
MAX_PAGES = 120


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def _crawl(client: Client) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = deque(["/"])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.get("Content-Type", "").startswith("text/html"):
            for href in _links(response.content.decode()):
                href = urldefrag(href)[0]
                parts = urlsplit(href)
                if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                    continue
                if href.startswith(SKIP) or href in seen:
                    continue
                queue.append(href)
    return seen


@pytest.fixture(scope="module")
def reached():
    """The pages each demo user reached, kept for the module's later tests (the demo, and so
    what each reaches, is the same for all of them)."""
    return {}


def _reached(username: str, reached: dict) -> dict[str, int]:
    if username not in reached:
        client = Client()
        assert client.login(username=username, password="bettercare-demo")
        reached[username] = _crawl(client)
    return reached[username]


@pytest.mark.parametrize("username", DEMO_USERS)
def test_no_reachable_page_fails_even_with_nonsense_parameters(demo, reached, username):
    client = Client()
    assert client.login(username=username, password="bettercare-demo")
    seen = _reached(username, reached)
    assert len(seen) > 5, seen  # the crawl really went somewhere
    failures = {url: status for url, status in seen.items() if status >= 500}
    for url in list(seen):
        path = urlsplit(url).path
        mangled = f"{path}?{urlencode(NONSENSE)}"
        status = client.get(mangled).status_code
        if status >= 500:
            failures[mangled] = status
    assert failures == {}


def test_pages_one_user_reaches_are_refused_cleanly_to_another(demo, reached):
    clients = {}
    for username in DEMO_USERS:
        clients[username] = Client()
        assert clients[username].login(username=username, password="bettercare-demo")
    reached = {username: set(_reached(username, reached)) for username in DEMO_USERS}
    failures = {}
    refused = 0
    for username, client in clients.items():
        for url in set().union(*reached.values()) - reached[username]:
            status = client.get(url).status_code
            refused += status in (403, 404)
            if status >= 500:
                failures[(username, url)] = status
    assert failures == {}
    assert refused > 10  # leads really were refused the pages only others may see
