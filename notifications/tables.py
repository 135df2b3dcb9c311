import django_tables2 as tables
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from .models import EmailRecord

OUTCOME_TAGS = {
    EmailRecord.State.SENT: "nhsuk-tag--green",
    EmailRecord.State.PENDING: "nhsuk-tag--grey",
    EmailRecord.State.FAILED: "nhsuk-tag--red",
}


def when(value) -> str:
    return date_format(timezone.localtime(value), "j M Y, H:i") if value else "—"


class EmailTable(tables.Table):
    """Who was sent what, when, and whether it went."""

    created = tables.Column("Written", orderable=True)
    recipient = tables.Column("To", accessor="to_address", orderable=False, empty_values=())
    subject = tables.Column("Subject", orderable=False)
    state = tables.Column("Outcome", orderable=True, empty_values=())
    action = tables.Column(" ", orderable=False, empty_values=())

    class Meta:
        model = EmailRecord
        fields = ["created", "recipient", "subject", "state", "action"]
        empty_text = "No e-mails have been sent about this area yet."
        attrs = {"class": "nhsuk-table", "data-testid": "email-log"}

    def render_created(self, value):
        return when(value)

    def render_recipient(self, record):
        name = record.recipient.get_full_name() if record.recipient else ""
        return f"{name} <{record.to_address}>" if name else record.to_address or "—"

    def render_state(self, record):
        detail = ""
        if record.state == EmailRecord.State.SENT:
            detail = f"at {when(record.sent)}"
        elif record.state == EmailRecord.State.FAILED:
            detail = (
                f"{record.error} ({record.attempts} attempt{'s' if record.attempts != 1 else ''})"
            )
        return format_html(
            '<strong class="nhsuk-tag {}">{}</strong> <span class="nhsuk-body-s">{}</span>',
            OUTCOME_TAGS[record.state],
            record.get_state_display(),
            detail,
        )

    def render_action(self, record):
        if record.state == EmailRecord.State.SENT or not record.area_id:
            return ""
        request = self.request
        return format_html(
            '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" '
            'value="{}"><button class="nhsuk-button nhsuk-button--secondary '
            'nhsuk-button--small nhsuk-u-margin-bottom-0" type="submit">Send again'
            '<span class="nhsuk-u-visually-hidden">: {}</span></button></form>',
            reverse("notifications:email_send_again", kwargs={"pk": record.pk}),
            get_token(request),
            record.subject,
        )
