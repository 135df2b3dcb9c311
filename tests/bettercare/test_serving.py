"""Served as a service: gunicorn as `make serve` runs it, /healthz, and one log line a request."""

import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import override_settings

from bettercare.logs import JsonFormatter, logging_config

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, *, timeout: float = 10) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class Gunicorn:
    """`make serve`'s command line, with its environment, on a free loopback port."""

    def __init__(self, tmp_path: Path, **environment: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / f"gunicorn-{self.port}.log"
        env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "bettercare.settings",
            "DEBUG": "false",
            "HTTPS": "false",
            "BIND": f"127.0.0.1:{self.port}",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'served.sqlite3'}",
            **environment,
        }
        if "REDIS_URL" not in environment:
            env.pop("REDIS_URL", None)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [Path(sys.executable).parent / "gunicorn", "-c", "bettercare/gunicorn.conf.py"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                get(f"{self.url}/healthz", timeout=2)
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(self.log.read_text()) from None
                time.sleep(0.2)

    def lines(self) -> list[str]:
        return self.log.read_text().splitlines()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def served(tmp_path):
    started = []

    def start(**environment):
        server = Gunicorn(tmp_path, **environment)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def test_make_serve_runs_gunicorn_with_its_workers_threads_static_files_and_json_log(served):
    server = served(WEB_CONCURRENCY="2", GUNICORN_THREADS="3", LOG_FORMAT="json")
    status, _, body = get(f"{server.url}/healthz")
    assert status == 200
    assert json.loads(body) == {
        "status": "ok", "database": "ok", "queue": "ok (in-process: no REDIS_URL)"
    }
    status, _, page = get(f"{server.url}/accounts/login/")
    assert status == 200 and b"Log in" in page
    # The page's stylesheet, by its content-hashed name, from WhiteNoise, cached for a year.
    stylesheet = next(
        part.split('"')[0] for part in page.decode().split('href="')[1:] if ".css" in part
    )
    status, headers, _ = get(server.url + stylesheet)
    assert status == 200 and "max-age=315360000" in headers["Cache-Control"]
    time.sleep(0.5)  # the last line is written as the response goes
    records = [json.loads(line) for line in server.lines()]  # every line is JSON
    booted = [r for r in records if r["message"].startswith("Booting worker")]
    assert len(booted) == 2
    assert any(r["message"] == "Using worker: gthread" for r in records)
    requests = [r for r in records if r["logger"] == "bettercare.request"]
    login = next(r for r in requests if r["path"] == "/accounts/login/")
    assert login["method"] == "GET" and login["status"] == 200
    assert isinstance(login["duration_ms"], float) and login["duration_ms"] > 0
    assert [r["path"] for r in requests].count("/accounts/login/") == 1  # one line a request
    assert any(r["path"] == stylesheet for r in requests)


def test_healthz_names_the_part_that_does_not_answer(served):
    # Nothing listens on port 1 of loopback: the connections are refused at once.
    server = served(DATABASE_URL="postgres://nobody@127.0.0.1:1/none", REDIS_URL="redis://127.0.0.1:1/0")
    status, headers, body = get(f"{server.url}/healthz")
    assert status == 503 and headers["Cache-Control"] == "no-store"
    answer = json.loads(body)
    assert answer["status"] == "failing"
    assert answer["failing"] == ["database", "queue"]
    assert answer["database"].startswith("failing: the database did not answer")
    assert answer["queue"].startswith("failing: Redis did not answer")
    assert "127.0.0.1" not in body.decode()  # no addresses for an anonymous caller

    # The text log says the same, one line per request.
    time.sleep(0.5)
    line = next(line for line in server.lines() if "bettercare.request" in line)
    assert line.endswith("GET /healthz 503 " + line.rsplit(" ", 1)[1])
    assert line.rsplit(" ", 1)[1].endswith("ms")


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["bettercare.example.org"])
def test_healthz_answers_a_load_balancer_without_login_https_or_a_known_host(client):
    response = client.get("/healthz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    # Everything else still needs a known host, HTTPS and a login.
    assert client.get("/", HTTP_HOST="10.0.0.7").status_code == 400
    assert client.get("/", HTTP_HOST="bettercare.example.org").status_code == 301
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_every_request_is_one_line_with_method_path_status_duration_and_user(
    client, analyst, caplog
):
    client.force_login(analyst)
    with caplog.at_level(logging.INFO, logger="bettercare.request"):
        client.get("/metrics/?month=2018-08&secret=not-logged")
        client.get("/no-such-page/")
    lines = [r for r in caplog.records if r.name == "bettercare.request"]
    assert [(r.method, r.path, r.status) for r in lines] == [
        ("GET", "/metrics/", 200),
        ("GET", "/no-such-page/", 404),
    ]
    assert all(r.user_id == analyst.pk and r.duration_ms >= 0 for r in lines)
    assert "secret" not in caplog.text  # query strings are not logged


def test_json_log_lines_carry_the_fields_and_the_traceback():
    formatter = JsonFormatter()
    try:
        raise ValueError("a reason")
    except ValueError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "Failed %s", ("here",), sys.exc_info(),
            extra={"status": 500},
        )
    entry = json.loads(formatter.format(record))
    assert entry["message"] == "Failed here" and entry["level"] == "ERROR"
    assert entry["status"] == 500 and "ValueError: a reason" in entry["exception"]
    assert entry["time"].endswith("+00:00")


def test_an_unknown_log_format_is_refused():
    with pytest.raises(ValueError, match="LOG_FORMAT must be text or json"):
        logging_config(log_format="xml", level="INFO")
