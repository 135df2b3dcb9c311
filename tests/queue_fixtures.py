"""A real Redis and real RQ workers (`python manage.py rqworker`) for the queue's tests
(tests/queue, and the browser journey through the queue): a pytest plugin (tests/conftest.py's
`pytest_plugins`), so that each fixture has one definition for the whole session.

Redis is the one REDIS_URL names (`.ci/run` starts Debian's redis-server beside PostgreSQL),
else one started here with scripts/redis.sh (installing redis-server if it can). Without
either these tests fail, never skip. Each test session uses a queue of its own, so that two
runs sharing a Redis never take each other's jobs.

A worker is a separate process that reads the test database: the tests that use one commit
their data (`transactional_db`), and on SQLite the test database is a file (settings_test).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[1]
QUEUE = f"test-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    url = os.environ.get("REDIS_URL")
    if url:
        yield url
        return
    folder = tmp_path_factory.mktemp("redis")
    port = _free_port()
    started = subprocess.run(
        [str(ROOT / "scripts/redis.sh"), "start", str(folder), str(port)],
        capture_output=True, text=True, timeout=300,
    )
    if started.returncode != 0:
        pytest.fail(f"Redis could not be started: {started.stderr}")
    yield started.stdout.strip()
    subprocess.run([str(ROOT / "scripts/redis.sh"), "stop", str(folder)], timeout=60)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The test database, as a DATABASE_URL for another process."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def on_rq(redis_url, transactional_db):
    """This test process enqueues to RQ, on the session's queue of its own. The metric
    catalogue, loaded by a migration, is emptied like every table after a test that commits:
    it is put back first."""
    import redis

    from metrics.services import metric_catalogue_ensure

    metric_catalogue_ensure()
    jobs = {**settings.JOBS, "BACKEND": "rq", "QUEUE": QUEUE}
    with override_settings(REDIS_URL=redis_url, JOBS=jobs):
        yield
    redis.Redis.from_url(redis_url).delete(f"rq:queue:{QUEUE}")


class WorkerProcess:
    """`python manage.py rqworker QUEUE` in a process group of its own."""

    def __init__(self, redis_url: str, log: Path, **environment: str):
        env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "bettercare.settings_test",
            "DATABASE_URL": database_url(),
            "REDIS_URL": redis_url,
            "JOBS_QUEUE": QUEUE,
            "JOBS_HEARTBEAT_SECONDS": "1",
            **environment,
        }
        self.log = log
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "rqworker", QUEUE, "--worker-ttl", "30"],
                cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def job_processes(self) -> list[int]:
        """The pids of the forked processes running its jobs."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def kill(self) -> None:
        """As a machine dying would: the worker and the job it runs, at once, no clean-up."""
        for pid in self.job_processes():
            os.killpg(pid, signal.SIGKILL)  # a job process leads a process group of its own
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def start_worker(redis_url, tmp_path):
    started: list[WorkerProcess] = []

    def start(**environment) -> WorkerProcess:
        worker = WorkerProcess(redis_url, tmp_path / "worker.log", **environment)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_until(condition, *, timeout: float, interval: float = 0.1, what: str = ""):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {what or condition}")
        time.sleep(interval)

