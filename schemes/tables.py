import django_tables2 as tables

from .models import Scheme


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
