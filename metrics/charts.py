"""Plotly figures of the metrics, one function per chart, built from data (never a request).

The metric page shows them with `bettercare.charts.figure_html`; the board pack draws the same
figures to SVG (`reports.drawing`). Their data comes from the selectors
`metric_series`, `metric_spc` and `breakdown_series`.
"""

from __future__ import annotations

from html import escape

import plotly.graph_objects as go

from bettercare.charts import COLOURS, house_figure, house_layout
from bettercare.periods import Month

from .filters import BREAKDOWN_KIND_LABELS
from .selectors import BreakdownSeries, MetricSeries
from .selectors.benchmarks import MetricBenchmark
from .spc import SpcResult, Variation, point_variation

BREAKDOWN_COLOURS = ["#005eb8", "#00a499", "#7c2855", "#ed8b00", "#330072", "#768692"]


def _plain(text: str) -> str:
    """Text typed by people (a reason, a provider's name) shown as written: plotly.js reads a
    few HTML tags in chart text, so escape it."""
    return escape(text, quote=False)


def _numbers(values) -> list[float | None]:
    return [None if value is None else float(value) for value in values]


def _month_labels(months) -> list[str]:
    return [f"{month.first_day:%b %Y}" for month in months]


def trend_chart(
    series: MetricSeries,
    *,
    title: str | None = None,
    height: int = 360,
    width: int | None = None,
) -> go.Figure:
    """Monthly actual against plan and the same month last year."""
    x = _month_labels(series.months)
    traces = [
        go.Scatter(
            x=x,
            y=_numbers(series.last_year),
            name="Last year",
            mode="lines+markers",
            line={"color": COLOURS["last_year"], "dash": "dot", "width": 2},
            marker={"symbol": "diamond", "size": 7},
        )
    ]
    if any(value is not None for value in series.plan):
        traces.append(
            go.Scatter(
                x=x,
                y=_numbers(series.plan),
                name="Plan",
                mode="lines",
                line={"color": COLOURS["plan"], "dash": "dash", "width": 2},
            )
        )
    traces.append(
        go.Scatter(
            x=x,
            y=_numbers(series.actual),
            name="Actual",
            mode="lines+markers",
            line={"color": COLOURS["actual"], "width": 3},
            marker={"size": 8},
        )
    )
    return house_figure(
        traces,
        title=_plain(title if title is not None else series.metric.name),
        y_title=series.metric.unit_label,
        height=height,
        width=width,
    )


def spc_chart(
    result: SpcResult,
    *,
    title: str | None = None,
    y_title: str | None = None,
    height: int = 380,
    width: int | None = None,
) -> go.Figure:
    """The XmR chart: figures, mean, process limits for each baseline, the target, points of
    special cause coloured and shaped by improvement or concern, and the analyst's
    recalculation points annotated with their reasons."""
    traces: list[go.Scatter] = []
    x = [_x_label(point.x) for point in result.points]

    for name, key, dash, colour in (
        ("Mean", "mean", "solid", COLOURS["mean"]),
        ("Upper process limit", "upper", "dash", COLOURS["limit"]),
        ("Lower process limit", "lower", "dash", COLOURS["limit"]),
    ):
        line_x, line_y = _baseline_line(result, key, x)
        traces.append(
            go.Scatter(
                x=line_x,
                y=line_y,
                name=name,
                mode="lines",
                line={"color": colour, "dash": dash, "width": 2 if key == "mean" else 1.5},
                connectgaps=False,
                hoverinfo="skip" if key != "mean" else None,
            )
        )
    if result.target is not None:
        traces.append(
            go.Scatter(
                x=x,
                y=[float(result.target)] * len(x),
                name="Target",
                mode="lines",
                line={"color": COLOURS["red"], "dash": "dot", "width": 2},
            )
        )
    traces.append(
        go.Scatter(
            x=x,
            y=[float(point.value) for point in result.points],
            name="Figure",
            mode="lines+markers",
            line={"color": COLOURS["mean"], "width": 1.5},
            marker={"color": COLOURS["limit"], "size": 7},
            text=[_point_text(result, point) for point in result.points],
            hovertemplate="%{x}: %{y}<br>%{text}<extra></extra>",
        )
    )
    for kind, colour, symbol, label in (
        ("improvement", COLOURS["improvement"], "circle", "Special cause: improvement"),
        ("concern", COLOURS["concern"], "square", "Special cause: concern"),
    ):
        chosen = [
            point
            for point in result.points
            if point_variation(point, result.direction).kind == kind
        ]
        if chosen:
            traces.append(
                go.Scatter(
                    x=[_x_label(point.x) for point in chosen],
                    y=[float(point.value) for point in chosen],
                    name=label,
                    mode="markers",
                    marker={
                        "color": colour,
                        "size": 11,
                        "symbol": symbol,
                        "line": {"color": "#212b32", "width": 1},
                    },
                    hoverinfo="skip",
                )
            )
    shapes, annotations = [], []
    for baseline in result.baselines[1:]:
        at = x[baseline.start]
        # What figure.add_vline would add: a line across the plot's height at `at`.
        shapes.append(
            {
                "type": "line",
                "x0": at,
                "x1": at,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "y domain",
                "line": {"color": "#425563", "dash": "longdash", "width": 1},
            }
        )
        annotations.append(
            {
                "x": at,
                "y": 1,
                "yref": "paper",
                "text": _plain(baseline.reason),
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"size": 11},
            }
        )
    return house_figure(
        traces,
        title=_plain(title) if title else None,
        y_title=y_title,
        height=height,
        width=width,
        shapes=shapes,
        annotations=annotations,
    )


