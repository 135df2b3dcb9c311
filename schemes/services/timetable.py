"""Writes of the reporting timetable: when each quarter's reports are due and the boards meet."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from bettercare.models import Area
from bettercare.periods import Quarter

from ..models import ReportingTimetable
from ..permissions import may_set_timetable


@transaction.atomic
def reporting_timetable_save(
    *,
    area: Area,
    quarter: Quarter,
    reports_due: dt.date,
    jcb_meeting: dt.date | None = None,
    hwb_meeting: dt.date | None = None,
    user=None,
) -> ReportingTimetable:
    """Set the quarter's timetable for the area (creating it or changing it). `user=None` is
    the demo loader; anyone else must be an analyst of the area. Dates that do not fit the
    quarter are refused with a message for each (ValidationError)."""
    if user is not None and not may_set_timetable(user, area):
        raise PermissionDenied("Only the area's analysts set its reporting timetable.")
    timetable = ReportingTimetable.objects.select_for_update().filter(
        area=area, quarter=quarter
    ).first() or ReportingTimetable(area=area, quarter=quarter)
    timetable.reports_due = reports_due
    timetable.jcb_meeting = jcb_meeting
    timetable.hwb_meeting = hwb_meeting
    timetable.updated, timetable.updated_by = timezone.now(), user
    timetable.full_clean()
    timetable.save()
    return timetable
