"""Load test: 50 logged-in users on gunicorn over loopback while pack builds run in the worker.

    .venv/bin/python tests/benchmarks/bench_load.py   (part of `make bench`)

Starts everything itself, as production runs it: a Redis (scripts/redis.sh), the demo data with
the issue's pack (tests/benchmarks/pack_data.py) in a throwaway SQLite database, or the empty
PostgreSQL database BENCH_DATABASE_URL names, gunicorn with production settings
(WEB_CONCURRENCY, GUNICORN_THREADS as given, default 2 x 8) and `manage.py rqworker`
(BENCH_WORKERS, default 1). While the load runs, the board secretary keeps two draft builds of
the pack (full and public) asked for from the pack's page, each asked again as soon as it is
done, so that the worker is building the whole time.

Then locust, headless, each run bounded in time:
1. 50 users, each opening a page at random and pausing 2 to 5 s, for 60 s (BENCH_SECONDS):
   errors, median and 95th percentile per page;
2. the same 50 users with no pause, for 30 s: the most requests a second the server holds.

Target: no errors and a 95th percentile under 500 ms for every page while the builds run; the
page answers the build request in under 100 ms. BENCH_PROFILE=1 profiles the pack page in the
web processes (pyinstrument) and prints where its time went. BENCH_BUILDS=0 runs the load alone.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="bench-load-"))
USERS = int(os.environ.get("BENCH_USERS", "50"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
NO_PAUSE_SECONDS = int(os.environ.get("BENCH_NO_PAUSE_SECONDS", "30"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "1"))
BUILDS = os.environ.get("BENCH_BUILDS", "1") != "0"
PROFILE = os.environ.get("BENCH_PROFILE", "0") == "1"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


redis_port = free_port()
REDIS_URL = subprocess.run(
    [ROOT / "scripts/redis.sh", "start", WORK / "redis", str(redis_port)],
    check=True, capture_output=True, text=True,
).stdout.strip()
ENVIRONMENT = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "bettercare.settings",
    "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{WORK / 'load.sqlite3'}",
    "REDIS_URL": REDIS_URL,
    "DEBUG": "false",
    "HTTPS": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
    "GUNICORN_THREADS": os.environ.get("GUNICORN_THREADS", "8"),
}
if PROFILE:
    ENVIRONMENT["BENCH_PROFILE_DIR"] = str(WORK / "profiles")
os.environ.update(ENVIRONMENT)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from bettercare.demo import load_demo  # noqa: E402
from reports.models import Pack  # noqa: E402
from schemes.models import HighlightReport  # noqa: E402
from tests.benchmarks.pack_data import record_quarter_two_reports  # noqa: E402


def pages(pack: Pack) -> dict[str, list[str]]:
    """The pages the issue lists: {name: [url, text that must be on it]}."""
    report = HighlightReport.objects.filter(scheme__number=2, quarter="2017-18-Q4").get()
    return {
        "home": ["/", "Better Care"],
        "dashboard": ["/metrics/", "<h1 class=\"nhsuk-heading-l\">Metrics"],
        "metric": ["/metrics/nel_admissions/", "Non Elective Admissions"],
        "quarter overview": ["/schemes/overview/?quarter=2017-18-Q4", "Clusters"],
        "highlight report": [f"/schemes/2/{report.quarter}/", "Clusters"],
        "finance position": ["/finance/position/", "Finance"],
        "pack page": [f"/reports/packs/{pack.pk}/", "Better Care performance report"],
    }


def sessions(page_list: dict[str, list[str]]) -> list[dict]:
    """A session per user, half of them the analyst's, half the secretary's, each with the
    pages its role may open (checked here: a page a role may not open is not asked)."""
    made = []
    for index in range(USERS):
        username = "analyst" if index % 2 == 0 else "secretary"
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        allowed = [
            name for name, (url, text) in page_list.items()
            if (answer := client.get(url)).status_code == 200 and text in answer.text
        ]
        made.append({
            "username": username,
            "sessionid": client.cookies["sessionid"].value,
            "pages": allowed,
        })
    return made


class Process:
    def __init__(self, name: str, command: list, **environment):
        self.log = WORK / f"{name}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env={**ENVIRONMENT, **environment}, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()  # noqa: S310 (loopback)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class Secretary:
    """Asks for draft builds from the pack's page, as the board secretary's browser does, and
    waits on the job's JSON; records how long the page took to answer the request."""

    def __init__(self, base: str, pack: Pack, sessionid: str):
        self.base, self.pack = base, pack
        self.cookies = {"sessionid": sessionid}
        self.answers: list[float] = []
        self.builds: list[float] = []
        self.failures: list[str] = []
        self.stopping = threading.Event()

    def open(self, path: str, data: dict | None = None, accept: str = "text/html"):
        request = urllib.request.Request(  # noqa: S310 (loopback, http)
            self.base + path,
            data=urllib.parse.urlencode(data).encode() if data is not None else None,
            headers={
                "Accept": accept,
                "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
            },
        )
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
            for header in answer.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            return answer.read().decode()

    def keep_building(self, output: str) -> None:
        while not self.stopping.is_set():
            page = self.open(f"/reports/packs/{self.pack.pk}/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            started = time.perf_counter()
            answer = self.open(
                f"/reports/packs/{self.pack.pk}/pdf/",
                {"csrfmiddlewaretoken": token, "output": output},
                accept="application/json",
            )
            self.answers.append(time.perf_counter() - started)
            status_url = json.loads(answer)["status_url"]
            while True:
                state = json.loads(self.open(status_url, accept="application/json"))
                if state["state"] in ("done", "failed"):
                    break
                time.sleep(1)
            if state["state"] == "failed":
                self.failures.append(state["error"])
            else:
                self.builds.append(time.perf_counter() - started)


def locust(name: str, *, seconds: int, pause: bool, base: str, environment: dict) -> list[dict]:
    prefix = WORK / name
    subprocess.run(
        [
            BIN / "locust", "-f", ROOT / "tests/benchmarks/locustfile.py", "--headless",
            "-u", str(USERS), "-r", str(USERS), "-t", f"{seconds}s", "--host", base,
            "--csv", prefix, "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING",
        ],
        cwd=ROOT, env={**environment, "LOAD_PAUSE": "1" if pause else "0"}, check=False,
        capture_output=True, timeout=seconds + 120,
    )
    with open(f"{prefix}_stats.csv") as stats:
        return list(csv.DictReader(stats))


def table(rows: list[dict], *, title: str) -> None:
    print(f"\n{title}")
    print(f"| {'Page':<18} | Requests | Errors | Median | 95th percentile | Slowest |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        name = "all pages" if row["Name"] == "Aggregated" else row["Name"]
        print(
            f"| {name:<18} | {row['Request Count']:>8} | {row['Failure Count']:>6} "
            f"| {float(row['50%']):.0f} ms | {float(row['95%']):.0f} ms "
            f"| {float(row['Max Response Time']):.0f} ms |"
        )


def machine_speed() -> float:
    return min(
        (lambda start: (sum(range(3 * 10**7)), time.perf_counter() - start)[1])(
            time.perf_counter()
        )
        for _ in range(3)
    )


def main() -> None:
    call_command("migrate", verbosity=0)
    load_demo(log=lambda line: None)
    pack = Pack.objects.select_related("area").get(board="JCB", quarter="2018-19-Q2")
    record_quarter_two_reports(pack.area)
    page_list = pages(pack)
    made = sessions(page_list)
    for role in ("analyst", "secretary"):
        allowed = next(item["pages"] for item in made if item["username"] == role)
        print(f"{role} opens: {', '.join(allowed)}")
    (WORK / "sessions.json").write_text(json.dumps(made))
    environment = {
        **ENVIRONMENT,
        "LOAD_SESSIONS": str(WORK / "sessions.json"),
        "LOAD_PAGES": json.dumps(page_list),
    }
    print(
        f"Load test: {USERS} users, gunicorn {ENVIRONMENT['WEB_CONCURRENCY']} workers x "
        f"{ENVIRONMENT['GUNICORN_THREADS']} threads, {WORKERS} RQ worker(s), database "
        f"{ENVIRONMENT['DATABASE_URL'].split(':')[0]}, builds {'on' if BUILDS else 'off'}; "
        f"machine speed {machine_speed():.2f} s (0.45 s when quiet)"
    )

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started: list[Process] = []
    secretary = None
    try:
        server_environment = {"BIND": f"127.0.0.1:{port}"}
        if PROFILE:
            server_environment["DJANGO_SETTINGS_MODULE"] = "tests.benchmarks.settings_profile"
        started.append(Process(
            "gunicorn", [BIN / "gunicorn", "-c", "bettercare/gunicorn.conf.py"],
            **server_environment,
        ))
        for index in range(WORKERS):
            started.append(Process(f"worker-{index}", [sys.executable, "manage.py", "rqworker"]))
        wait_for(f"{base}/healthz")
        warm = Client()
        for item in made[:2]:  # every page once per role, through gunicorn, before measuring
            opener = urllib.request.build_opener()
            opener.addheaders = [("Cookie", f"sessionid={item['sessionid']}")]
            for name in item["pages"]:
                opener.open(base + page_list[name][0]).read()
        del warm

        threads = []
        if BUILDS:
            secretary = Secretary(
                base, pack, next(m["sessionid"] for m in made if m["username"] == "secretary")
            )
            for output in ("full", "public"):
                thread = threading.Thread(target=secretary.keep_building, args=(output,))
                thread.start()
                threads.append(thread)
            time.sleep(2)  # both asked for, one building

        paused = locust(
            "paused", seconds=SECONDS, pause=True, base=base, environment=environment
        )
        no_pause = locust(
            "no-pause", seconds=NO_PAUSE_SECONDS, pause=False, base=base,
            environment=environment,
        )
        if secretary is not None:
            secretary.stopping.set()
            for thread in threads:
                thread.join(timeout=300)
    finally:
        for process in started:
            process.stop()

    table(paused, title=f"{USERS} users pausing 2-5 s, {SECONDS} s (times in ms)")
    table(no_pause, title=f"{USERS} users with no pause, {NO_PAUSE_SECONDS} s")
    total = next(row for row in no_pause if row["Name"] == "Aggregated")
    print(f"\nMost requests a second held with no pause: {float(total['Requests/s']):.1f}")
    worst = max(float(row["95%"]) for row in paused if row["Name"] != "Aggregated")
    errors = sum(int(row["Failure Count"]) for row in paused if row["Name"] != "Aggregated")
    met = "met" if not errors and worst < 500 else "missed"
    print(f"Target, pausing users: no errors ({errors}) and every page's 95th percentile "
          f"under 500 ms (worst {worst:.0f} ms): {met}")
    if secretary is not None:
        answers = sorted(secretary.answers)
        print(
            f"Builds during the load: {len(secretary.builds)} done, {len(secretary.failures)} "
            f"failed {secretary.failures[:1]}; each took a median of "
            f"{statistics.median(secretary.builds):.1f} s from the request (queue wait included)"
            if secretary.builds else "Builds during the load: none finished"
        )
        if answers:
            print(
                f"The page answered the build request in a median of "
                f"{statistics.median(answers) * 1000:.0f} ms, slowest {answers[-1] * 1000:.0f} ms"
                f" (target under 100 ms)"
            )
    if PROFILE:
        profiles = sorted((WORK / "profiles").glob("*.txt"))
        for profile in profiles:
            print(f"\n== {profile.name}\n{profile.read_text()[:8000]}")
    errors_seen = [
        line for process in started for line in process.log.read_text().splitlines()
        if "Traceback" in line or " ERROR " in line
    ]
    if errors_seen:
        print("\nErrors in the server's or the workers' logs:", *errors_seen[:10], sep="\n  ")


if __name__ == "__main__":
    try:
        main()
    finally:
        subprocess.run([ROOT / "scripts/redis.sh", "stop", WORK / "redis"], check=False)
        if os.environ.get("BENCH_KEEP") != "1":
            shutil.rmtree(WORK, ignore_errors=True)
        else:
            print(f"Kept {WORK}")
