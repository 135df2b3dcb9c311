"""Background work: one way to run a job, on RQ with Redis or in a thread of the web process.

A job is a function marked `@background_job`, kept in its app's `jobs.py`. It takes a
`Progress` first and keyword arguments that JSON can hold (ids, not model instances), and
returns a JSON-able result or raises `JobFailed` with a message for the person waiting:

    @background_job
    def reminders_send(progress: Progress, *, area_id: int) -> dict:
        progress("Writing the reminders")
        ...
        return {"sent": 12}

    job = enqueue(reminders_send, description="Reminders for Southampton", area_id=area.pk)

`enqueue` writes a `bettercare.models.Job` record (the job's state, step, page count, result
or error, read by pages that poll it) and hands the job to a runner once the caller's
transaction commits, so that a rolled-back import enqueues nothing:

- with `REDIS_URL` set, to RQ (django-rq): `python manage.py rqworker` runs it, on any number
  of machines. The worker forks a process per job (RQ's own `Worker`), so that a job's memory,
  and the Chromium a pack build starts, go when it ends;
- without it, to a thread of the process that asked (at most `JOBS["THREADS"]` at once), so
  that `make demo` needs no Redis. The code that runs is the same (`run`).

Jobs with the same `key` are the same work: while one is waiting or running, asking again
returns it (`job.joined` is True) rather than starting a second, which the database enforces.

A job whose process dies (a worker killed mid-build, a web process restarted) cannot say so
itself. The process holding a job writes a heartbeat every `JOBS["HEARTBEAT_SECONDS"]`; a job
silent for `JOBS["STALE_SECONDS"]` is failed, with a message, whenever it is read
(`job_refresh`) or asked for again, so that the work can be started again. A forked worker
whose job process is killed fails the job at once (`Worker`).

Recurring work is declared by each app's AppConfig as `scheduled_jobs`
(`{"app.jobs.function": "cron expression"}`) and run either by RQ's scheduler
(`python manage.py rqcron bettercare.cron`) or by cron(8) calling `manage.py run_job`.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Job

logger = logging.getLogger(__name__)

RQ, THREAD = "rq", "thread"
RUN = "bettercare.jobs.run"  # what RQ is asked to call: the same entry point for every job

_tasks: dict[str, Callable[..., Any]] = {}


class JobFailed(Exception):
    """Raised by a job that cannot do its work: the message is shown to the person as it is."""


def background_job(function: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a function as a job that `enqueue` may run (nothing else is ever run by name)."""
    name = f"{function.__module__}.{function.__qualname__}"
    _tasks[name] = function
    function.job_name = name
    return function


def backend() -> str:
    return settings.JOBS["BACKEND"]


def _task_name(task: Callable[..., Any] | str) -> str:
    name = task if isinstance(task, str) else getattr(task, "job_name", "")
    if not name or _task(name) is None:
        raise ValueError(f"{task!r} is not a background job (mark it @background_job).")
    return name


def _task(name: str) -> Callable[..., Any] | None:
    if name not in _tasks:
        try:
            import_string(name)  # importing its module registers it
        except ImportError:
            return None
    return _tasks.get(name)


def enqueue(
    task: Callable[..., Any] | str,
    *,
    description: str,
    key: str = "",
    area=None,
    user=None,
    **kwargs: Any,
) -> Job:
    """Ask for a job to run; returns its record at once. With a `key`, a job of that key that
    is waiting or running is returned instead (its `joined` attribute says so). The job
    starts once the caller's transaction commits."""
    name = _task_name(task)
    kwargs = json.loads(json.dumps(kwargs, cls=DjangoJSONEncoder))  # what the runner will see
    with transaction.atomic():
        if key:
            active = _active_with_key(key)
            if active is not None:
                return active
        try:
            with transaction.atomic():
                job = Job.objects.create(
                    task=name,
                    kwargs=kwargs,
                    key=key,
                    description=description[:200],
                    area=area,
                    created_by=user if user is not None and user.is_authenticated else None,
                    backend=backend(),
                    heartbeat=timezone.now(),
                )
        except IntegrityError:
            # Another request asked for the same work at the same moment and won the race.
            active = _active_with_key(key) if key else None
            if active is None:
                raise
            return active
        transaction.on_commit(partial(_dispatch, job.pk))
    job.joined = False
    return job


def _active_with_key(key: str) -> Job | None:
    for job in Job.objects.filter(key=key, state__in=Job.ACTIVE):
        job = job_refresh(job)
        if job.is_active:
            job.joined = True
            return job
    return None


def job_get(pk) -> Job | None:
    """The job, brought up to date (see `job_refresh`); None if there is no such job."""
    try:
        job = Job.objects.get(pk=pk)
    except (Job.DoesNotExist, ValidationError, ValueError):
        return None
    return job_refresh(job)


