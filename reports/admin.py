"""Administration of the area's priorities; packs and their versions are read-only here (packs
are managed on their own pages, and a Final version never changes)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bettercare.admin import AreaScopedAdminMixin, ReadOnlyAdminMixin

from .models import Pack, PackVersion, PortfolioRating, Priority


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
    list_display = ["pack", "number", "created", "created_by", "full_sha256"]
    exclude = ["full_pdf", "public_pdf", "figures_json"]


@admin.register(PortfolioRating)
class PortfolioRatingAdmin(ReadOnlyAdminMixin, AreaScopedAdminMixin, SimpleHistoryAdmin):
    area_lookup = "scheme__area"
    list_display = ["scheme", "quarter", "rag", "narrative", "updated"]
    list_filter = ["quarter", "rag"]
