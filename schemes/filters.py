"""Filters of the analysts' quarter overview: which quarter, which scheme, which status."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from bettercare.models import Scheme
from bettercare.periods import Quarter, parse_quarter
from bettercare.pickers import PeriodFilter
from bettercare.selectors import reportable_quarters

from .models import STATUS_CHOICES
from .selectors import quarter_report_status

NOT_STARTED = "not_started"


class QuarterOverviewFilter(django_filters.FilterSet):
    # Declared in the order they apply: the quarter decides which report each scheme has.
    quarter = PeriodFilter(
        label="Quarter", method="filter_quarter", required=True, parser=parse_quarter
    )
    scheme = django_filters.ChoiceFilter(
        label="Scheme", field_name="number", empty_label="All schemes"
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        method="filter_status",
        choices=[(NOT_STARTED, "Not started"), *STATUS_CHOICES],
        empty_label="Any status",
    )

    class Meta:
        model = Scheme
        fields: list[str] = []

    def __init__(self, data=None, *args, request=None, **kwargs):
        super().__init__(data, *args, request=request, **kwargs)
        area = request.area
        self.filters["quarter"].extra["periods"] = reportable_quarters(area=area)
        self.filters["scheme"].extra["choices"] = [
            (str(scheme.number), str(scheme)) for scheme in Scheme.objects.in_area(area)
        ]

    @property
    def quarter_value(self) -> Quarter | None:
        return self.form.cleaned_data["quarter"] if self.is_valid() else None

    def filter_quarter(self, queryset: QuerySet[Scheme], name, quarter) -> QuerySet[Scheme]:
        return queryset.active_in(quarter.year).annotate(
            report_status=quarter_report_status(quarter)
        )

    def filter_status(self, queryset: QuerySet[Scheme], name, value) -> QuerySet[Scheme]:
        if value == NOT_STARTED:
            return queryset.filter(report_status__isnull=True)
        return queryset.filter(report_status=value)
