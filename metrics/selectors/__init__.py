"""Reads of metric figures, shaped for the dashboard, the charts, the command line and the
board pack, by topic. Every figure the service shows about a metric comes from here, so the
page, its export, `rag_summary` and the PDF print the same number.

    summary.py          the RAG summary of an area for a month (`rag_summary`), and the
                        breakdown lines of the pack's commentary (`breakdown_commentary`)
    dashboard.py        the analyst's dashboard, its months and breakdowns
    data_month.py       the month every monthly metric has figures for, and what is missing
    series.py           a metric month by month, and by the parts of a breakdown
    control_charts.py   SPC readings, with recalculation points and the analyst's options
    page.py             a metric's page, its plan revisions and the populations of a rate
    home.py             the home page's metrics tasks

Queries are few and do not grow with the data: a summary reads the catalogue and one slice of
an area's figures (this financial year and last), with its populations and the plans its
revisions replaced (`metrics.readings`), whatever the number of areas, metrics or years held.
They are gathered here: `from metrics.selectors import rag_summary`.
"""

from .control_charts import metric_spc, metric_spc_for, spc_options_for
from .dashboard import (
    DashboardRow,
    breakdowns_held,
    dashboard_rows,
    default_month,
    months_with_figures,
)
from .data_month import DataMonth, complete_data_month, metrics_without_figure
from .home import home_tasks
from .page import (
    MetricPage,
    figures_are_illustrative,
    metric_get,
    metric_page,
    metric_values,
    plan_revisions_of,
    populations_for_rate,
)
from .series import (
    BreakdownSeries,
    MetricSeries,
    breakdown_kinds_for,
    breakdown_series,
    metric_series,
    metric_series_for,
)
from .summary import (
    ACTUAL,
    PLAN,
    Figure,
    RagRow,
    RagSummary,
    breakdown_commentary,
    latest_data_month,
    rag_summaries,
    rag_summary,
)

__all__ = [
    "ACTUAL",
    "PLAN",
    "BreakdownSeries",
    "DashboardRow",
    "DataMonth",
    "Figure",
    "MetricPage",
    "MetricSeries",
    "RagRow",
    "RagSummary",
    "breakdown_commentary",
    "breakdown_kinds_for",
    "breakdown_series",
    "breakdowns_held",
    "complete_data_month",
    "dashboard_rows",
    "default_month",
    "figures_are_illustrative",
    "home_tasks",
    "latest_data_month",
    "metric_get",
    "metric_page",
    "metric_series",
    "metric_series_for",
    "metric_spc",
    "metric_spc_for",
    "metric_values",
    "metrics_without_figure",
    "months_with_figures",
    "plan_revisions_of",
    "populations_for_rate",
    "rag_summaries",
    "rag_summary",
    "spc_options_for",
]
