"""The pooled fund, budgets and forecasts in the admin, with their history.

Budgets and forecasts come from imported files: their amounts are read-only here (an import
replaces them and keeps the history); the funding source of a budget and the note on a forecast
can be changed."""

from django.contrib import admin
from django.db.models import Exists, OuterRef
from simple_history.admin import SimpleHistoryAdmin

from bettercare.admin import AreaScopedAdminMixin, AreaScopedInlineMixin

from .models import Budget, Contribution, Forecast, PooledFundYear


class ContributionInline(AreaScopedInlineMixin, admin.TabularInline):
    model = Contribution
    extra = 0


@admin.register(PooledFundYear)
class PooledFundYearAdmin(AreaScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["area", "financial_year", "national_minimum", "illustrative"]
    list_filter = ["area", "illustrative"]
    inlines = [ContributionInline]


class _IllustrativeMixin:
    """Shows whether the record's year is marked illustrative on its pooled fund."""

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("scheme", "partner", "area")
            .annotate(
                year_illustrative=Exists(
                    PooledFundYear.objects.filter(
                        area=OuterRef("area"),
                        financial_year=OuterRef("financial_year"),
                        illustrative=True,
                    )
                )
            )
        )

    @admin.display(boolean=True, description="illustrative")
    def illustrative(self, obj):
        return obj.year_illustrative


@admin.register(Budget)
class BudgetAdmin(_IllustrativeMixin, AreaScopedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "financial_year",
        "scheme",
        "partner",
        "amount",
        "funding_source",
        "illustrative",
    ]
    list_filter = ["area", "financial_year", "partner__code", "funding_source"]
    readonly_fields = ["area", "financial_year", "scheme", "partner", "amount"]
    fields = ["area", "financial_year", "scheme", "partner", "amount", "funding_source"]

    def has_add_permission(self, request):
        return False  # budgets arrive in finance files (manage.py import_finance or the upload)


@admin.register(Forecast)
class ForecastAdmin(_IllustrativeMixin, AreaScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["month", "scheme", "partner", "amount", "illustrative"]
    list_filter = ["area", "financial_year", "month", "partner__code"]
    readonly_fields = ["area", "financial_year", "month", "scheme", "partner", "amount"]
    fields = ["area", "financial_year", "month", "scheme", "partner", "amount", "note"]
    search_fields = ["note"]

    def has_add_permission(self, request):
        return False