NEVER_STARTED = "It never started: the server restarted before it could run. Start it again."
LOST_BY_QUEUE = "It never started: the queue no longer holds it. Start it again."
STOPPED = (
    "It stopped before it finished: the process running it ended (a restart, or a machine "
    "stopping). Nothing was kept from it. Start it again."
)


def job_refresh(job: Job) -> Job:
    """The job, failed with a message if the process holding it has gone (see the module's
    notes); otherwise as it is."""
    if not job.is_active:
        return job
    silent_since = timezone.now() - dt.timedelta(seconds=settings.JOBS["STALE_SECONDS"])
    silent = job.heartbeat is None or job.heartbeat < silent_since
    if job.state == Job.State.RUNNING and silent:
        return _fail(job, STOPPED)
    if job.state == Job.State.QUEUED:
        if job.backend == THREAD and silent:
            return _fail(job, NEVER_STARTED)
        if job.backend == RQ and _rq_lost(job):
            return _fail(job, LOST_BY_QUEUE)
    return job


def _fail(job: Job, message: str) -> Job:
    """Fail an active job, unless it has moved on meanwhile; the job as it now is."""
    Job.objects.filter(pk=job.pk, state=job.state).update(
        state=Job.State.FAILED, error=message, finished=timezone.now()
    )
    job.refresh_from_db()
    return job


def _rq_lost(job: Job) -> bool:
    """A job waiting in RQ that RQ no longer has, or has failed (its worker died before our
    code ran). False when Redis cannot be asked: that says nothing about the job."""
    from redis.exceptions import RedisError
    from rq.exceptions import NoSuchJobError
    from rq.job import Job as RqJob
    from rq.job import JobStatus

    try:
        status = RqJob.fetch(str(job.pk), connection=redis_connection()).get_status()
    except NoSuchJobError:
        return True
    except RedisError:
        return False
    return status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED)


# Running --------------------------------------------------------------------------------------


def _dispatch(job_id) -> None:
    if backend() == RQ:
        from redis.exceptions import RedisError

        try:
            queue().enqueue_call(
                RUN,
                args=(str(job_id),),
                job_id=str(job_id),
                timeout=settings.JOBS["TIMEOUT_SECONDS"],
                result_ttl=60 * 60,
                failure_ttl=7 * 24 * 60 * 60,
            )
        except RedisError:
            logger.exception("Could not put job %s on the queue", job_id)
            Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
                state=Job.State.FAILED,
                error="The job could not be queued: the queue did not answer. Try again in a "
                "minute; if it keeps happening, tell your administrator.",
                finished=timezone.now(),
            )
    else:
        _thread_runner().start(job_id)


def run(job_id: str) -> Any:
    """Run a queued job here and now, keeping its heartbeat: what an RQ worker calls. An
    exception is raised again after the job is failed, so that RQ records it too."""
    try:
        with _Heartbeat(job_id):
            return execute(job_id)
    finally:
        connections.close_all()  # a forked job process ends with os._exit: close it properly


def execute(job_id) -> Any:
    """Run a queued job in this thread, now, without a heartbeat of its own: the body of every
    runner (`run`, the thread runner, `run_now`), and what tests call to run the jobs a request
    asked for inside their own transaction."""
    now = timezone.now()
    started = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started=now, heartbeat=now, worker=_worker_name()
    )
    if not started:
        logger.warning("Job %s is not waiting to start (failed meanwhile?): not run", job_id)
        return None
    job = Job.objects.get(pk=job_id)
    function = _task(job.task)
    progress = Progress(job_id)
    try:
        if function is None:
            raise JobFailed(f"This server does not know the job {job.task!r}.")
        result = function(progress, **job.kwargs)
    except BaseException as error:
        progress.flush()
        if not isinstance(error, JobFailed | ValidationError):
            logger.exception("Job %s (%s) failed", job_id, job.task)
        Job.objects.filter(pk=job_id).update(
            state=Job.State.FAILED, error=message_for_people(error), finished=timezone.now()
        )
        raise
    progress.flush()
    # Done even if it was given up for lost meanwhile (its heartbeat was late): its result is
    # real, and whatever it stored was checked by the services that stored it.
    Job.objects.filter(pk=job_id).update(
        state=Job.State.DONE, result=result, error="", finished=timezone.now()
    )
    return result


def message_for_people(error: BaseException) -> str:
    if isinstance(error, JobFailed):
        return str(error)
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if type(error).__name__ == "JobTimeoutException":  # rq.timeouts, raised in the job
        minutes = settings.JOBS["TIMEOUT_SECONDS"] // 60
        return f"It took longer than {minutes} minutes and was stopped. Try again later."
    return (
        "Something went wrong while running it. Try again; if it happens again, tell your "
        "administrator."
    )


