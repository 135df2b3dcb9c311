import django_tables2 as tables
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from bettercare.models import Scheme
from bettercare.money import format_short
from bettercare.spreadsheets import COUNT, DATE, DATE_TIME, POUNDS

from .selectors import report_url
from .workflow import Status


class SchemeTable(tables.Table):
    number = tables.Column("No.")
    name = tables.Column("Scheme")
    host = tables.Column("Host organisation", accessor="host_label", order_by=("host__name",))
    pooled_budget_manager = tables.Column("Pooled budget manager")
    leads = tables.Column("Scheme leads", accessor="leads", orderable=False)
    years = tables.Column("Years", accessor="first_year", orderable=False)

    class Meta:
        model = Scheme
        fields = ["number", "name", "host", "pooled_budget_manager", "leads", "years"]
        empty_text = "No schemes to show."

    def render_leads(self, value, record):
        names = [lead.get_full_name() or lead.username for lead in record.leads.all()]
        return ", ".join(names) or "—"

    def value_leads(self, value, record):
        return self.render_leads(value, record)

    def render_years(self, value, record):
        last = record.last_year.label if record.last_year else "continuing"
        return f"{record.first_year.label} to {last}"


class ReportStatusColumn(tables.Column):
    """The report's status in words (never colour alone), or "Not started"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", "Status")
        kwargs.setdefault("accessor", "status_label")
        super().__init__(**kwargs)

    def render(self, value, record):
        tag = STATUS_TAGS.get(record.report.status if record.report else "", "nhsuk-tag--grey")
        status = format_html('<strong class="nhsuk-tag {}">{}</strong>', tag, value)
        standing = getattr(record, "standing", None)
        if standing is not None and standing.overdue_days:
            return format_html(
                '{} <strong class="nhsuk-tag nhsuk-tag--red bc-overdue">{}</strong>',
                status,
                standing.overdue_label,
            )
        return status


# NHS.UK tag colours per status; the words carry the meaning, the colour only helps.
STATUS_TAGS = {
    Status.DRAFT: "nhsuk-tag--white",
    Status.SUBMITTED: "nhsuk-tag--blue",
    Status.RETURNED: "nhsuk-tag--orange",
    Status.ACCEPTED: "nhsuk-tag--aqua-green",
    Status.RECEIVED_BY_JCB: "nhsuk-tag--purple",
    Status.SIGNED_OFF_BY_JCB: "nhsuk-tag--green",
    Status.RECEIVED_BY_HWB: "nhsuk-tag--green",
}


def _scheme_label(record) -> str:
    return f"{record.scheme.number}. {record.scheme.name_in(record.quarter.year)}"


def _last_step(record) -> str:
    report = record.report
    if report is None:
        return "—"
    who = report.status_changed_by
    name = (who.get_full_name() or who.username) if who else ""
    when = date_format(timezone.localtime(report.status_changed), "j M Y")
    return f"{when}, {name}" if name else when


class QuarterOverviewTable(tables.Table):
    """Every scheme of the area in a quarter with its report's status and figures; exported
    as CSV or XLSX with exact amounts."""

    # The number, quarter and report date are in the exports; on the page the scheme's label
    # carries its number, the heading the quarter, and "Last step" the latest date.
    number = tables.Column("No.", accessor="scheme__number", visible=False)
    scheme = tables.Column("Scheme", accessor="scheme__name", order_by=("scheme__number",))
    quarter = tables.Column("Quarter", accessor="quarter", orderable=False, visible=False)
    status = ReportStatusColumn()
    author = tables.Column("Report author", accessor="report__report_author", orderable=False)
    report_date = tables.Column(
        "Report date", accessor="report__report_date", orderable=False, visible=False
    )
    last_step = tables.Column("Last step", empty_values=(), orderable=False)
    annual_value = tables.Column(
        "Annual value", empty_values=(), orderable=False, attrs={"td": {"class": "bc-numeric"}}
    )
    projected_spend = tables.Column(
        "Projected year end spend",
        empty_values=(),
        orderable=False,
        attrs={"td": {"class": "bc-numeric"}},
    )
    variance = tables.Column(
        "Variance", empty_values=(), orderable=False, attrs={"td": {"class": "bc-numeric"}}
    )
    days_overdue = tables.Column(
        "Days overdue", empty_values=(), orderable=False, visible=False
    )
    last_reminded = tables.Column("Last reminded", empty_values=(), orderable=False)
    link = tables.Column(" ", empty_values=(), orderable=False, exclude_from_export=True)
    remind = tables.Column(
        "Remind", empty_values=(), orderable=False, exclude_from_export=True
    )

    # How the XLSX export formats each column (the CSV has the same values unformatted).
    xlsx_formats = {
        "number": COUNT,
        "report_date": DATE,
        "annual_value": POUNDS,
        "projected_spend": POUNDS,
        "variance": POUNDS,
        "days_overdue": COUNT,
        "last_reminded": DATE_TIME,
    }

    class Meta:
        empty_text = "No schemes match these filters."
        attrs = {"class": "nhsuk-table", "data-testid": "quarter-overview"}

    def render_scheme(self, record):
        return _scheme_label(record)

    def value_scheme(self, record):
        return record.scheme.name_in(record.quarter.year)

    def render_quarter(self, value):
        return value.short_label

    def value_quarter(self, value):
        return str(value)

    def value_status(self, record):
        return record.status_label

    def value_days_overdue(self, record):
        return record.standing.overdue_days if record.standing else 0

    def render_last_reminded(self, record):
        reminder = record.last_reminder
        if reminder is None:
            return "—"
        when = date_format(timezone.localtime(reminder.created), "j M Y")
        if reminder.state == "failed":
            return format_html('{} <strong class="nhsuk-tag nhsuk-tag--red">Failed</strong>', when)
        if reminder.state == "pending":
            return f"{when}, waiting to be sent"
        return when

    def value_last_reminded(self, record):
        reminder = record.last_reminder
        return timezone.localtime(reminder.created) if reminder else None

    def render_remind(self, record):
        if not record.is_outstanding:
            return ""
        return format_html(
            '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" '
            'value="{}"><input type="hidden" name="quarter" value="{}">'
            '<input type="hidden" name="scheme" value="{}">'
            '<button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small '
            'nhsuk-u-margin-bottom-0" type="submit">Send a reminder now'
            '<span class="nhsuk-u-visually-hidden"> to the lead of {}</span></button></form>',
            reverse("schemes:reminders_now"),
            get_token(self.request),
            record.quarter,
            record.scheme.number,
            _scheme_label(record),
        )

    def render_report_date(self, value):
        return date_format(value, "j M Y")

    def value_report_date(self, value):
        return value or None

    def render_last_step(self, record):
        return _last_step(record)

    def _finance(self, record):
        return record.report.finance if record.report else None

    def render_annual_value(self, record):
        finance = self._finance(record)
        return format_short(finance.total_annual_value) if finance and finance.lines else "—"

    def value_annual_value(self, record):
        finance = self._finance(record)
        return finance.total_annual_value if finance and finance.lines else ""

    def render_projected_spend(self, record):
        finance = self._finance(record)
        spend = finance.total_projected_spend if finance else None
        return "—" if spend is None else format_short(spend)

    def value_projected_spend(self, record):
        finance = self._finance(record)
        spend = finance.total_projected_spend if finance else None
        return "" if spend is None else spend

    def render_variance(self, record):
        finance = self._finance(record)
        return finance.variance_label if finance else "—"

    def value_variance(self, record):
        # Exports carry the exact figure, overspend positive, as finance teams sum it.
        finance = self._finance(record)
        variance = finance.total_variance if finance else None
        return "" if variance is None else variance

    def render_link(self, record):
        url = report_url(record.scheme, record.quarter)
        words = "View report"
        if record.report is None:
            return ""  # the status already says "Not started"
        return format_html(
            '<a href="{}">{}<span class="nhsuk-u-visually-hidden"> for {}</span></a>',
            url,
            words,
            _scheme_label(record),
        )


class LeadReportTable(tables.Table):
    """A scheme lead's reports: what is due, what is with them, and what is done."""

    scheme = tables.Column("Scheme", accessor="scheme__name", orderable=False)
    quarter = tables.Column("Quarter", accessor="quarter", orderable=False)
    status = ReportStatusColumn(orderable=False)
    last_step = tables.Column("Last step", empty_values=(), orderable=False)
    link = tables.Column(" ", empty_values=(), orderable=False)

    class Meta:
        empty_text = "You do not lead any schemes yet: ask an administrator to add you."
        attrs = {"class": "nhsuk-table", "data-testid": "lead-reports"}

    def render_scheme(self, record):
        return _scheme_label(record)

    def render_quarter(self, value):
        return value.short_label

    def render_last_step(self, record):
        return _last_step(record)

    def render_link(self, record):
        report = record.report
        if report is None:
            words, name = "Start report", "report"
        elif report.is_editable:
            words = "Correct and resubmit" if report.status == Status.RETURNED else "Continue"
            name = "report_edit"
        else:
            words, name = "View report", "report"
        return format_html(
            '<a href="{}">{}<span class="nhsuk-u-visually-hidden">: {}, {}</span></a>',
            report_url(record.scheme, record.quarter, name),
            words,
            _scheme_label(record),
            record.quarter.short_label,
        )