def breakdown_chart(
    series: BreakdownSeries,
    *,
    title: str | None = None,
    height: int = 360,
    width: int | None = None,
) -> go.Figure:
    """Monthly figures of each part of a breakdown (each provider, or each age band)."""
    x = _month_labels(series.months)
    traces = [
        go.Scatter(
            x=x,
            y=_numbers(values),
            name=_plain(part),
            mode="lines+markers",
            line={"color": BREAKDOWN_COLOURS[index % len(BREAKDOWN_COLOURS)], "width": 2},
        )
        for index, (part, values) in enumerate(series.lines.items())
    ]
    return house_figure(
        traces,
        title=_plain(title) if title else None,
        y_title=series.metric.unit_label,
        height=height,
        width=width,
    )


def _x_label(x) -> str:
    return f"{x.first_day:%b %Y}" if isinstance(x, Month) else str(x)


def _baseline_line(result: SpcResult, key: str, x: list[str]):
    """The mean or a limit across each baseline, broken where a new baseline starts so a
    recalculation point is visible as a step, not a slope."""
    line_x: list[str] = []
    line_y: list[float | None] = []
    for baseline in result.baselines:
        figure = getattr(baseline, key)
        if line_x:
            line_x.append(x[baseline.start])
            line_y.append(None)
        line_x.extend(x[baseline.start : baseline.end])
        line_y.extend([None if figure is None else float(figure)] * baseline.size)
    return line_x, line_y


def _point_text(result: SpcResult, point) -> str:
    variation = point_variation(point, result.direction)
    if variation == Variation.COMMON_CAUSE:
        return "Common cause"
    rules = "; ".join(rule.label for rule in point.rules)
    return f"{variation.label}: {rules}"


def metric_page_charts(page) -> dict[str, go.Figure]:
    """The charts of a metric's page (`selectors.MetricPage`): the year against plan and last
    year (`trend`), its SPC chart when it has points (`spc`), and the breakdown's parts when
    one is held (`breakdown`)."""
    metric, year = page.metric, page.month.financial_year
    figures = {
        "trend": trend_chart(
            page.series, title=f"{metric.name}: {year.label} against plan and last year"
        )
    }
    if page.spc.points:
        figures["spc"] = spc_chart(
            page.spc,
            title=f"Statistical process control, to {page.month.label}",
            y_title=metric.unit_label,
        )
    if page.parts is not None:
        figures["breakdown"] = breakdown_chart(
            page.parts, title=f"By {BREAKDOWN_KIND_LABELS[page.kind].lower()}, {year.label}"
        )
    return figures


COMPARATOR_DASHES = ["dash", "dot", "dashdot", "longdash"]


def benchmark_chart(
    bench: MetricBenchmark,
    *,
    highlight: str | None = None,
    height: int | None = None,
    width: int | None = None,
) -> go.Figure:
    """The areas' rates as bars in rank order (the best at the top), the comparators as
    vertical lines across them, never ranked. The `highlight` area (the reader's own) is marked
    by a hatched bar, a darker colour and its label "(this area)", not by colour alone. The
    benchmarking page shows it; the board pack draws the same figure to SVG."""
    ranked = [row for row in bench.result.areas if row.ranked]
    names = [
        f"{row.rank}. {_plain(row.name)}{' (this area)' if row.area == highlight else ''}"
        for row in ranked
    ]
    mine = [row.area == highlight for row in ranked]
    traces = [
        go.Bar(
            x=[row.rate for row in ranked],
            y=names,
            orientation="h",
            name="Areas",
            showlegend=False,
            marker={
                "color": [COLOURS["actual"] if own else COLOURS["limit"] for own in mine],
                "line": {"color": "#212b32", "width": [2 if own else 0 for own in mine]},
                "pattern": {"shape": ["/" if own else "" for own in mine], "fgcolor": "white"},
            },
            text=[bench.rate_display(row.rate) for row in ranked],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    ]
    shapes = []
    for index, line in enumerate(bench.result.comparators):
        if line.rate is None:
            continue
        dash = COMPARATOR_DASHES[index % len(COMPARATOR_DASHES)]
        shapes.append(
            {
                "type": "line",
                "x0": line.rate,
                "x1": line.rate,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "y domain",
                "line": {"color": COLOURS["total"], "dash": dash, "width": 2},
            }
        )
        # A legend entry for each line, with its figure: the reader can tell them apart.
        traces.append(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                name=f"{_plain(line.name)}: {bench.rate_display(line.rate)}",
                line={"color": COLOURS["total"], "dash": dash, "width": 2},
            )
        )
    better = "lower" if bench.metric.direction == "lower" else "higher"
    layout = house_layout(
        title=_plain(f"{bench.metric.name}, {bench.month.label}"),
        height=height or max(280, 160 + 28 * len(ranked)),
        width=width,
    )
    layout["xaxis"].update(
        title={"text": f"{bench.rate_words} ({better} is better)"}, rangemode="tozero"
    )
    layout["yaxis"].update(autorange="reversed", automargin=True, gridcolor="white")
    # The comparators' legend goes above the bars, clear of the axis title below them.
    layout["margin"].update(l=20, t=90)
    layout["legend"].update(y=1.02, yanchor="bottom")
    layout.update(hovermode="closest", bargap=0.25, shapes=shapes)
    return go.Figure(data=traces, layout=layout)
