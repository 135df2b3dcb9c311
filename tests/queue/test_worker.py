"""Jobs on a real Redis, run by real `manage.py rqworker` processes: done, refused, killed."""

import os
import re

import pytest
from django.test import override_settings

from bettercare import jobs
from bettercare.models import Job
from tests import background_jobs
from tests.queue_fixtures import wait_until

WAIT = 60  # seconds: a worker starting on a busy 2-core machine


def test_a_job_runs_in_the_worker_process_with_its_progress(on_rq, start_worker, client):
    worker = start_worker()
    job = jobs.enqueue(background_jobs.count_pages, description="Count three pages", pages=3)
    assert job.backend == jobs.RQ
    job = jobs.wait(job, timeout=WAIT)
    assert job.state == Job.State.DONE, worker.output()
    assert job.result["counted"] == 3 and job.pages == 3
    assert job.result["pid"] != os.getpid()  # not here: in a process the worker forked
    assert job.worker.startswith("rq ")
    # The health check sees the queue and its worker.
    answer = client.get("/healthz").json()
    assert answer["status"] == "ok" and answer["database"] == "ok"
    # At least this one (a worker killed by an earlier test stays listed until its TTL ends).
    assert re.fullmatch(r"ok \(redis, \d+ workers?\)", answer["queue"]), answer


def test_a_refused_job_is_failed_with_its_reason_in_the_record_and_in_rq(on_rq, start_worker):
    from rq.registry import FailedJobRegistry

    start_worker()
    job = jobs.wait(
        jobs.enqueue(background_jobs.refuse, description="Refuse", why="The pack is Final."),
        timeout=WAIT,
    )
    assert job.state == Job.State.FAILED and job.error == "The pack is Final."
    # The worker fails our record inside the job, then RQ moves the job to its failed
    # registry: a moment later, so wait for it rather than race it.
    wait_until(
        lambda: str(job.pk) in FailedJobRegistry(queue=jobs.queue()).get_job_ids(),
        timeout=WAIT, what="RQ to record the job as failed",
    )


def test_a_job_process_killed_under_its_worker_fails_at_once_and_the_worker_goes_on(
    on_rq, start_worker, tmp_path
):
    worker = start_worker()
    started, gate = tmp_path / "started", tmp_path / "gate"
    job = jobs.enqueue(
        background_jobs.hold, description="Hold", key="hold", gate=str(gate), started=str(started)
    )
    wait_until(started.exists, timeout=WAIT, what="the job to start")
    os.kill(int(started.read_text()), 9)  # out of memory, say
    job = wait_until(
        lambda: (j := Job.objects.get(pk=job.pk)).state == Job.State.FAILED and j,
        timeout=WAIT, what="the job to be failed",
    )
    assert job.error == jobs.STOPPED
    # The same work can be asked for again, and the same worker does it.
    gate.touch()
    again = jobs.enqueue(background_jobs.hold, description="Hold", key="hold", gate=str(gate))
    assert again.pk != job.pk
    assert jobs.wait(again, timeout=WAIT).state == Job.State.DONE, worker.output()


def test_a_worker_killed_with_its_job_leaves_the_work_to_start_again(
    on_rq, start_worker, tmp_path
):
    """The machine running the worker dies: nothing can say so but the job's silence."""
    worker = start_worker()
    started, gate = tmp_path / "started", tmp_path / "gate"
    job = jobs.enqueue(
        background_jobs.hold, description="Hold", key="hold:2", gate=str(gate),
        started=str(started),
    )
    wait_until(started.exists, timeout=WAIT, what="the job to start")
    worker.kill()
    assert jobs.job_get(job.pk).state == Job.State.RUNNING  # for now, nothing knows
    with override_settings(JOBS={**jobs.settings.JOBS, "STALE_SECONDS": 3}):
        job = wait_until(
            lambda: (j := jobs.job_get(job.pk)).state == Job.State.FAILED and j,
            timeout=WAIT, what="the silent job to be failed",
        )
        assert job.error == jobs.STOPPED
        # Asked for again, it is new work, which a new worker does.
        gate.touch()
        again = jobs.enqueue(background_jobs.hold, description="Hold", key="hold:2", gate=str(gate))
        assert again.pk != job.pk and not again.joined
        start_worker()
        assert jobs.wait(again, timeout=WAIT).state == Job.State.DONE


def test_a_job_that_the_queue_lost_before_it_started_is_failed_when_read(on_rq, redis_url):
    """No worker yet, and Redis is emptied (restarted without its data): the job is known lost
    as soon as someone looks, rather than waiting for ever."""
    job = jobs.enqueue(background_jobs.count_pages, description="Count", key="k", pages=1)
    assert jobs.job_get(job.pk).state == Job.State.QUEUED
    jobs.redis_connection().delete(f"rq:job:{job.pk}")
    job = jobs.job_get(job.pk)
    assert job.state == Job.State.FAILED and job.error == jobs.LOST_BY_QUEUE


def test_the_scheduler_s_jobs_run_in_the_worker_with_a_record(on_rq, start_worker):
    """What `manage.py rqcron bettercare.cron` enqueues for a schedule entry, the worker runs."""
    from django_rq.cron import DjangoCronScheduler

    scheduler = DjangoCronScheduler()
    queues = {jobs.settings.JOBS["QUEUE"]: {"URL": jobs.settings.REDIS_URL}}
    with override_settings(RQ_QUEUES=queues):
        scheduler.load_config_from_file("bettercare.cron")
        entries = {entry.name: entry for entry in scheduler.get_jobs()}
        assert entries["bettercare.jobs.housekeeping"].cron == "30 2 * * *"
        entries["bettercare.jobs.housekeeping"].enqueue(jobs.redis_connection())
    start_worker()
    job = wait_until(
        lambda: Job.objects.filter(task="bettercare.jobs.housekeeping", state="done").first(),
        timeout=WAIT, what="the scheduled job to run",
    )
    assert job.result == {"jobs_removed": 0} and job.worker.startswith("rq ")


@pytest.mark.django_db
def test_without_redis_the_health_check_says_the_jobs_run_in_process(client):
    assert client.get("/healthz").json()["queue"] == "ok (in-process: no REDIS_URL)"
