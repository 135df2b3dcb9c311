"""The house style of every chart, and turning plotly figures into HTML or SVG.

Each app builds its figures in its own `charts.py` (one function per chart). The web page shows
a figure with `figure_html` (plotly.js is served once from static files); the PDF shows the same
figure as vector SVG, drawn by kaleido through the system Chromium (`reports.drawing`, which
keeps one browser for a whole build because starting it costs a second or two).
"""

from __future__ import annotations

import json
import uuid

import plotly.graph_objects as go
from plotly.utils import PlotlyJSONEncoder

FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
# NHS identity colours; series keep the same colour on every chart.
COLOURS = {
    "actual": "#005eb8",  # NHS blue
    "plan": "#ed8b00",  # NHS orange, dashed
    "last_year": "#768692",  # NHS mid grey, dotted
    "ccg": "#005eb8",
    "council": "#00a499",  # NHS aqua green
    "total": "#231f20",
    "mean": "#425563",
    "limit": "#aeb7bd",
    "improvement": "#41b6e6",
    "concern": "#ed8b00",
    "green": "#007f3b",
    "amber": "#ffb81c",
    "red": "#d5281b",
}


def house_layout(
    *,
    title: str | None = None,
    y_title: str | None = None,
    height: int = 360,
    width: int | None = None,
) -> dict:
    """The common layout: readable fonts, white background, legend below the plot and margins
    wide enough that WeasyPrint never clips an axis label."""
    layout = {
        "font": {"family": FONT, "size": 13, "color": "#212b32"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "height": height,
        "margin": {"l": 70, "r": 30, "t": 50 if title else 20, "b": 60},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        "hovermode": "x unified",
        "xaxis": {"showline": True, "linecolor": "#768692", "gridcolor": "#f0f4f5"},
        "yaxis": {"showline": True, "linecolor": "#768692", "gridcolor": "#d8dde0"},
    }
    if title:
        layout["title"] = {"text": title, "x": 0, "xanchor": "left"}
    if y_title:
        layout["yaxis"]["title"] = {"text": y_title}
    if width:
        layout["width"] = width
    return layout


def house_figure(
    traces: list,
    *,
    title: str | None = None,
    y_title: str | None = None,
    height: int = 360,
    width: int | None = None,
    **layout,
) -> go.Figure:
    """A figure in the house style made at once from its traces and layout (`layout`: what
    the chart adds, e.g. `barmode`, `shapes`, `annotations`). Made in one go rather than by
    `add_trace` and `update_layout`: plotly replays each update through its relayout
    machinery, which cost three times the rest of a chart (found profiling the pack page
    under load)."""
    return go.Figure(
        data=traces,
        layout={**house_layout(title=title, y_title=y_title, height=height, width=width), **layout},
    )


def house_style(
    figure: go.Figure,
    *,
    title: str | None = None,
    y_title: str | None = None,
    height: int = 360,
    width: int | None = None,
) -> go.Figure:
    """Apply the common layout to a figure made elsewhere (see `house_figure`, quicker)."""
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"} if title else None,
        font={"family": FONT, "size": 13, "color": "#212b32"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=height,
        width=width,
        margin={"l": 70, "r": 30, "t": 50 if title else 20, "b": 60},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        hovermode="x unified",
    )
    figure.update_xaxes(showline=True, linecolor="#768692", gridcolor="#f0f4f5")
    figure.update_yaxes(
        title_text=y_title, showline=True, linecolor="#768692", gridcolor="#d8dde0"
    )
    return figure


# Characters that could end the <script> data block or start markup inside it; JSON reads the
# escapes back as the same characters.
_JSON_IN_HTML = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def figure_html(figure: go.Figure, *, toolbar: bool = True) -> str:
    """The figure as an HTML fragment: an empty element, and the figure as JSON data beside it
    for `bettercare/charts.js` to draw. No inline script: the Content-Security-Policy allows
    none. The page must load `includes/plotly_js.html` once. `toolbar=False` leaves out
    plotly's zoom-and-download bar (a board pack is read, not explored)."""
    element_id = f"chart-{uuid.uuid4().hex[:12]}"
    payload = figure.to_plotly_json()
    payload["config"] = {"displaylogo": False, "responsive": True, "displayModeBar": toolbar}
    data = json.dumps(payload, cls=PlotlyJSONEncoder, separators=(",", ":"))
    return (
        f'<div class="bc-chart" id="{element_id}"></div>'
        f'<script type="application/json" data-plotly-for="{element_id}">'
        f"{data.translate(_JSON_IN_HTML)}</script>"
    )


class ChartRenderingUnavailable(RuntimeError):
    """No Chromium to render charts with (install the Debian package `chromium`)."""
