"""Finance charts: plotly figures in the house style, shown on pages (`figure_html`) and drawn to
SVG for the board pack (`reports.drawing`) from the same function."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import plotly.graph_objects as go

from bettercare.charts import COLOURS, house_figure
from bettercare.money import BOARD, format_variance

from .variance import FinancePosition, MonthVariance

MILLION = Decimal(1_000_000)


def _partner_colour(kind: str, index: int) -> str:
    if kind == "nhs":
        return COLOURS["ccg"]
    if kind == "council":
        return COLOURS["council"]
    return (COLOURS["plan"], COLOURS["last_year"])[index % 2]


def month_axis_label(month) -> str:
    """'M5 Aug': the month's number in the financial year and its name."""
    return f"M{month.number} {month.label[:3]}"


def variance_by_month_chart(
    monthly: Sequence[MonthVariance],
    *,
    title: str | None = "Forecast variance by month",
    height: int = 360,
    width: int | None = None,
) -> go.Figure:
    """The forecast year-end variance as it stood at each month: a bar per partner and a line
    for the total, in £ millions (overspend above zero, underspend below)."""
    months = [month_axis_label(point.month) for point in monthly]
    traces: list = []
    partners = [partner for partner, _ in monthly[0].by_partner] if monthly else []
    for index, partner in enumerate(partners):
        values = [point.by_partner[index][1] for point in monthly]
        traces.append(
            go.Bar(
                x=months,
                y=[float(value / MILLION) for value in values],
                name=partner.code,
                marker_color=_partner_colour(partner.kind, index),
                hovertext=[format_variance(value, BOARD) for value in values],
                hovertemplate="%{hovertext}<extra>" + partner.code + "</extra>",
            )
        )
    totals = [point.total for point in monthly]
    traces.append(
        go.Scatter(
            x=months,
            y=[float(value / MILLION) for value in totals],
            name="Total",
            mode="lines+markers",
            line={"color": COLOURS["total"], "width": 3},
            hovertext=[format_variance(value, BOARD) for value in totals],
            hovertemplate="%{hovertext}<extra>Total</extra>",
        )
    )
    return house_figure(
        traces,
        title=title,
        y_title="Variance (£M): overspend above 0",
        height=height,
        width=width,
        barmode="group",
        # What figure.add_hline would add: the line of zero variance across the plot.
        shapes=[
            {
                "type": "line",
                "x0": 0,
                "x1": 1,
                "xref": "x domain",
                "y0": 0,
                "y1": 0,
                "yref": "y",
                "line": {"color": "#425563", "width": 1},
            }
        ],
    )


def position_variance_chart(
    position: FinancePosition, *, height: int = 360, width: int | None = None
) -> go.Figure:
    """The variance-by-month chart of a position, titled with its year."""
    return variance_by_month_chart(
        position.monthly,
        title=f"Forecast variance by month, {position.financial_year.label}",
        height=height,
        width=width,
    )
