"""Helpers to post the highlight report form as the page does."""

from django.urls import reverse

from schemes.forms import row_initial
from schemes.models import HighlightReport

ROW_FIELDS = {
    "financial_lines": ["source", "other_source", "annual_value", "projected_spend"],
    "key_developments": ["text", "aims"],
    "indicators": ["indicator", "progress", "unit", "target", "actual", "measure_period"],
    "risks": ["risk", "mitigation"],
    "contracts": [
        "contract",
        "duration",
        "annual_value",
        "spend_variance",
        "performance_summary",
        "comments",
    ],
}
TEXT_FIELDS = [
    "pooled_budget_manager",
    "report_author",
    "reasons_for_variance",
    "actions_on_variance",
    "savings_opportunities",
    "cost_pressures",
    "aims",
    "recommendations",
    "priorities",
]


def url(report_or_scheme, quarter=None, name="report", **kwargs) -> str:
    if isinstance(report_or_scheme, HighlightReport):
        number, quarter = report_or_scheme.scheme.number, report_or_scheme.quarter
    else:
        number = report_or_scheme.number
    return reverse(f"schemes:{name}", kwargs={"number": number, "quarter": quarter, **kwargs})


def form_data(report: HighlightReport, rows=None, **fields) -> dict:
    """What the edit page posts for `report` as saved, with `fields` and `rows` (per prefix,
    lists of dicts of what is typed) replacing the saved values."""
    report = HighlightReport.objects.get(pk=report.pk)
    data = {"version": str(report.version), "action": "save"}
    for name in TEXT_FIELDS:
        data[name] = getattr(report, name)
    data["report_date"] = report.report_date.isoformat() if report.report_date else ""
    saved = row_initial(report)
    for prefix, names in ROW_FIELDS.items():
        values = (rows or {}).get(prefix, saved[prefix])
        data[f"{prefix}-TOTAL_FORMS"] = str(len(values))
        initial = 0 if prefix in (rows or {}) else len(saved[prefix])
        data[f"{prefix}-INITIAL_FORMS"] = str(initial)
        for index, row in enumerate(values):
            for name in names:
                value = row.get(name, "")
                if value is None:
                    value = ""
                key = f"{prefix}-{index}-{name}"
                data[key] = value if isinstance(value, list) else str(value)
    data.update(fields)
    return data
