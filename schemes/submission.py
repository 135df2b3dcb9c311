"""What must be filled in before a highlight report can be submitted: the one list of it.

Pure, no Django import. The sections are in the template's order, each with the words the
template uses and the message a lead sees beside it. Submitting refuses a report while any is
missing (`services.highlight_report_submit`), and the report form marks the same fields as
required, without requiring them of a draft (`forms.DraftMixin`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """A single field of the report (or, inside `Rows`, a field of every row)."""

    field: str
    label: str
    message: str


@dataclass(frozen=True)
class Rows:
    """A repeating table that needs at least one row, and in every row `each` (if given)."""

    field: str  # the table's prefix, which the form and the services also use
    label: str
    message: str
    each: Text | None = None


@dataclass(frozen=True)
class Missing:
    """A section that must be filled in before a report can be submitted."""

    field: str  # the form field, or the prefix of the repeating table, it belongs beside
    label: str  # the section as the template names it
    message: str


NEEDED = (
    Text("report_author", "Report Author", "Enter the name of the report's author."),
    Text("report_date", "Report Date", "Enter the report date."),
    Rows(
        "financial_lines",
        "Annual value",
        "Add the annual value of at least one funding source.",
        each=Text(
            "projected_spend",
            "Projected year end spend",
            "Enter the projected year end spend of every funding source.",
        ),
    ),
    Text(
        "reasons_for_variance",
        "What are the reasons for Over/Underspends?",
        "Give the reasons for the over or underspend (write “None” if there are none).",
    ),
    Text(
        "actions_on_variance",
        "What actions are being taken to address Over/Underspends?",
        "Say what is being done about the over or underspend (“None” if nothing is needed).",
    ),
    Text(
        "savings_opportunities",
        "Are there any opportunities for Savings?",
        "Answer whether there are opportunities for savings (“None” if there are none).",
    ),
    Text(
        "cost_pressures",
        "Predicted Cost Pressures:",
        "Give the predicted cost pressures (“None” if there are none).",
    ),
    Text(
        "aims",
        "Original Aims and anticipated Outcomes for this Scheme",
        "Enter the scheme's original aims and anticipated outcomes.",
    ),
    Rows(
        "key_developments",
        "Key Developments/Successes/Achievements this Quarter",
        "Add at least one key development, success or achievement this quarter.",
    ),
    Rows("indicators", "Performance Indicators", "Add at least one performance indicator."),
    Rows(
        "risks",
        "Risks",
        "Add at least one risk, with its mitigation.",
        each=Text("mitigation", "Mitigation", "Give the mitigation of every risk."),
    ),
    Text(
        "priorities",
        "Outline the Priorities for this scheme for the forthcoming period",
        "Outline the scheme's priorities for the next 3 to 6 months.",
    ),
)

# The report's own fields a submitted report needs, and each table's row fields.
TEXT_NEEDED = tuple(section.field for section in NEEDED if isinstance(section, Text))
ROW_FIELDS_NEEDED = {
    section.field: (section.each.field,)
    for section in NEEDED
    if isinstance(section, Rows) and section.each
}


def _empty(value) -> bool:
    return value is None or not str(value).strip()


def missing_sections(report) -> list[Missing]:
    """The required sections of the report still empty, in the template's order."""
    missing: list[Missing] = []
    for section in NEEDED:
        if isinstance(section, Text):
            if _empty(getattr(report, section.field)):
                missing.append(Missing(section.field, section.label, section.message))
            continue
        rows = list(getattr(report, section.field).all())
        if not rows:
            missing.append(Missing(section.field, section.label, section.message))
        elif section.each and any(_empty(getattr(row, section.each.field)) for row in rows):
            each = section.each
            missing.append(Missing(section.field, each.label, each.message))
    return missing
