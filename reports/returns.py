"""The quarterly return to NHS England as an XLSX workbook shaped like the national template:
its five sheets, named as the template names them, written from `selectors.quarterly_return`.

Nothing here works a figure out: every number is the one the board pack shows, read by the
pack's own selectors (the conditions of its legal implications, the ratings of its performance
table, the pool and forecast of its finance sections). Cells go through the project's safe
writer (`bettercare.spreadsheets.workbook`): numbers are numbers with number formats, dates are
dates, text typed by people is text, never a formula, and the workbook holds no formula at all.
"""

from __future__ import annotations

from bettercare.spreadsheets import COUNT, POUNDS, Sheet, workbook
from metrics.tables import figure

from .models import Board, NationalCondition
from .selectors import QuarterlyReturnData
from .tables import compared_as

SHEET_NAMES = ("Cover", "National Conditions", "Metrics", "Income and Expenditure", "HWB sign-off")
CONFIRMED = {
    NationalCondition.Compliance.COMPLIANT: "Yes",
    NationalCondition.Compliance.NOT_COMPLIANT: "No",
}


def return_file_name(data: QuarterlyReturnData) -> str:
    """BCF-return-E06000045-2018-19-Q2.xlsx"""
    return f"BCF-return-{data.area.code}-{data.quarter}.xlsx"


def return_workbook(data: QuarterlyReturnData) -> bytes:
    return workbook(
        [
            cover_sheet(data),
            conditions_sheet(data),
            metrics_sheet(data),
            finance_sheet(data),
            sign_off_sheet(data),
        ]
    )


def _source(data: QuarterlyReturnData) -> str:
    if data.pack is None:
        return f"No board pack for {data.quarter.short_label} yet: the quarter's data month"
    return (
        f"The {Board(data.pack.board).label} pack for {data.quarter.short_label} "
        f"({data.pack.get_status_display()})"
    )


def cover_sheet(data: QuarterlyReturnData) -> Sheet:
    rows = [
        ("Area", data.area.name),
        ("ONS code", data.area.code),
        ("Health and Wellbeing Board", data.sign_off.board_name),
        ("Quarter", data.quarter.label),
        ("Financial year", data.quarter.year.label),
        ("Figures up to", data.data_month.last_day),
        ("Figures as in", _source(data)),
        ("Completed by", data.completed_by_name or "Not completed yet"),
        ("E-mail", data.contact_email),
        ("Telephone", data.contact_phone),
        ("Completed on", data.completed_on),
        ("Sign-off state", data.sign_off.state),
    ]
    if data.illustrative_parts:
        rows.append(
            (
                "Illustrative figures",
                "Invented for demonstration, not real: " + " and ".join(data.illustrative_parts),
            )
        )
    return Sheet("Cover", ["Question", "Answer"], rows)


def conditions_sheet(data: QuarterlyReturnData) -> Sheet:
    rows = [
        (
            item.number,
            item.text,
            CONFIRMED.get(item.compliance, ""),
            item.note or ("" if item.compliance in CONFIRMED else item.compliance_label),
        )
        for item in data.conditions
    ]
    return Sheet(
        "National Conditions",
        ["Number", "National condition", "Confirmed (Yes/No)", "Comment"],
        rows,
        formats={"Number": COUNT},
    )


def metrics_sheet(data: QuarterlyReturnData) -> Sheet:
    rows = []
    for item in data.metrics:
        row, unit = item.row, item.metric.unit
        rows.append(
            (
                item.metric.name,
                item.metric.description,
                compared_as(row) if row else f"No figure for {data.data_month.label}",
                figure(row.actual, unit) if row else None,
                figure(row.plan, unit) if row else None,
                item.rating_words,
                item.worked_out.words,
                item.assessment.words,
                item.reason if item.changed else "",
                item.challenges,
                item.achievements,
                item.support_needs,
            )
        )
    return Sheet(
        "Metrics",
        [
            "Metric",
            "Definition",
            "Compared",
            "Actual",
            "Target",
            "Rating against target in the board pack",
            "Assessment worked out from the rating",
            "Assessment of progress",
            "Reason for changing the assessment",
            "Challenges",
            "Achievements",
            "Support needs",
        ],
        rows,
    )


def finance_sheet(data: QuarterlyReturnData) -> Sheet:
    """Income: the pooled fund by partner and funding stream, each partner's total, the pool's
    total and the national minimum (the pack's overview). Expenditure: planned (budget) and
    forecast spend by partner and in total at the pack's finance month (its resource
    implications)."""
    fund, position = data.finance.fund, data.finance.position
    rows: list[tuple] = []
    for entry in fund.contributions:
        rows.append(("Income", entry.partner.name, entry.stream_label, entry.amount))
    for partner in fund.by_partner:
        rows.append(("Income", partner.partner.name, "All streams", partner.contributed))
    if fund.recorded:
        rows.append(("Income", "Total pooled fund", "All streams", fund.total))
        rows.append(("Income", "National minimum", "", fund.national_minimum))
    else:
        rows.append(("Income", f"No pooled fund recorded for {fund.financial_year.label}", ""))
    if position is None:
        rows.append(
            (
                "Expenditure",
                f"No forecasts loaded for {data.quarter.year.label} up to "
                f"{data.data_month.label}",
            )
        )
    else:
        part = f"Expenditure at Month {position.month.number} ({position.month.label})"
        for partner in position.partners:
            rows.append(
                (part, partner.partner.name, "", None, partner.budget, partner.forecast,
                 partner.variance)
            )
        total = position.total
        rows.append((part, "Total", "", None, total.budget, total.forecast, total.variance))
    money = dict.fromkeys(("Income", "Planned spend", "Forecast spend", "Variance"), POUNDS)
    return Sheet(
        "Income and Expenditure",
        ["Part", "Partner", "Funding stream", "Income", "Planned spend", "Forecast spend",
         "Variance"],
        rows,
        formats=money,
    )


def sign_off_sheet(data: QuarterlyReturnData) -> Sheet:
    sign_off = data.sign_off
    return Sheet(
        "HWB sign-off",
        ["Question", "Answer"],
        [
            ("Board", sign_off.board_name),
            ("Date of the board's meeting", sign_off.meeting_date),
            ("Date from", sign_off.date_from or "No date set"),
            ("HWB pack", f"{data.quarter.short_label} HWB pack: {sign_off.pack_state}"),
            ("Signed off", "Yes" if sign_off.signed_off else "No"),
            ("Sign-off state", sign_off.state),
        ],
    )
