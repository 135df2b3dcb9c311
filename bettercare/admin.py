"""Administration of areas, partners and people (the Administrator role's tools), and the
mixins every app's admin uses to keep areas apart.

An administrator who is not a superuser works inside the areas they belong to: every list,
change page, history page and revert form, every picker (foreign keys, many-to-many, list
filters, autocomplete) and every save is limited to those areas' records, and a record outside
them answers "not found". National data (the metric catalogue with its RAG thresholds, the
list of areas) is changed by superusers only. Records the application writes (imported
figures, Final packs, signed-off reports) are read-only here, and so is their history: a
revert may change only what the record's own change form may change.
"""

from __future__ import annotations

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path, unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from .models import Area, AreaMembership, Job, Partner, Scheme, SchemeYearName
from .roles import Role, primary_role
from .services import user_role_set, user_roles_sync

admin.site.site_header = "Better Care reporting administration"
admin.site.site_title = "Better Care administration"

User = get_user_model()


# --- Whose records: the areas a person administers, and the people in them ---------------


def administered_areas(user) -> models.QuerySet:
    """The areas whose records this person may manage in the admin: all for a superuser,
    otherwise the areas where they hold the Administrator role (not every area they belong
    to: an administrator of one area who is an analyst of another manages only the first)."""
    if user.is_superuser:
        return Area.objects.all()
    return Area.objects.filter(memberships__user=user, memberships__role=Role.ADMINISTRATOR)


def manageable_users(user) -> models.QuerySet:
    """The accounts this person may manage: every account for a superuser; for an area
    administrator, the people who belong to their areas and to no other, never a superuser.
    (Someone who also belongs to another area is managed by an administrator of both.)"""
    queryset = User.objects.all()
    if user.is_superuser:
        return queryset
    mine = administered_areas(user)
    return (
        queryset.filter(is_superuser=False, area_memberships__area__in=mine)
        .exclude(area_memberships__area__in=Area.objects.exclude(pk__in=mine))
        .distinct()
    )


def area_path(model, depth: int = 3) -> str | None:
    """The lookup from `model` to its area ("" for Area itself, "area", "scheme__area"), or
    None for national records that belong to no area (metrics, groups)."""
    if model is Area:
        return ""
    if depth == 0:
        return None
    links = [
        field
        for field in model._meta.concrete_fields
        if field.many_to_one and field.related_model is not None
    ]
    for field in links:
        if field.related_model is Area:
            return field.name
    for field in links:
        if field.related_model is User:
            continue  # a person is not a record of an area (see users_in_areas)
        inner = area_path(field.related_model, depth - 1)
        if inner:
            return f"{field.name}__{inner}"
    return None


def users_in_areas(user) -> models.QuerySet:
    """The people a picker (a scheme's leads, an area's members) may offer: those who belong
    to one of this person's areas."""
    if user.is_superuser:
        return User.objects.all()
    return User.objects.filter(area_memberships__area__in=administered_areas(user)).distinct()


def scoped_choices(model, user) -> models.QuerySet | None:
    """The records of `model` a picker may offer this person, or None when the model is
    national (every record may be offered)."""
    if user.is_superuser:
        return None
    if model is User:
        return users_in_areas(user)
    path = area_path(model)
    if path is None:
        return None
    if path == "":
        return administered_areas(user)
    return model._default_manager.filter(**{f"{path}__in": administered_areas(user)}).distinct()


def _scope_formfield(db_field, request, kwargs) -> None:
    if "queryset" not in kwargs:
        queryset = scoped_choices(db_field.related_model, request.user)
        if queryset is not None:
            kwargs["queryset"] = queryset


