from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bettercare.admin import AreaScopedAdminMixin

from .models import Scheme, SchemeYearName


class SchemeYearNameInline(admin.TabularInline):
    model = SchemeYearName
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(AreaScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "name", "area", "host", "pooled", "first_year", "last_year"]
    list_display_links = ["number", "name"]
    list_filter = ["area", "pooled"]
    search_fields = ["name", "short_name"]
    filter_horizontal = ["leads"]
    inlines = [SchemeYearNameInline]
