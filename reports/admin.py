"""Administration of the area's priorities; packs and their versions are read-only here (packs
are managed on their own pages, and a Final version never changes)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bettercare.admin import AreaScopedAdminMixin, ReadOnlyAdminMixin

from .models import NationalCondition, Pack, PackRisk, PackVersion, PortfolioRating, Priority


@admin.register(Priority)
class PriorityAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    list_display = ["number", "title", "area"]
    list_display_links = ["number", "title"]
    list_filter = ["area"]


@admin.register(Pack)
class PackAdmin(ReadOnlyAdminMixin, AreaScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["quarter", "board", "area", "status", "data_month", "meeting_date", "updated"]
    list_filter = ["area", "board", "status"]


@admin.register(PackVersion)
class PackVersionAdmin(ReadOnlyAdminMixin, AreaScopedAdminMixin, admin.ModelAdmin):
    area_lookup = "pack__area"
    list_display = ["pack", "number", "created", "created_by", "full_sha256", "final_reason"]
    exclude = ["full_pdf", "public_pdf", "figures_json"]


@admin.register(PackRisk)
class PackRiskAdmin(ReadOnlyAdminMixin, AreaScopedAdminMixin, SimpleHistoryAdmin):
    area_lookup = "pack__area"
    list_display = ["pack", "position", "risk", "scheme"]


@admin.register(NationalCondition)
class NationalConditionAdmin(AreaScopedAdminMixin, SimpleHistoryAdmin):
    """Analysts record compliance on the Reports pages; administrators can correct a record
    (the condition's wording as it applied, say) here."""

    list_display = ["area", "financial_year", "number", "compliance", "updated"]
    list_filter = ["area", "financial_year", "compliance"]


@admin.register(PortfolioRating)
class PortfolioRatingAdmin(ReadOnlyAdminMixin, AreaScopedAdminMixin, SimpleHistoryAdmin):
    area_lookup = "scheme__area"
    list_display = ["scheme", "quarter", "rag", "narrative", "updated"]
    list_filter = ["quarter", "rag"]
