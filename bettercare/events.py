"""Telling other apps that figures changed, without naming them.

An import's service calls `figures_changed` after it has written an area's figures, inside its
transaction. Each app that wants to know names a function in its AppConfig as
`on_figures_changed` (`"reports.jobs.figures_changed"`), called with the areas' ids and what
changed. Such functions only enqueue background work (see bettercare.jobs), which starts once
the import commits and never if it rolls back: the board packs' charts, for one, are drawn
ahead so that a build finds them drawn.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.utils.module_loading import import_string


def figures_changed(*, area_ids: Iterable[int], source: str) -> None:
    """`source` says what was written: "metrics" or "finance"."""
    area_ids = sorted(set(area_ids))
    if not area_ids:
        return
    for config in apps.get_app_configs():
        listener = getattr(config, "on_figures_changed", None)
        if listener:
            import_string(listener)(area_ids=area_ids, source=source)
