"""A real SMTP server on loopback for the tests (aiosmtpd), and one that refuses mail.

`smtp_server` points Django's SMTP backend at a server started for the test and collects every
message it accepts, parsed, so a test reads back what a person's mail program would show.
`smtp_server.refusing = True` makes it answer 451 (try again later) to every message, as a
mail server in trouble does; `smtp_down` points Django at a port where nothing listens, and
`smtp_silent` at one that takes the connection and never answers.
`after_commit` runs a step's e-mail jobs inside a test's own transaction."""

from __future__ import annotations

import contextlib
import email
import email.policy
import functools
import socket
import threading
import time
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """What the server has received; also its aiosmtpd handler."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.refusing = False
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.refusing:
            return "451 4.3.0 Mail server busy, try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["To"]]

    def wait_for(self, count: int, *, address: str | None = None, timeout: float = 10.0):
        """Wait until `count` messages (to `address`) have arrived; return them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(address) if address else list(self.messages)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        found = self.to(address) if address else self.messages
        raise AssertionError(f"Expected {count} e-mail(s), {len(found)} arrived: {found!r}")


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


@pytest.fixture
def smtp_server(settings):
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    settings.SITE_URL = "https://bettercare.example.org"
    mailbox.port = port
    yield mailbox
    controller.stop()


@pytest.fixture
def smtp_down(settings):
    """Django pointed at a loopback port where no mail server listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_TIMEOUT = 2
    settings.SITE_URL = "https://bettercare.example.org"
    return settings.EMAIL_PORT


class SilentServer:
    """A loopback port that takes connections and never says a word (a mail server that hangs):
    counts the connections made to it."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return  # closed
            self.connections.append(connection)

    def close(self):
        self.listener.close()
        for connection in self.connections:
            connection.close()


@pytest.fixture
def smtp_silent(settings):
    """Django pointed at a mail server that accepts the connection and never answers."""
    server = SilentServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_TIMEOUT = 1
    settings.SITE_URL = "https://bettercare.example.org"
    yield server
    server.close()


@pytest.fixture
def after_commit(db):
    """A test is one transaction that never commits. `with after_commit(): step()` runs, as
    the block ends, what the step's commit would run (handing its e-mails to a background
    job), then each e-mail job it queued, here in the test's transaction, as a worker would
    (bettercare.jobs.execute). A job is never handed to a thread: a thread could not see the
    test's uncommitted rows. The thread and the RQ worker themselves are tested with committed
    data (tests/notifications/test_email_jobs.py, tests/queue/test_emails.py)."""
    from django.test import TestCase

    from bettercare import jobs
    from bettercare.models import Job
    from notifications.jobs import emails_deliver

    @contextlib.contextmanager
    def run():
        with TestCase.captureOnCommitCallbacks() as callbacks:
            yield callbacks
        while callbacks:
            callback = callbacks.pop(0)
            if isinstance(callback, functools.partial) and callback.func is jobs._dispatch:
                continue  # a job's own start: run below, in this thread
            with TestCase.captureOnCommitCallbacks() as more:
                callback()
            callbacks.extend(more)
        for job in Job.objects.filter(state=Job.State.QUEUED, task=emails_deliver.job_name):
            jobs.execute(job.pk)

    return run
