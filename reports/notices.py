"""The e-mail sent when a board pack is made Final: to the area's board secretaries and
analysts, so everyone preparing the meeting works from the same version."""

from __future__ import annotations

from django.urls import reverse

from bettercare.roles import Role
from bettercare.selectors import area_people_with_role
from notifications.models import EmailRecord
from notifications.services import (
    email_queue,
    emails_deliver_after_commit,
    site_url,
)

from .models import Pack, PackVersion


def pack_final_notify(*, pack: Pack, version: PackVersion, actor) -> list[EmailRecord]:
    """Call inside the transaction that makes the pack Final: the e-mails go if it commits."""
    people = {}
    for role in (Role.BOARD_SECRETARY, Role.ANALYST):
        for person in area_people_with_role(area=pack.area, role=role):
            people.setdefault(person.pk, person)
    context = {
        "pack_title": pack.title,
        "board": pack.get_board_display(),
        "quarter_label": pack.quarter.short_label,
        "version": version.number,
        "meeting_date": pack.meeting_date,
        "actor_name": actor.get_full_name() or actor.username if actor else "Someone",
        "pack_url": site_url(reverse("reports:pack_detail", kwargs={"pk": pack.pk})),
        "full_pages": version.full_pages,
    }
    records = []
    for person in people.values():
        if actor is not None and person.pk == actor.pk:
            continue
        record = email_queue(
            recipient=person,
            kind="pack_final",
            template="reports/email/pack_final",
            context=context,
            area=pack.area,
            topic=f"reports.pack:{pack.pk}",
            about=f"{pack.title}, version {version.number}",
            created_by=actor,
            send_after_commit=False,
        )
        if record is not None:
            records.append(record)
    emails_deliver_after_commit(records, area=pack.area)  # one job for the step, once it commits
    return records
