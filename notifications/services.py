"""Every write of the e-mail records: writing a notice, sending it, sending it again.

An e-mail is written (rendered and recorded as waiting) inside the transaction of the step it
tells of, and sent once that transaction commits: a step that rolls back sends nothing, and a
mail server that is down loses nothing (the record says it failed, and why, and the next
`send_reminders` run or an analyst's "Send again" tries it again).

Sending happens in `emails_send`, a plain function of record ids, run as a background job
(`notifications.jobs.emails_deliver`, through bettercare.jobs: an RQ worker with Redis, a
thread without) so that the person whose step it was never waits for the mail server. Those
who report each outcome at once (the daily reminders, "Send a reminder now", "Send again")
call it themselves. A password reset is sent at once in the request, never through a job:
a job's arguments are kept, and the link must not be.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from bettercare.models import Area

from .models import EmailPreference, EmailRecord
from .permissions import may_send_again

logger = logging.getLogger(__name__)

# A message that has failed this many times is left for a person to look at ("Send again").
MAX_AUTOMATIC_ATTEMPTS = 5
NO_ADDRESS = "has no e-mail address: an administrator can add one, then send this again."


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def site_url(path: str = "") -> str:
    """An absolute link for an e-mail, built from the configured address of the site."""
    return settings.SITE_URL.rstrip("/") + path


def render(template: str, context: dict) -> Rendered:
    """`template` names three files: `<template>_subject.txt`, `<template>.txt` and
    `<template>.html` (which extends notifications/email/base.html)."""
    context = {"site_url": site_url(), "service_name": "Better Care reporting", **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    return Rendered(
        subject=subject[:200],
        text=render_to_string(f"{template}.txt", context).strip() + "\n",
        html=render_to_string(f"{template}.html", context),
    )


def _person(user) -> str:
    return user.get_full_name() or user.username


_silenced = threading.local()


@contextlib.contextmanager
def notices_silenced():
    """Write no e-mail inside the block, in this thread: for loading the records of steps
    taken elsewhere and long ago (the demo's history), which must not tell people now, in
    their inboxes or in the e-mail log, of what they did then."""
    before = getattr(_silenced, "on", False)
    _silenced.on = True
    try:
        yield
    finally:
        _silenced.on = before


def email_queue(
    *,
    recipient,
    kind: str,
    template: str,
    context: dict,
    area: Area | None = None,
    topic: str = "",
    about: str = "",
    key: str = "",
    created_by=None,
    send_after_commit: bool = True,
) -> EmailRecord | None:
    """Write an e-mail to `recipient` and send it once the current transaction commits (or,
    with `send_after_commit=False`, leave it waiting for the caller to send with
    `emails_settle`: reminders, whose sender reports each outcome).

    None when there is nothing to send: the person's account is closed, or an e-mail with the
    same `key` has already been written (a reminder goes once a day for each reason)."""
    if not recipient.is_active or getattr(_silenced, "on", False):
        return None
    rendered = render(
        template, {"recipient": recipient, "recipient_name": _person(recipient), **context}
    )
    record = EmailRecord(
        area=area,
        recipient=recipient,
        to_address=recipient.email,
        kind=kind,
        topic=topic,
        about=about[:200],
        key=key,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
    )
    if key and EmailRecord.objects.filter(key=key).exists():
        return None
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        if key:  # another run wrote the same e-mail at the same moment
            return None
        raise
    if send_after_commit:
        emails_deliver_after_commit([record], area=area)
    return record


def emails_deliver_after_commit(records: Iterable[EmailRecord], *, area: Area | None = None):
    """Send the e-mails, in one background job, once the current transaction commits: a step
    that tells several people is one job. Call it inside the step's transaction."""
    ids = [record.pk for record in records]
    if ids:
        # robust: a queue that cannot take the job must not fail the committed step; the
        # e-mails stay waiting and the daily run sends them.
        transaction.on_commit(partial(_dispatch, ids, area=area), robust=True)


def _dispatch(ids: list[int], *, area: Area | None = None) -> None:
    """Where committed e-mails go to be sent: a background job."""
    from bettercare.jobs import enqueue

    from .jobs import emails_deliver

    enqueue(
        emails_deliver,
        description=f"Sending {len(ids)} e-mail{'s' if len(ids) != 1 else ''}",
        area=area,
        ids=list(ids),
    )


def emails_settle(records: Iterable[EmailRecord]) -> list[EmailRecord]:
    """The records with their outcome, for a page or command that reports it. They were sent
    when their transaction committed; any still waiting (a caller inside a longer
    transaction) are sent now, so the outcome is known either way."""
    records = list(records)
    emails_send(ids=[record.pk for record in records])
    for record in records:
        record.refresh_from_db()
    return records


def _message(record: EmailRecord, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=record.subject,
        body=record.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[record.to_address],
        connection=connection,
        headers={"Auto-Submitted": "auto-generated"},
    )
    if record.body_html:
        message.attach_alternative(record.body_html, "text/html")
    return message


def _claim(record: EmailRecord) -> bool:
    """Take the record for one attempt: a conditional update, so that two senders (a web
    process and the daily command) never send the same e-mail twice."""
    claimed = EmailRecord.objects.filter(
        pk=record.pk,
        attempts=record.attempts,
        state__in=[EmailRecord.State.PENDING, EmailRecord.State.FAILED],
    ).update(attempts=F("attempts") + 1, last_attempt=timezone.now())
    if claimed:
        record.attempts += 1
    return bool(claimed)


def _server_unreachable(exc: Exception) -> bool:
    """The failure is the mail server's, not the message's: it could not be reached or did not
    answer, so every other message sent now would wait for the same timeout and fail alike."""
    if isinstance(exc, smtplib.SMTPConnectError | smtplib.SMTPServerDisconnected):
        return True
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


def _send_one(record: EmailRecord, connection, *, server_down: str = "") -> str:
    """Send one claimed record and save its outcome. With `server_down` (the reason an earlier
    message of the same batch could not reach the server) it is not tried: it fails with that
    reason, so a batch waits for one timeout, not one per message. Returns the reason when this
    message found the server unreachable."""
    if record.recipient_id and record.recipient.email != record.to_address:
        # The person's address was added or changed since: send to the address they have now.
        record.to_address = record.recipient.email
    error = unreachable = ""
    if not record.to_address:
        error = f"{_person(record.recipient) if record.recipient else 'The recipient'} {NO_ADDRESS}"
    elif server_down:
        error = server_down
    else:
        try:
            _message(record, connection).send()
        except (smtplib.SMTPException, OSError) as exc:
            error = _describe(exc)
            logger.warning("E-mail %s to %s failed: %s", record.pk, record.to_address, error)
            # The connection may be half-open after an error; start the next message afresh.
            connection.close()
            if _server_unreachable(exc):
                unreachable = error
    now = timezone.now()
    if error:
        record.state, record.error = EmailRecord.State.FAILED, error
    else:
        record.state, record.error, record.sent = EmailRecord.State.SENT, "", now
    record.save(update_fields=["state", "error", "sent", "to_address"])
    return unreachable


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = (
            exc.smtp_error.decode(errors="replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        return f"The mail server refused the message ({exc.smtp_code} {text})."
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "The mail server refused the address."
    if isinstance(exc, ConnectionRefusedError):
        return "The mail server could not be reached (connection refused)."
    if isinstance(exc, TimeoutError) or (
        # smtplib reports a greeting that never came as a disconnection "timed out".
        isinstance(exc, smtplib.SMTPServerDisconnected) and "timed out" in str(exc)
    ):
        return "The mail server did not answer in time."
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "The mail server closed the connection before the e-mail was sent."
    return f"The e-mail could not be sent: {exc.__class__.__name__}: {exc}"[:500]


def emails_send(
    *, ids: Iterable[int] | None = None, failed_too: bool = False
) -> dict[str, int]:
    """Send the given e-mails that are still waiting (and, with `failed_too`, those that
    failed) or, without ids, every e-mail waiting or failed fewer than MAX_AUTOMATIC_ATTEMPTS
    times, over one connection; returns how many went and how many failed. Once the server
    cannot be reached or does not answer, the rest fail with the same reason without waiting
    again: a page sending ten reminders waits for one timeout, not ten."""
    records = EmailRecord.objects.select_related("recipient").filter(
        state__in=[EmailRecord.State.PENDING, EmailRecord.State.FAILED]
    )
    if ids is not None:
        records = records.filter(pk__in=list(ids))
        if not failed_too:
            records = records.filter(state=EmailRecord.State.PENDING)
    else:
        records = records.filter(
            Q(state=EmailRecord.State.PENDING) | Q(attempts__lt=MAX_AUTOMATIC_ATTEMPTS)
        )
    counts = {"sent": 0, "failed": 0}
    connection = get_connection(fail_silently=False)
    server_down = ""
    try:
        for record in records.order_by("created", "pk"):
            if not _claim(record):
                continue
            server_down = _send_one(record, connection, server_down=server_down) or server_down
            counts["sent" if record.state == EmailRecord.State.SENT else "failed"] += 1
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()
    return counts


def email_send_again(*, record: EmailRecord, user) -> EmailRecord:
    """An analyst sends a failed (or still waiting) e-mail again, now."""
    if not may_send_again(user, record):
        raise PermissionDenied("You cannot send this e-mail again.")
    if record.state == EmailRecord.State.SENT:
        return record
    emails_send(ids=[record.pk], failed_too=True)
    record.refresh_from_db()
    return record


def email_send_now(
    *,
    recipient_address: str,
    kind: str,
    rendered: Rendered,
    recipient=None,
    keep_body: bool = True,
    note: str = "",
) -> EmailRecord:
    """Send an e-mail at once, outside any workflow step, and record it. With
    `keep_body=False` the record keeps only `note` in place of the text: a password reset
    link must not be readable by anyone who can read the records."""
    record = EmailRecord.objects.create(
        recipient=recipient,
        to_address=recipient_address,
        kind=kind,
        subject=rendered.subject,
        body_text=rendered.text if keep_body else note,
        body_html=rendered.html if keep_body else "",
    )
    connection = get_connection(fail_silently=False)
    _claim(record)
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient_address],
        connection=connection,
    )
    message.attach_alternative(rendered.html, "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        record.state, record.error = EmailRecord.State.FAILED, _describe(exc)
        # Only a fresh reset link can be sent: this one is never tried again automatically.
        record.attempts = MAX_AUTOMATIC_ATTEMPTS
        record.save(update_fields=["state", "error", "attempts"])
        logger.warning("E-mail %s to %s failed: %s", record.pk, recipient_address, record.error)
    else:
        record.state, record.sent = EmailRecord.State.SENT, timezone.now()
        record.save(update_fields=["state", "sent"])
    return record


@transaction.atomic
def email_preference_save(*, user, reminders: bool) -> EmailPreference:
    preference, _ = EmailPreference.objects.get_or_create(user=user)
    preference.reminders = reminders
    preference.updated = timezone.now()
    preference.save()
    return preference
