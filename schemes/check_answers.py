"""The "Check your answers" page's sections: every answer of a report as it is saved, in the
template's order, each with where on the form to change it (GOV.UK's check answers pattern)."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join

from bettercare.money import EXACT, NOT_KNOWN, format_full, format_variance

from .models import HighlightReport
from .templatetags.highlight_reports import number, period_label, report_text


def money(amount) -> str:
    """As the report's table writes it (the `money` filter): £1,374,000, (£33,000)."""
    return NOT_KNOWN if amount is None else format_full(amount)


def variance(amount) -> str:
    """As the report writes a line's variance: £607,000 overspend, (£33,000) underspend."""
    return format_variance(amount, EXACT)

ROW_TABLES = {"financial_lines", "key_developments", "indicators", "risks", "contracts"}


def section_anchor(field: str) -> str:
    """Where on the form a field (or a repeating table) is: the id to link to."""
    if field in ROW_TABLES:
        return f"section-{field}"
    if field == "report_date":
        return "id_report_date_day"  # a date's first box
    return f"id_{field}"


def _row(label: str, field: str, value="", html=None) -> dict:
    return {"label": label, "value": value, "html": html, "anchor": section_anchor(field)}


def _list(items) -> str:
    items = list(items)
    if not items:
        return ""
    return format_html(
        '<ul class="nhsuk-list nhsuk-list--bullet">{}</ul>',
        format_html_join("", "<li>{}</li>", ((item,) for item in items)),
    )


def _text(value: str):
    return report_text(value) if value and value.strip() else None


def check_answers_sections(report: HighlightReport) -> list[dict]:
    finance = report.finance
    lines = [
        format_html(
            "{}: annual value {}, projected year end spend {}, {}",
            line.label,
            money(line.annual_value),
            money(line.projected_spend),
            variance(line.variance),
        )
        for line in finance.lines
    ]
    if finance.lines:
        lines.append(
            format_html(
                "<strong>Total: {}, projected {}, {}</strong>",
                money(finance.total_annual_value),
                money(finance.total_projected_spend),
                finance.variance_label,
            )
        )
    developments = [
        format_html(
            "{}{}",
            row.text,
            format_html(
                ' <span class="nhsuk-body-s">(Supports: {})</span>',
                ", ".join(aim.label for aim in row.aims),
            )
            if row.aims
            else "",
        )
        for row in report.key_developments.all()
    ]
    indicators = []
    for row in report.indicators.all():
        detail = ""
        if row.target is not None or row.actual is not None:
            detail = format_html(
                ' <span class="nhsuk-body-s">(target {}, actual {}{})</span>',
                number(row.target),
                number(row.actual),
                f", {period_label(row.measure_period)}" if row.measure_period else "",
            )
        indicators.append(
            format_html(
                "{}{}{}", row.indicator, f": {row.progress}" if row.progress else "", detail
            )
        )
    risks = [
        format_html("{}. Mitigation: {}", row.risk, row.mitigation or "none given")
        for row in report.risks.all()
    ]
    contracts = [
        format_html("{}{}", row.contract, f" ({row.duration})" if row.duration else "")
        for row in report.contracts.all()
    ]
    return [
        {
            "title": "Report details",
            "anchor": "section-details",
            "rows": [
                _row(
                    "Pooled Budget Manager", "pooled_budget_manager", report.pooled_budget_manager
                ),
                _row("Report Author", "report_author", report.report_author),
                _row(
                    "Report Date",
                    "report_date",
                    f"{report.report_date.day} {report.report_date:%B %Y}"
                    if report.report_date
                    else "",
                ),
            ],
        },
        {
            "title": "Overall Financial Performance",
            "anchor": "section-finance",
            "rows": [
                _row("Funding sources", "financial_lines", html=_list(lines) or None),
                _row(
                    "Reasons for Over/Underspends",
                    "reasons_for_variance",
                    html=_text(report.reasons_for_variance),
                ),
                _row(
                    "Actions to address Over/Underspends",
                    "actions_on_variance",
                    html=_text(report.actions_on_variance),
                ),
                _row(
                    "Opportunities for Savings",
                    "savings_opportunities",
                    html=_text(report.savings_opportunities),
                ),
                _row(
                    "Predicted Cost Pressures", "cost_pressures", html=_text(report.cost_pressures)
                ),
            ],
        },
        {
            "title": "Overall Delivery",
            "anchor": "section-delivery",
            "rows": [
                _row("Original Aims and anticipated Outcomes", "aims", html=_text(report.aims)),
                _row(
                    "Key Developments/Successes/Achievements",
                    "key_developments",
                    html=_list(developments) or None,
                ),
            ],
        },
        {
            "title": "Performance Indicators",
            "anchor": "section-indicators",
            "rows": [_row("Indicators", "indicators", html=_list(indicators) or None)],
        },
        {
            "title": "Risks and Mitigation",
            "anchor": "section-risks",
            "rows": [_row("Risks", "risks", html=_list(risks) or None)],
        },
        {
            "title": "Summary",
            "anchor": "section-summary",
            "rows": [
                _row(
                    "Changes and Recommendations",
                    "recommendations",
                    html=_text(report.recommendations) or "None",
                ),
                _row(
                    "Priorities for the next 3 to 6 months",
                    "priorities",
                    html=_text(report.priorities),
                ),
            ],
        },
        {
            "title": "Associated Contracts",
            "anchor": "section-contracts",
            "rows": [_row("Contracts", "contracts", html=_list(contracts) or "None")],
        },
    ]
