"""Reads of the e-mail records and preferences."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from bettercare.models import Area

from .models import EmailPreference, EmailRecord


def emails_for_area(*, area: Area) -> QuerySet[EmailRecord]:
    return EmailRecord.objects.filter(area=area).select_related("recipient", "created_by")


def email_for_area(*, area: Area, pk: int) -> EmailRecord | None:
    return emails_for_area(area=area).filter(pk=pk).first()


def wants_reminders(user) -> bool:
    preference = EmailPreference.objects.filter(user=user).first()
    return preference.reminders if preference else True


def users_without_reminders(users: Iterable) -> set[int]:
    """The ids, among `users`, of people who have turned reminders off."""
    return set(
        EmailPreference.objects.filter(user__in=list(users), reminders=False).values_list(
            "user_id", flat=True
        )
    )


def latest_emails_by_topic(
    *, topics: Iterable[str], kinds: Iterable[str]
) -> dict[str, EmailRecord]:
    """The newest e-mail of one of `kinds` for each topic, in two queries at most."""
    latest: dict[str, EmailRecord] = {}
    records = (
        EmailRecord.objects.filter(topic__in=list(topics), kind__in=list(kinds))
        .select_related("recipient")
        .order_by("topic", "-created", "-pk")
    )
    for record in records:
        latest.setdefault(record.topic, record)
    return latest
