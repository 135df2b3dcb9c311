"""Background jobs without Redis: the same job code in a thread of the process that asked
(what `make demo` does). The same jobs through a real RQ worker are in tests/queue."""

import datetime as dt
import threading

import pytest
from django.db import transaction
from django.utils import timezone

from bettercare import jobs
from bettercare.models import Job
from tests import background_jobs

WAIT = 30  # seconds: a thread on a busy 2-core machine


@pytest.fixture
def gate(tmp_path):
    return tmp_path / "gate"


def test_a_job_runs_in_a_thread_and_keeps_its_progress_and_result(transactional_db):
    job = jobs.enqueue(background_jobs.count_pages, description="Count five pages", pages=5)
    assert job.state == Job.State.QUEUED and job.backend == jobs.THREAD and not job.joined
    job = jobs.wait(job, timeout=WAIT)
    assert job.state == Job.State.DONE
    assert job.result["counted"] == 5
    assert job.pages == 5 and job.step == "Counting page 5"  # the last word is always written
    assert job.worker.startswith("thread ") and job.started and job.finished
    assert job.result["pid"] == __import__("os").getpid()  # in this process


def test_a_job_refusing_its_work_says_why_and_an_unexpected_error_says_nothing_internal(
    transactional_db, caplog
):
    refused = jobs.enqueue(background_jobs.refuse, description="Refuse", why="No figures yet.")
    broken = jobs.enqueue(background_jobs.break_down, description="Break")
    refused, broken = jobs.wait(refused, timeout=WAIT), jobs.wait(broken, timeout=WAIT)
    assert refused.state == Job.State.FAILED and refused.error == "No figures yet."
    assert broken.state == Job.State.FAILED
    assert "internal detail" not in broken.error
    assert broken.error.startswith("Something went wrong")
    assert "an internal detail" in caplog.text  # but the log has it, with its traceback


def test_two_requests_for_the_same_work_at_once_are_one_job(transactional_db, gate):
    first = jobs.enqueue(
        background_jobs.count_pages, description="Count", key="count:7", pages=2, gate=str(gate)
    )
    again = jobs.enqueue(
        background_jobs.count_pages, description="Count", key="count:7", pages=2, gate=str(gate)
    )
    other = jobs.enqueue(
        background_jobs.count_pages, description="Count", key="count:8", pages=1
    )
    assert again.pk == first.pk and again.joined
    assert other.pk != first.pk
    gate.touch()
    assert jobs.wait(first, timeout=WAIT).state == Job.State.DONE
    # Once it has ended, asking again is new work.
    later = jobs.enqueue(background_jobs.count_pages, description="Count", key="count:7", pages=1)
    assert later.pk != first.pk and not later.joined
    jobs.wait(later, timeout=WAIT)
    jobs.wait(other, timeout=WAIT)


def test_concurrent_requests_race_to_one_job(transactional_db, gate):
    """Eight threads ask for the same work at the same instant: the database lets one job in."""
    barrier = threading.Barrier(8)
    found, problems = [], []

    def ask():
        try:
            barrier.wait()
            job = jobs.enqueue(
                background_jobs.count_pages, description="Race", key="race", pages=1,
                gate=str(gate),
            )
            found.append(job.pk)
        except Exception as error:  # pragma: no cover - the assertion below shows it
            problems.append(error)
        finally:
            from django.db import connections

            connections.close_all()

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not problems
    assert len(set(found)) == 1
    assert Job.objects.filter(key="race").count() == 1
    gate.touch()
    jobs.wait(Job.objects.get(key="race"), timeout=WAIT)


def test_a_job_asked_for_in_a_transaction_that_rolls_back_never_exists(transactional_db):
    with transaction.atomic():
        jobs.enqueue(background_jobs.count_pages, description="Rolled back", pages=1)
        transaction.set_rollback(True)
    assert not Job.objects.exists()


def test_a_job_whose_process_went_silent_is_failed_and_can_be_asked_for_again(
    transactional_db,
):
    """A build running in a web process that was killed: its heartbeat stops. Reading it fails
    it with a message, and the same work can start again."""
    silent = timezone.now() - dt.timedelta(minutes=5)
    lost = Job.objects.create(
        task=background_jobs.count_pages.job_name, kwargs={"pages": 1}, key="pack:1",
        description="Lost", backend=jobs.THREAD, state=Job.State.RUNNING, heartbeat=silent,
    )
    never = Job.objects.create(
        task=background_jobs.count_pages.job_name, kwargs={"pages": 1}, key="pack:2",
        description="Never started", backend=jobs.THREAD, heartbeat=silent,
    )
    assert jobs.job_get(lost.pk).error == jobs.STOPPED
    assert jobs.job_get(never.pk).error == jobs.NEVER_STARTED
    again = jobs.enqueue(background_jobs.count_pages, description="Again", key="pack:1", pages=1)
    assert again.pk != lost.pk and not again.joined
    assert jobs.wait(again, timeout=WAIT).state == Job.State.DONE


def test_a_failed_job_is_never_run_late(transactional_db):
    """A job failed as lost before its thread got to it does not then run."""
    job = Job.objects.create(
        task=background_jobs.count_pages.job_name, kwargs={"pages": 1},
        description="Given up", backend=jobs.THREAD, state=Job.State.FAILED, error="Lost.",
    )
    assert jobs.run(str(job.pk)) is None
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.error == "Lost."


def test_only_marked_functions_run_and_arguments_must_be_plain_data(db):
    with pytest.raises(ValueError, match="not a background job"):
        jobs.enqueue(background_jobs.not_a_job, description="No")
    with pytest.raises(ValueError, match="not a background job"):
        jobs.enqueue("os.system", description="No")
    with pytest.raises(TypeError):
        jobs.enqueue(background_jobs.count_pages, description="No", pages=object())
    assert not Job.objects.exists()


def test_run_job_runs_a_scheduled_job_for_cron_and_lists_the_schedule(db, capsys):
    from django.core.management import call_command

    old = Job.objects.create(
        task="x.y", description="Old", backend=jobs.THREAD, state=Job.State.DONE,
        created=timezone.now() - dt.timedelta(days=40),
    )
    call_command("run_job", "bettercare.jobs.housekeeping")
    assert '"jobs_removed": 1' in capsys.readouterr().out
    assert not Job.objects.filter(pk=old.pk).exists()
    ran = Job.objects.get(task="bettercare.jobs.housekeeping")
    assert ran.state == Job.State.DONE
    call_command("run_job", "--list")
    assert "30 2 * * *" in capsys.readouterr().out


def test_run_job_exits_with_the_reason_when_the_job_fails(db):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Nothing to do today"):
        call_command("run_job", background_jobs.refuse.job_name, "why=Nothing to do today")