def _worker_name() -> str:
    rq_worker = os.environ.get("RQ_WORKER_ID")  # set by RQ in the job's process
    if rq_worker:
        return f"rq {rq_worker}"[:200]
    return f"thread {socket.gethostname()}:{os.getpid()}"[:200]


class Progress:
    """How a job tells the person waiting what it is doing: `progress("Drawing 8 charts")`,
    `progress(pages=12)`. Written at most every `interval` seconds (a PDF reports every page),
    and always when the job ends."""

    def __init__(self, job_id, *, interval: float = 0.5):
        self.job_id = job_id
        self.interval = interval
        self._pending: dict[str, Any] = {}
        self._written = 0.0

    def __call__(self, step: str | None = None, *, pages: int | None = None) -> None:
        if step is not None:
            self._pending["step"] = step[:300]
        if pages is not None:
            self._pending["pages"] = pages
        if time.monotonic() - self._written >= self.interval:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            Job.objects.filter(pk=self.job_id).update(**self._pending, heartbeat=timezone.now())
            self._pending = {}
        self._written = time.monotonic()


class _Heartbeat:
    """A thread that says every `JOBS["HEARTBEAT_SECONDS"]` that the job's process is alive,
    for as long as the `with` block lasts."""

    def __init__(self, job_id):
        self.job_id = job_id
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{job_id}", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _beat(self) -> None:
        try:
            while not self._stop.wait(settings.JOBS["HEARTBEAT_SECONDS"]):
                try:
                    Job.objects.filter(pk=self.job_id, state__in=Job.ACTIVE).update(
                        heartbeat=timezone.now()
                    )
                except Exception:  # a busy database: the next beat tries again
                    logger.warning("Heartbeat of job %s not written", self.job_id, exc_info=True)
        finally:
            connections.close_all()


class _ThreadRunner:
    """Runs jobs in threads of this process, at most `JOBS["THREADS"]` at once; a job waiting
    for its turn keeps its heartbeat, so it is not taken for lost."""

    def __init__(self, threads: int):
        self._slots = threading.BoundedSemaphore(threads)
        self._held: dict[str, threading.Thread] = {}
        self._lock = threading.Lock()
        atexit.register(self._finish_or_fail_held)

    def start(self, job_id) -> None:
        thread = threading.Thread(
            target=self._run, args=(job_id,), name=f"job-{job_id}", daemon=True
        )
        with self._lock:
            self._held[str(job_id)] = thread
        thread.start()

    def _run(self, job_id) -> None:
        try:
            with _Heartbeat(job_id), self._slots:
                execute(job_id)
        except Exception:  # noqa: S110 (failed and logged by execute)
            pass
        finally:
            with self._lock:
                self._held.pop(str(job_id), None)
            connections.close_all()

    def _finish_or_fail_held(self) -> None:
        """The process is ending (a web server's restart, the end of a command that imported
        figures): its jobs get `JOBS["EXIT_WAIT_SECONDS"]` to finish (gunicorn allows a
        worker 30 s to stop); those still running then will not finish, which their pages
        should say now rather than once the heartbeat is late."""
        deadline = time.monotonic() + settings.JOBS["EXIT_WAIT_SECONDS"]
        with self._lock:
            threads = list(self._held.values())
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        with self._lock:
            held = list(self._held)
        if not held:
            return
        try:
            Job.objects.filter(pk__in=held, state__in=Job.ACTIVE).update(
                state=Job.State.FAILED, error=STOPPED, finished=timezone.now()
            )
        except Exception:
            logger.warning("Could not fail the jobs of a process that is ending", exc_info=True)


_runner: _ThreadRunner | None = None
_runner_lock = threading.Lock()


def _thread_runner() -> _ThreadRunner:
    global _runner
    with _runner_lock:
        if _runner is None:
            _runner = _ThreadRunner(settings.JOBS["THREADS"])
        return _runner


def wait(job: Job, *, timeout: float, interval: float = 0.2) -> Job:
    """The job once it has ended (or after `timeout` seconds), for commands and tests."""
    deadline = time.monotonic() + timeout
    while True:
        job = job_refresh(Job.objects.get(pk=job.pk))
        if not job.is_active or time.monotonic() >= deadline:
            return job
        time.sleep(interval)


# RQ -------------------------------------------------------------------------------------------


