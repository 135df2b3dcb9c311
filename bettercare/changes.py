"""Writing only what changed: the one way every service updates a record.

A service that saves a record the person may not have changed (a form sent back as it was, a
demo loaded twice, an import that repeats a figure) must not rewrite it: every save of a record
with history is an entry in its history, and an entry for nothing hides the real ones. In the
manner of HackSoft's Django styleguide, `model_update` sets the fields that differ, checks the
record (`full_clean`) and saves those fields alone; a new record is checked and saved whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def model_update(
    *,
    instance: M,
    data: Mapping[str, Any],
    stamp: Mapping[str, Any] | None = None,
    user=None,
    clean: bool = True,
    clean_exclude: Iterable[str] = (),
) -> tuple[M, bool]:
    """Set `data` (field name -> value) on `instance` and save it if anything differs.

    Returns the instance and whether it was written. A record not yet saved is always written.
    `stamp` (who changed it, say) is set only when something in `data` changed. `user`, when
    given, is who the history entry names (django-simple-history). `clean_exclude` names fields
    `full_clean` leaves alone (a many-to-many field, say)."""
    adding = instance._state.adding
    changed = [name for name, value in data.items() if adding or getattr(instance, name) != value]
    if not changed:
        return instance, False
    for name in changed:
        setattr(instance, name, data[name])
    stamp = dict(stamp or {})
    for name, value in stamp.items():
        setattr(instance, name, value)
    changed += [name for name in stamp if name not in changed]
    if clean:
        instance.full_clean(exclude=list(clean_exclude) or None)
    if user is not None:
        instance._history_user = user
    if adding:
        instance.save()
        return instance, True
    # Fields Django stamps on every save (`auto_now`) are saved with the changed ones.
    stamped = [
        field.name
        for field in instance._meta.concrete_fields
        if getattr(field, "auto_now", False) and field.name not in changed
    ]
    instance.save(update_fields=[*changed, *stamped])
    return instance, True
