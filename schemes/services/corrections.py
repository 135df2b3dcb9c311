"""Correcting a report the JCB signed off: a new revision, as a draft copy, for its lead."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from bettercare.changes import model_update

from .. import permissions
from ..models import HighlightReport, KeyDevelopment, KeyDevelopmentAim
from ..workflow import Action, Status
from .content import LEAD_FIELDS, ROW_MODELS
from .errors import ReportError
from .steps import event_record


@transaction.atomic
def highlight_report_correction_start(
    *, report: HighlightReport, user, reason: str, at: dt.datetime | None = None
) -> HighlightReport:
    """Open a new revision of a signed-off report, as a draft copy of it, for its lead to
    correct. The signed-off revision stays exactly as it was, and can still be read."""
    locked = HighlightReport.objects.select_for_update().select_related("scheme").get(pk=report.pk)
    permissions.step_allowed(user, locked, Action.START_CORRECTION)
    if not locked.is_current:
        raise ReportError("This is an earlier revision: corrections start from the current one.")
    if not reason.strip():
        raise ReportError("Give the reason for the correction.")
    at = at or timezone.now()
    model_update(instance=locked, data={"is_current": False}, clean=False)
    revision = HighlightReport(
        scheme=locked.scheme,
        quarter=locked.quarter,
        revision=locked.revision + 1,
        correction_reason=reason.strip(),
        status=Status.DRAFT,
        host_organisation=locked.host_organisation,
        created=at,
        updated=at,
        updated_by=user,
        status_changed=at,
        status_changed_by=user,
        **{field: getattr(locked, field) for field in LEAD_FIELDS},
    )
    revision.full_clean()
    revision.save()
    for relation, model in ROW_MODELS.items():
        for row in getattr(locked, relation).all():
            aims = [tag.aim for tag in row.aim_tags.all()] if model is KeyDevelopment else []
            row.pk, row.report = None, revision
            row._state.adding = True
            row.save()
            KeyDevelopmentAim.objects.bulk_create(
                KeyDevelopmentAim(development=row, aim=aim) for aim in aims
            )
    event_record(
        report=revision,
        action=Action.START_CORRECTION,
        from_status="",
        user=user,
        at=at,
        comment=reason.strip(),
    )
    return revision