class ScopedValuesListFilter(admin.AllValuesFieldListFilter):
    """Django's "all values" filter lists the values of every area's related records when it
    follows a relation (`partner__code`); this one lists those of the records on the page."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.lookup_choices = (
            model_admin.get_queryset(request)
            .order_by(field_path)
            .values_list(field_path, flat=True)
            .distinct()
        )


def _scoped_list_filter(model, list_filter, user) -> list:
    """List filters that offer only this person's areas' records and values."""
    if user.is_superuser:
        return list(list_filter)
    scoped = []
    for entry in list_filter:
        if isinstance(entry, str):
            try:
                last = get_fields_from_path(model, entry)[-1]
            except FieldDoesNotExist:
                scoped.append(entry)
                continue
            if last.is_relation and scoped_choices(last.related_model, user) is not None:
                entry = (entry, admin.RelatedOnlyFieldListFilter)
            elif "__" in entry and not last.choices and not isinstance(last, models.BooleanField):
                entry = (entry, ScopedValuesListFilter)
        scoped.append(entry)
    return scoped


def _area_ids_of(obj, path: str | None) -> set:
    """The area (or, for a person, the areas) a record belongs to, following `path`."""
    if path is None:
        return set()
    if path == "":
        return {obj.pk}
    target = obj
    for step in path.split("__"):
        target = getattr(target, step, None)
        if target is None:
            return set()
    return {target.pk}


# --- Mixins each app's admin uses -------------------------------------------------------


class HistoryGuardMixin:
    """The history pages of django-simple-history (and Django's own) with the rules of the
    change page: the record must be one this person may see (not merely one that exists or
    existed), and the revert form saves only when they may change the record, and then only
    the fields its change form offers; the rest stay as they are now."""

    def history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None and not request.user.is_superuser:
            raise Http404("There is no such record among your areas' records.")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current = self.get_object(request, unquote(object_id))
        if current is None and not request.user.is_superuser:
            raise Http404("There is no such record among your areas' records.")
        try:
            version_id = int(version_id)
        except ValueError:
            raise Http404("There is no such version of this record.") from None
        if current is not None and not request.user.is_superuser:
            history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
            version = history.filter(
                **{self.model._meta.pk.attname: current.pk, "history_id": version_id}
            ).first()
            if version is None:
                raise Http404("There is no such version of this record.")
            path = getattr(self, "area_lookup", None)
            allowed = set(administered_areas(request.user).values_list("pk", flat=True))
            if not _area_ids_of(version.instance, path) <= allowed:
                raise Http404("That version belongs to another area.")
        if request.method == "POST":
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied("This record cannot be changed, so it cannot be reverted.")
            request._bettercare_revert_of = current
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        current = self.get_object(request, str(obj.pk)) if obj is not None else None
        if current is None or not self.has_change_permission(request, current):
            return True
        return super().revert_disabled(request, obj)

    def save_form(self, request, form, change):
        saved = super().save_form(request, form, change)
        current = getattr(request, "_bettercare_revert_of", None)
        if current is not None:
            # A revert restores what the change form shows; read-only fields (an imported
            # amount, a record's area when it may not move) keep their present values.
            for field in self.model._meta.concrete_fields:
                if field.name not in form.fields and not field.primary_key:
                    setattr(saved, field.attname, getattr(current, field.attname))
        return saved


class AreaScopedAdminMixin(HistoryGuardMixin):
    """Administrators who are not superusers manage only the areas they administer (where
    they hold the Administrator role).

    `area_lookup` is the path from the model to its area (`"area"`, `"scheme__area"`), or
    None for the Area model itself. `is_frozen(obj)` names records that no longer change
    (a Final pack): they are shown but neither changed, reverted nor deleted."""

    area_lookup: str | None = "area"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        prefix = f"{self.area_lookup}__" if self.area_lookup else ""
        # One filter() for both conditions: the same membership must be theirs and an
        # administrator's.
        return queryset.filter(
            **{
                f"{prefix}memberships__user": request.user,
                f"{prefix}memberships__role": Role.ADMINISTRATOR,
            }
        ).distinct()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        _scope_formfield(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        _scope_formfield(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_list_filter(self, request):
        return _scoped_list_filter(self.model, super().get_list_filter(request), request.user)

    def is_frozen(self, obj) -> bool:
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and self.is_frozen(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self.is_frozen(obj):
            return False
        return super().has_delete_permission(request, obj)


class BoundedInlineFormSet(BaseInlineFormSet):
    """An inline's rows: those held, and at most NEW_ROWS new ones per save. Django would build
    as many forms as a posted TOTAL_FORMS asks, up to 1,000 more than the page offers, and
    render them all again: seconds of the server's time for one request."""

    NEW_ROWS = 50

    def total_form_count(self):
        total = super().total_form_count()
        if not self.is_bound:
            return total
        return min(total, len(self.get_queryset()) + self.NEW_ROWS)

    def initial_form_count(self):
        count = super().initial_form_count()
        return min(count, len(self.get_queryset())) if self.is_bound else count


class AreaScopedInlineMixin:
    """Inline rows whose pickers offer only the person's areas' records, and no more new rows
    at once than a person would add (see BoundedInlineFormSet)."""

    formset = BoundedInlineFormSet

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        _scope_formfield(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        _scope_formfield(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class NationalDataAdminMixin(HistoryGuardMixin):
    """Records every area shares (the metric catalogue and its RAG thresholds): everyone with
    the admin may read them; only superusers add, change, revert or delete them, since a change
    alters every area's ratings."""

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


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


# --- Areas and partners -----------------------------------------------------------------


class PartnerInline(AreaScopedInlineMixin, admin.TabularInline):
    model = Partner
    extra = 0


class AreaMembershipInline(AreaScopedInlineMixin, admin.TabularInline):
    """The people of the area. A plain list of the administrator's areas' people rather than
    Django's autocomplete, whose widget fails with a server error on an id that is not a
    number (and the list is short)."""

    model = AreaMembership
    extra = 0


@admin.register(Area)
class AreaAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    area_lookup = None
    list_display = ["name", "code", "kind", "current_quarter"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    inlines = [PartnerInline, AreaMembershipInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A membership added, removed or given another role here changes its person's groups.
        for formset in formsets:
            if formset.model is AreaMembership:
                people = {
                    inline_form.instance.user
                    for inline_form in formset.forms
                    if inline_form.instance.user_id
                }
                for person in people:
                    user_roles_sync(user=person)

    def has_add_permission(self, request):
        # A new area is a new Health and Wellbeing Board in the installation: national.
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        # An area's kind is chosen when it is added: an area with schemes and packs never
        # turns into a comparator, nor a comparator into an area people report for.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "kind"] if obj is not None else readonly


@admin.register(Partner)
class PartnerAdmin(AreaScopedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "area"]
    list_filter = ["kind", "area"]
    search_fields = ["code", "name"]


class SchemeYearNameInline(AreaScopedInlineMixin, admin.TabularInline):
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


# --- People -----------------------------------------------------------------------------


class RoleFormMixin(forms.Form):
    """The role an area administrator gives a person in the areas they administer (their
    groups and staff status follow from it; see services.user_role_set). A superuser gives
    a role per area, on each area row."""

    role = forms.ChoiceField(
        choices=Role.choices,
        help_text="What this person does in your areas: it decides what they may see and do. "
        "Administrators also get this administration site.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            role = primary_role(instance)
            if role is not None:
                self.fields["role"].initial = role.value


class AreaUserChangeForm(RoleFormMixin, UserChangeForm):
    pass


class AreaUserCreationForm(RoleFormMixin, AdminUserCreationForm):
    pass


class UserAreaInline(AreaScopedInlineMixin, admin.TabularInline):
    model = AreaMembership
    fk_name = "user"
    extra = 0
    verbose_name = "area"
    verbose_name_plural = "areas this person can see"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(area__in=administered_areas(request.user))

    def get_exclude(self, request, obj=None):
        # An area administrator gives one role in their areas, with the form's Role field.
        return [] if request.user.is_superuser else ["role"]

    def get_min_num(self, request, obj=None, **kwargs):
        # An area administrator's people belong to at least one of their areas: someone with
        # none would drop out of their sight, unmanaged.
        return 0 if request.user.is_superuser else 1

    def get_formset(self, request, obj=None, **kwargs):
        if not request.user.is_superuser:
            kwargs.setdefault("validate_min", True)
        return super().get_formset(request, obj, **kwargs)


class BettercareUserAdmin(HistoryGuardMixin, UserAdmin):
    """Django's user admin for superusers. An area administrator sees and manages only the
    people of their own areas (see manageable_users), with the fields a role needs: no
    superuser or staff flags, no groups or permissions beyond the one role they give."""

    inlines = [UserAreaInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active"]
    list_filter = ["groups", "is_active", "area_memberships__area"]

    area_fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Role", {"fields": ("role", "is_active")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    area_add_fieldsets = (
        (None, {"fields": ("username", "usable_password", "password1", "password2")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Role", {"fields": ("role",)}),
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=manageable_users(request.user).values("pk"))

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.area_add_fieldsets if obj is None else self.area_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ("last_login", "date_joined")

    def get_form(self, request, obj=None, **kwargs):
        if not request.user.is_superuser:
            kwargs["form"] = AreaUserCreationForm if obj is None else AreaUserChangeForm
        return super().get_form(request, obj, **kwargs)

    def get_list_filter(self, request):
        return _scoped_list_filter(self.model, super().get_list_filter(request), request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        role = form.cleaned_data.get("role") if "role" in form.fields else None
        if role:
            user_role_set(
                user=form.instance, role=Role(role), areas=administered_areas(request.user)
            )
        else:
            user_roles_sync(user=form.instance)


admin.site.unregister(User)
admin.site.register(User, BettercareUserAdmin)


# --- Login throttling (django-axes) ------------------------------------------------------


class AreaAccessAttemptAdmin(AccessAttemptAdmin):
    """Failed logins. Deleting a row lifts its lock (an unlock). An area administrator sees,
    and may unlock, the attempts on the accounts they manage; superusers see every attempt,
    those of addresses and unknown usernames included."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(username__in=manageable_users(request.user).values("username"))


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, AreaAccessAttemptAdmin)


@admin.register(Job)
class JobAdmin(AreaScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Background jobs, for an administrator asking why a build failed. Jobs of no area (the
    nightly housekeeping) are for superusers only."""

    list_display = ["created", "description", "state", "step", "worker", "finished"]
    list_filter = ["state", "backend"]
    search_fields = ["description", "task", "key"]
    readonly_fields = [field.name for field in Job._meta.fields]
