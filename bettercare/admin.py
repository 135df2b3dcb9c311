"""Administration of areas, partners and people (the Administrator role's tools)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .models import Area, AreaMembership, Job, Partner

admin.site.site_header = "Better Care reporting administration"
admin.site.site_title = "Better Care administration"


class AreaScopedAdminMixin:
    """Administrators who are not superusers manage only the areas they belong to.

    `area_lookup` is the path from the model to its area (`"area"`, `"scheme__area"`), or
    None for the Area model itself."""

    area_lookup: str | None = "area"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        prefix = f"{self.area_lookup}__" if self.area_lookup else ""
        return queryset.filter(**{f"{prefix}memberships__user": request.user}).distinct()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "area" and not request.user.is_superuser:
            kwargs["queryset"] = Area.objects.filter(memberships__user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdminMixin:
    """For records the application writes (imported figures, Final versions): administrators
    may look, and follow their history, but change them only through the application, which
    checks and records each change."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0


class AreaMembershipInline(admin.TabularInline):
    model = AreaMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Area)
class AreaAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    area_lookup = None
    list_display = ["name", "code", "current_quarter"]
    search_fields = ["name", "code"]
    inlines = [PartnerInline, AreaMembershipInline]


@admin.register(Partner)
class PartnerAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "area"]
    list_filter = ["kind", "area"]
    search_fields = ["code", "name"]


class UserAreaInline(admin.TabularInline):
    model = AreaMembership
    extra = 0
    verbose_name = "area"
    verbose_name_plural = "areas this person can see"


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class BettercareUserAdmin(UserAdmin):
    inlines = [UserAreaInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active"]
    list_filter = ["groups", "is_active", "area_memberships__area"]


@admin.register(Job)
class JobAdmin(AreaScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Background jobs, for an administrator asking why a build failed. Jobs of no area (the
    nightly housekeeping) are for superusers only."""

    list_display = ["created", "description", "state", "step", "worker", "finished"]
    list_filter = ["state", "backend"]
    search_fields = ["description", "task", "key"]
    readonly_fields = [field.name for field in Job._meta.fields]
