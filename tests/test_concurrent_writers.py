"""Ten people writing at the same moment against a live server (threads of a real HTTP
server, each with its own database connection): on SQLite (WAL, IMMEDIATE transactions, a
busy timeout) and on PostgreSQL alike, no request fails with a server error and nothing saved
is lost. Two leads saving the same report at once: one wins, the other gets the conflict page
with the form as they typed it.

The writers: seven scheme leads saving their own schemes' reports, two leads of the same
scheme saving its report, and an analyst uploading and applying a metrics file (a write that
holds the lock longest).
"""

from __future__ import annotations

import http.cookiejar
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field

import pytest

from bettercare.demo import load_demo
from bettercare.models import Scheme
from bettercare.roles import Role
from bettercare.services import scheme_lead_assign, user_with_role_save
from schemes.models import HighlightReport
from schemes.services import highlight_report_start

from .html_forms import forms_of

pytestmark = pytest.mark.django_db(transaction=True)

WRITE_SECONDS = 8
PASSWORD = "bettercare-test-writer"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    status: int
    body: str
    location: str = ""


class Browser:
    """A person's browser, as far as these tests need one: cookies, forms, no redirects."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect
        )

    def request(self, path: str, data: bytes | None = None, content_type: str = "") -> Answer:
        request = urllib.request.Request(self.base + path, data=data)  # noqa: S310 (http only)
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self.opener.open(request, timeout=60) as response:
                return Answer(response.status, response.read().decode("utf-8", "replace"))
        except urllib.error.HTTPError as error:
            return Answer(
                error.code,
                error.read().decode("utf-8", "replace"),
                error.headers.get("Location", ""),
            )

    def get(self, path: str) -> Answer:
        return self.request(path)

    def post(self, path: str, fields: dict[str, list[str]]) -> Answer:
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        return self.request(path, body, "application/x-www-form-urlencoded")

    def post_file(self, path: str, fields: dict[str, str], name: str, content: bytes) -> Answer:
        boundary = uuid.uuid4().hex
        parts = []
        for key, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
                .encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: text/csv\r\n\r\n".encode() + content + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(path, b"".join(parts), f"multipart/form-data; boundary={boundary}")

    def form(self, path: str):
        """The form of the page at `path` that posts back to it."""
        answer = self.get(path)
        assert answer.status == 200, (path, answer.status)
        [form] = [
            form
            for form in forms_of(answer.body, self.base + path)
            if form.method == "post" and form.action == self.base + path
        ]
        return form

    def log_in(self, username: str) -> None:
        data = self.form("/accounts/login/").data()
        data.update({"username": [username], "password": [PASSWORD]})
        answer = self.post("/accounts/login/", data)
        assert answer.status == 302, (username, answer.status)


@dataclass
class Log:
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    # (writer, report url) -> the last text that writer's page said was saved
    saved: dict[tuple[str, str], str] = field(default_factory=dict)
    conflicts_kept_text: int = 0
    imports_applied: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, what: str, answer: Answer) -> None:
        with self.lock:
            self.statuses[answer.status] += 1
            if answer.status >= 500:
                self.failures.append(f"{what}: {answer.status}")


def _lead_writer(browser: Browser, username: str, edit: str, log: Log, stop: float) -> None:
    browser.log_in(username)
    count = 0
    while time.monotonic() < stop:
        count += 1
        data = browser.form(edit).data()
        text = f"{username} save {count} {uuid.uuid4().hex[:6]}"
        data["priorities"] = [text]
        data["action"] = ["save"]
        answer = browser.post(edit, data)
        log.record(f"{username} POST {edit}", answer)
        if answer.status == 302:
            with log.lock:
                log.saved[(username, edit)] = text
        elif answer.status == 409:
            with log.lock:
                # The conflict page is the form again, with what was typed still in it.
                log.conflicts_kept_text += text in answer.body
        elif answer.status != 200:
            log.failures.append(f"{username} POST {edit}: {answer.status}")


def _metrics_csv(area_code: str, round_: int) -> bytes:
    lines = ["area,metric,period,series,value,breakdown,status,note"]
    for month in range(4, 13):
        lines.append(f"{area_code},nel_admissions,2018-{month:02d},plan,{2300 + round_ + month},,,")
    return ("\n".join(lines) + "\n").encode()


def _analyst_writer(browser: Browser, area_code: str, log: Log, stop: float) -> None:
    browser.log_in("analyst-writer")
    round_ = 0
    while time.monotonic() < stop:
        round_ += 1
        upload = browser.form("/metrics/import/")
        fields = {name: values[0] for name, values in upload.data().items()}
        answer = browser.post_file("/metrics/import/", fields, "plans.csv", _metrics_csv(
            area_code, round_
        ))
        log.record("analyst upload", answer)
        if answer.status != 302:
            if answer.status not in (409,):
                log.failures.append(f"analyst upload: {answer.status} {answer.body[:300]}")
            continue
        preview = urllib.parse.urlsplit(answer.location).path
        answers = browser.form(preview).data()
        # Each round changes plans held: a plan revision, which asks its reason and date.
        answers["revision_reason"] = [f"Plans revised, round {round_}"]
        answers["revision_effective"] = ["2018-04-01"]
        apply = browser.post(preview, answers)
        log.record("analyst apply", apply)
        if apply.status == 302:
            with log.lock:
                log.imports_applied += 1
        elif apply.status != 409:
            log.failures.append(f"analyst apply: {apply.status} {apply.body[:300]}")


def _demo_with_an_open_quarter():
    """The demo, moved on to the quarter after its reported one: the demo's own reports of that
    quarter are submitted or accepted, which a lead can no longer edit."""
    area = load_demo(log=lambda line: None)
    area.current_quarter = area.reporting_quarter().next()
    area.save(update_fields=["current_quarter"])
    return area


def test_ten_people_writing_at_once_meet_no_server_error_and_lose_nothing(live_server):
    area = _demo_with_an_open_quarter()
    quarter = area.reporting_quarter()
    schemes = list(Scheme.objects.in_area(area).active_in(quarter.year).order_by("number"))
    assert len(schemes) >= 8
    edits = []
    for index, scheme in enumerate(schemes[:8]):
        lead = user_with_role_save(
            username=f"writer-{index}", role=Role.SCHEME_LEAD, areas=[area], password=PASSWORD
        )
        scheme_lead_assign(scheme=scheme, user=lead)
        report = HighlightReport.objects.filter(scheme=scheme, quarter=quarter).first()
        if report is None:
            report = highlight_report_start(scheme=scheme, quarter=quarter, user=lead)
        edits.append((f"writer-{index}", f"/schemes/{scheme.number}/{quarter}/edit/"))
    # A second lead of the last scheme: two people on one report.
    second = user_with_role_save(
        username="writer-twin", role=Role.SCHEME_LEAD, areas=[area], password=PASSWORD
    )
    scheme_lead_assign(scheme=schemes[7], user=second)
    edits.append(("writer-twin", edits[-1][1]))
    user_with_role_save(
        username="analyst-writer", role=Role.ANALYST, areas=[area], password=PASSWORD
    )

    log = Log()
    stop = time.monotonic() + WRITE_SECONDS
    threads = [
        threading.Thread(
            target=_lead_writer, args=(Browser(live_server.url), user, edit, log, stop)
        )
        for user, edit in edits
    ]
    threads.append(
        threading.Thread(
            target=_analyst_writer, args=(Browser(live_server.url), area.code, log, stop)
        )
    )
    assert len(threads) == 10
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WRITE_SECONDS + 120)
    assert not any(thread.is_alive() for thread in threads)

    assert log.failures == []
    posts = sum(log.statuses.values())
    assert log.statuses[302] > 20, log.statuses  # they really wrote, many times
    assert log.imports_applied >= 1
    # Nothing saved was lost: each report holds the last text its page said was saved. On the
    # report two leads share, that is the last save of one of them: which of two saves made a
    # moment apart committed last cannot be told from the order their answers came back.
    last_saves: dict[str, set[str]] = {}
    for user, edit in edits:
        if (user, edit) in log.saved:
            last_saves.setdefault(edit, set()).add(log.saved[(user, edit)])
    assert len(last_saves) == len({edit for _, edit in edits})  # every report was saved
    for edit, texts in last_saves.items():
        number = int(edit.split("/")[2])
        report = HighlightReport.objects.get(scheme__area=area, scheme__number=number,
                                             quarter=quarter)
        assert report.priorities in texts, (edit, texts)
    # Where the two leads of one report met, the one who lost kept what they typed.
    assert log.conflicts_kept_text == log.statuses[409]
    print(f"\nconcurrent writers: {posts} writes in {WRITE_SECONDS} s, {dict(log.statuses)}")


def _save_at_once(browser, edit, data, text, together, answers, name):
    data = {**data, "priorities": [text], "action": ["save"]}
    together.wait()
    answers[name] = browser.post(edit, data)


def test_two_leads_saving_one_report_at_the_same_moment_one_wins_the_other_keeps_their_text(
    live_server,
):
    area = _demo_with_an_open_quarter()
    quarter = area.reporting_quarter()
    scheme = Scheme.objects.get(area=area, number=1)
    leads = []
    for name in ("twin-a", "twin-b"):
        leads.append(
            user_with_role_save(username=name, role=Role.SCHEME_LEAD, areas=[area],
                                password=PASSWORD)
        )
        scheme_lead_assign(scheme=scheme, user=leads[-1])
    highlight_report_start(scheme=scheme, quarter=quarter, user=leads[0])
    edit = f"/schemes/1/{quarter}/edit/"
    browsers = {lead.username: Browser(live_server.url) for lead in leads}
    for username, browser in browsers.items():
        browser.log_in(username)

    for round_ in range(5):
        forms = {username: browser.form(edit).data() for username, browser in browsers.items()}
        answers: dict[str, Answer] = {}
        typed = {username: f"{username} round {round_}" for username in browsers}
        together = threading.Barrier(len(browsers))
        threads = [
            threading.Thread(
                target=_save_at_once,
                args=(browsers[name], edit, forms[name], typed[name], together, answers, name),
            )
            for name in browsers
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        statuses = sorted(answer.status for answer in answers.values())
        assert statuses == [302, 409], statuses
        [winner] = [name for name, answer in answers.items() if answer.status == 302]
        [loser] = [name for name, answer in answers.items() if answer.status == 409]
        assert typed[loser] in answers[loser].body  # the form as they typed it
        assert "after you opened it" in answers[loser].body
        report = HighlightReport.objects.get(scheme=scheme, quarter=quarter)
        assert report.priorities == typed[winner]
