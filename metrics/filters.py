"""The dashboard's filters: the month, a group of metrics and a breakdown."""

from __future__ import annotations

import django_filters

from bettercare.periods import parse_month
from bettercare.pickers import PeriodFilter

from .models import Metric
from .selectors import breakdowns_held, months_with_figures

AREA_AS_A_WHOLE = ""
BREAKDOWN_KIND_LABELS = {
    "provider": "Provider",
    "age_band": "Age band",
    "attribution": "Attribution",
}


def breakdown_label(breakdown: str) -> str:
    """'Provider: UHS' for provider:UHS; 'Area as a whole' for no breakdown."""
    if not breakdown:
        return "Area as a whole"
    kind, _, part = breakdown.partition(":")
    return f"{BREAKDOWN_KIND_LABELS.get(kind, kind)}: {part}"


class DashboardFilter(django_filters.FilterSet):
    """Filters the catalogue by group; the month and breakdown choose which figures each
    metric shows (they are read by the view, not applied to the catalogue)."""

    month = PeriodFilter(label="Month", method="choose_figures", parser=parse_month)
    group = django_filters.ChoiceFilter(
        label="Group", choices=Metric.Group.choices, empty_label="All groups"
    )
    breakdown = django_filters.ChoiceFilter(
        label="Breakdown", method="choose_figures", empty_label=None
    )

    class Meta:
        model = Metric
        fields = ["month", "group", "breakdown"]

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["month"].extra["periods"] = months_with_figures(area=area)
        self.filters["breakdown"].extra["choices"] = [
            (AREA_AS_A_WHOLE, breakdown_label(AREA_AS_A_WHOLE)),
            *((held, breakdown_label(held)) for held in breakdowns_held(area=area)),
        ]

    def choose_figures(self, queryset, name, value):
        return queryset

    @property
    def chosen_month(self):
        return self.form.cleaned_data.get("month") if self.is_valid() else None

    @property
    def chosen_breakdown(self) -> str:
        return (self.form.cleaned_data.get("breakdown") or "") if self.is_valid() else ""

    @property
    def chosen_groups(self) -> list[str] | None:
        group = self.form.cleaned_data.get("group") if self.is_valid() else None
        return [group] if group else None
