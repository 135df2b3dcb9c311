from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bettercare.admin import AreaScopedAdminMixin, AreaScopedInlineMixin, ReadOnlyAdminMixin

from .models import FinancialLine, HighlightReport, HighlightReportEvent, Risk


class ReadOnlyInline(AreaScopedInlineMixin, admin.TabularInline):
    """Report rows are written through the report form and its services, never here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FinancialLineInline(ReadOnlyInline):
    model = FinancialLine


class RiskInline(ReadOnlyInline):
    model = Risk


class EventInline(ReadOnlyInline):
    model = HighlightReportEvent
    fields = ["at", "action", "actor", "to_status", "board_date", "comment"]


@admin.register(HighlightReport)
class HighlightReportAdmin(ReadOnlyAdminMixin, AreaScopedAdminMixin, SimpleHistoryAdmin):
    """Reports for looking up and auditing (with the history of every save). Changes go
    through the report pages, where the workflow and its permissions apply."""

    area_lookup = "scheme__area"
    list_display = ["scheme", "quarter", "revision", "status", "is_current", "status_changed"]
    list_filter = ["status", "is_current", "quarter", "scheme__area"]
    search_fields = ["scheme__name", "report_author"]
    inlines = [FinancialLineInline, RiskInline, EventInline]
