"""Administration of the metric catalogue; figures and their history are read here, and
written only through imports (so every change is checked and recorded)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bettercare.admin import AreaScopedAdminMixin, NationalDataAdminMixin, ReadOnlyAdminMixin

from .models import Metric, MetricImport, MetricValue, SpcRecalculation


@admin.register(Metric)
class MetricAdmin(NationalDataAdminMixin, SimpleHistoryAdmin):
    """The national catalogue: read by everyone with the admin, changed by superusers."""

    list_display = [
        "code",
        "name",
        "group",
        "unit",
        "direction",
        "ytd_rule",
        "scope",
        "first_year",
        "last_year",
    ]
    list_filter = ["group", "scope", "unit", "direction", "ytd_rule"]
    search_fields = ["code", "name"]
    fieldsets = [
        (None, {"fields": ["code", "name", "description", "group", "display_order"]}),
        ("Measure", {"fields": ["unit", "rate_population", "direction", "ytd_rule", "frequency"]}),
        ("Validity", {"fields": ["scope", "first_year", "last_year"]}),
        ("RAG thresholds", {"fields": ["amber_above", "red_from"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Import files and the board pack refer to a metric by its code: it never changes.
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        # Figures refer to metrics by code; a metric that ends gets a last year instead.
        return False


@admin.register(MetricValue)
class MetricValueAdmin(ReadOnlyAdminMixin, AreaScopedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "metric",
        "period",
        "series",
        "breakdown",
        "value",
        "status",
        "area",
        "source",
        "illustrative",
    ]
    list_filter = ["metric", "series", "status", "source__illustrative", "area"]
    search_fields = ["metric__code", "period", "breakdown", "note"]
    list_select_related = ["metric", "area", "source"]

    @admin.display(boolean=True, description="Illustrative")
    def illustrative(self, obj):
        return bool(obj.source and obj.source.illustrative)


@admin.register(MetricImport)
class MetricImportAdmin(ReadOnlyAdminMixin, AreaScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "file_name",
        "imported",
        "via",
        "imported_by",
        "illustrative",
        "rows_new",
        "rows_replaced",
        "rows_unchanged",
    ]
    list_filter = ["via", "illustrative"]

    # An import belongs to the areas of the figures it wrote.
    area_lookup = "values__area"


@admin.register(SpcRecalculation)
class SpcRecalculationAdmin(ReadOnlyAdminMixin, AreaScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["metric", "month", "reason", "area", "created_by", "created"]
    list_filter = ["metric", "area"]