def queue():
    """The RQ queue jobs go to (a plain rq.Queue on `redis_connection`: django-rq's own queue
    class would hold jobs back until the request ends, and `enqueue` already waits for the
    commit)."""
    from rq import Queue

    return Queue(settings.JOBS["QUEUE"], connection=redis_connection())


_redis: dict[str, Any] = {}


def redis_connection():
    """A connection to REDIS_URL that gives up quickly: the web process asks it in requests
    (the health check, a job's status), which must not hang on an unreachable server."""
    url = settings.REDIS_URL
    if url not in _redis:
        import redis

        _redis[url] = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    return _redis[url]


def queue_health() -> tuple[bool, str]:
    """(answers, what was found): for /healthz."""
    if backend() == THREAD:
        return True, "ok (in-process: no REDIS_URL)"
    from redis.exceptions import RedisError
    from rq import Worker as RqWorker

    try:
        redis_connection().ping()
        workers = RqWorker.count(connection=redis_connection(), queue=queue())
    except RedisError as error:
        return False, f"failing: Redis did not answer ({type(error).__name__})"
    return True, f"ok (redis, {workers} worker{'s' if workers != 1 else ''})"


@functools.cache
def _rq_worker_class():
    from rq import Worker as RqWorker

    class Worker(RqWorker):
        """`python manage.py rqworker`'s worker (settings.RQ["WORKER_CLASS"]): RQ's forking
        worker, which also fails our record of a job whose process died under it (killed,
        out of memory), at once rather than after the heartbeat's silence."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            # Import every app's jobs (and what they use) once, here, so that each forked job
            # process starts with them loaded.
            from django.apps import apps
            from django.utils.module_loading import autodiscover_modules

            autodiscover_modules("jobs")
            # And whatever each app's jobs would otherwise load in every job (AppConfig
            # `prepare_worker`: the board packs read WeasyPrint's fonts).
            for config in apps.get_app_configs():
                if getattr(config, "prepare_worker", None):
                    import_string(config.prepare_worker)()
            connections.close_all()

        def handle_job_failure(self, job, queue, started_job_registry=None, exc_string=""):
            super().handle_job_failure(
                job, queue, started_job_registry=started_job_registry, exc_string=exc_string
            )
            if job.func_name != RUN:
                return
            try:
                Job.objects.filter(pk=job.id, state__in=Job.ACTIVE).update(
                    state=Job.State.FAILED,
                    error=STOPPED,
                    finished=timezone.now(),
                )
            except Exception:
                logger.exception("Could not record that job %s failed", job.id)
            finally:
                connections.close_all()  # never carry a connection into the next fork

    return Worker


def __getattr__(name: str):
    # `bettercare.jobs.Worker` is imported lazily: the web process in thread mode never
    # needs RQ at all.
    if name == "Worker":
        return _rq_worker_class()
    raise AttributeError(name)


# Scheduled work -------------------------------------------------------------------------------


def scheduled_jobs() -> dict[str, str]:
    """{job name: cron expression} from every app's AppConfig `scheduled_jobs`."""
    from django.apps import apps

    schedule: dict[str, str] = {}
    for config in apps.get_app_configs():
        schedule.update(getattr(config, "scheduled_jobs", {}))
    return schedule


def run_now(task: Callable[..., Any] | str, *, description: str, **kwargs: Any) -> Job:
    """Run a job in this process, now, with its record like any other (for cron(8) through
    `manage.py run_job`, and for RQ's scheduler through `run_scheduled`)."""
    name = _task_name(task)
    job = Job.objects.create(
        task=name,
        kwargs=json.loads(json.dumps(kwargs, cls=DjangoJSONEncoder)),
        description=description[:200],
        backend=backend(),
        heartbeat=timezone.now(),
    )
    try:
        with _Heartbeat(job.pk):
            execute(job.pk)
    except Exception:  # noqa: S110 (recorded on the job, logged by execute)
        pass
    job.refresh_from_db()
    return job


def run_scheduled(name: str) -> Any:
    """What RQ's scheduler enqueues for each entry of `scheduled_jobs` (see bettercare.cron)."""
    job = run_now(name, description=f"Scheduled: {name}")
    if job.state == Job.State.FAILED:
        raise JobFailed(job.error)
    return job.result


JOBS_KEPT_FOR = dt.timedelta(days=30)


@background_job
def housekeeping(progress: Progress) -> dict:
    """Remove the records of jobs that ended more than `JOBS_KEPT_FOR` ago (scheduled daily by
    BettercareConfig.scheduled_jobs)."""
    progress("Removing the records of old jobs")
    removed, _ = Job.objects.filter(
        state__in=[Job.State.DONE, Job.State.FAILED],
        created__lt=timezone.now() - JOBS_KEPT_FOR,
    ).delete()
    return {"jobs_removed": removed}
