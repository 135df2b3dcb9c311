from django.contrib import admin

from bettercare.admin import AreaScopedAdminMixin, ReadOnlyAdminMixin

from .models import EmailRecord


@admin.register(EmailRecord)
class EmailRecordAdmin(AreaScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """What the service sent, to whom and with what outcome; written only by the service."""

    list_display = ["created", "to_address", "kind", "subject", "state", "attempts", "sent"]
    list_filter = ["state", "kind"]
    search_fields = ["to_address", "subject", "about"]
    date_hierarchy = "created"
    exclude = ["body_html"]
