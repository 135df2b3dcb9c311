"""Jobs for the tests of the job machinery (bettercare.jobs), importable by a worker process.

`gate` jobs wait until the test says so (a file appears), so that a test can look at a job,
or kill its worker, while it runs."""

from __future__ import annotations

import os
import time
from pathlib import Path

from bettercare.jobs import JobFailed, Progress, background_job


@background_job
def count_pages(progress: Progress, *, pages: int, gate: str = "") -> dict:
    progress("Starting to count")
    if gate:
        wait_for(gate)
    for page in range(1, pages + 1):
        progress(f"Counting page {page}", pages=page)
    return {"counted": pages, "pid": os.getpid()}


@background_job
def refuse(progress: Progress, *, why: str) -> None:
    progress("Looking at it")
    raise JobFailed(why)


@background_job
def break_down(progress: Progress) -> None:
    progress("About to break")
    raise RuntimeError("an internal detail the person must not see")


@background_job
def hold(progress: Progress, *, gate: str, started: str = "") -> dict:
    """Runs until `gate` exists; writes `started` (its pid) first, when given."""
    progress("Holding")
    if started:
        Path(started).write_text(str(os.getpid()))
    wait_for(gate)
    return {"held": True}


def wait_for(path: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not Path(path).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(path)
        time.sleep(0.05)


def not_a_job(progress: Progress) -> None:
    """Not marked @background_job: enqueue must refuse it."""
