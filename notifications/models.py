"""Every e-mail the service sends or tries to send, and each person's choice about reminders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bettercare.models import Area


class EmailRecord(models.Model):
    """One e-mail to one person: written in the same transaction as the step it tells of, sent
    once that transaction has committed. A failure is kept with its reason and the message is
    sent again by the next `send_reminders` run or an analyst's "Send again", so a workflow
    step is never lost because the mail server was down."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, null=True, blank=True, related_name="emails"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails_received",
    )
    to_address = models.EmailField("to")
    kind = models.CharField(
        max_length=40, help_text="What sort of e-mail, e.g. report_submitted or reminder_due."
    )
    topic = models.CharField(
        max_length=120,
        blank=True,
        db_index=True,
        help_text="What the e-mail is about, as the sending app names it (a scheme's report for "
        "a quarter, a pack), so that app can find its e-mails again.",
    )
    about = models.CharField(max_length=200, blank=True, help_text="The same, in words.")
    key = models.CharField(
        max_length=200,
        blank=True,
        help_text="Set for e-mails that must go only once, e.g. one reminder a day for each "
        "reason: the database refuses a second e-mail with the same key.",
    )
    subject = models.CharField(max_length=200)
    body_text = models.TextField("plain text")
    body_html = models.TextField("HTML", blank=True)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Whose action wrote the e-mail; empty for the daily reminders.",
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt = models.DateTimeField(null=True, blank=True)
    sent = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="Why the last attempt failed.")

    class Meta:
        verbose_name = "e-mail"
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="one_email_per_key"),
            models.CheckConstraint(
                condition=Q(state="sent", sent__isnull=False) | ~Q(state="sent"),
                name="sent_email_has_time",
            ),
        ]
        indexes = [models.Index(fields=["state", "attempts"], name="email_to_send")]

    def __str__(self) -> str:
        return f"{self.subject} to {self.to_address} ({self.get_state_display().lower()})"


class EmailPreference(models.Model):
    """What a person has chosen about e-mail. Without a record, they get every e-mail.

    Only reminders can be turned off: a notice that a person's own report was returned or
    accepted, or that a report is waiting for them, is part of the work and always goes."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preference"
    )
    reminders = models.BooleanField(
        "send me reminders",
        default=True,
        help_text="Reminders before a report is due and when it is overdue.",
    )
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "e-mail preference"

    def __str__(self) -> str:
        return f"{self.user}: reminders {'on' if self.reminders else 'off'}"
