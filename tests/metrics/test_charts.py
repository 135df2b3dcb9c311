"""Chart builders take data, not requests, and give figures the page and the PDF both draw."""

from decimal import Decimal as D

import pytest

from bettercare.periods import FinancialYear, Month
from metrics import charts
from metrics.models import Metric
from metrics.rag import Direction
from metrics.selectors import BreakdownSeries, MetricSeries, breakdown_series, metric_series
from metrics.selectors import metric_spc as spc_of
from metrics.spc import Recalculation, xmr
from reports.drawing import ChartRenderer, SvgJob

pytestmark = pytest.mark.django_db
MONTHS = tuple(FinancialYear(2018).months())


def nel():
    return Metric.objects.get(code="nel_admissions")


def test_trend_chart_draws_actual_plan_and_last_year_by_month():
    series = MetricSeries(
        metric=nel(),
        months=MONTHS,
        actual=(D(2400), D(2350), None, *[None] * 9),
        plan=(D(2370),) * 12,
        last_year=(D(2300),) * 12,
    )
    figure = charts.trend_chart(series)
    assert [trace.name for trace in figure.data] == ["Last year", "Plan", "Actual"]
    assert figure.data[2].y[:3] == (2400.0, 2350.0, None)
    assert figure.data[0].x[0] == "Apr 2018"
    assert figure.layout.title.text == "Non Elective Admissions"
    assert figure.layout.yaxis.title.text == "Count"


def test_a_metric_without_a_plan_has_no_plan_line():
    series = MetricSeries(nel(), MONTHS, (D(1),) * 12, (None,) * 12, (None,) * 12)
    assert [trace.name for trace in charts.trend_chart(series).data] == ["Last year", "Actual"]


def test_spc_chart_marks_special_causes_limits_and_recalculations():
    points = [(Month(2016, 4).plus(i), D(v)) for i, v in enumerate([10, 12] * 6 + [20, 22] * 6)]
    result = xmr(
        points,
        direction=Direction.LOWER,
        target=D(15),
        recalculations=[Recalculation(at=Month(2017, 4), reason="<b>New</b> model")],
    )
    figure = charts.spc_chart(result, title="SPC", y_title="Count")
    names = [trace.name for trace in figure.data]
    assert names[:5] == ["Mean", "Upper process limit", "Lower process limit", "Target", "Figure"]
    mean = figure.data[0]
    assert mean.y[11] == 11.0 and mean.y[12] is None and mean.y[13] == 21.0  # a visible step
    assert figure.layout.annotations[0].text == "&lt;b&gt;New&lt;/b&gt; model"  # shown as typed

    unbroken = xmr(points, direction=Direction.LOWER)
    figure = charts.spc_chart(unbroken)
    assert "Special cause: concern" in [trace.name for trace in figure.data]


def test_breakdown_chart_draws_a_line_per_part():
    series = BreakdownSeries(
        nel(), "age_band", MONTHS, {"0-17": (D(400),) * 12, "65+": (D(1100),) * 12}
    )
    figure = charts.breakdown_chart(series, title="By age band")
    assert [trace.name for trace in figure.data] == ["0-17", "65+"]


def test_selectors_feed_the_charts_and_the_pack_draws_them_as_svg(board_figures):
    august = Month(2018, 8)
    series = metric_series(area=board_figures, metric=nel(), months=august.year_to_date())
    assert series.actual == (D(2400), D(2350), D(2420), D(2460), D(2390))
    assert series.plan == (D(2370),) * 5
    assert series.last_year == (D(2300), D(2280), D(2390), D(2400), D(2350))
    parts = breakdown_series(area=board_figures, metric=nel(), months=MONTHS, kind="age_band")
    assert parts.lines == {"65+": (D(1100),) * 5 + (None,) * 7}
    result = spc_of(area=board_figures, metric=nel(), up_to=august)
    assert [point.value for point in result.points][-5:] == list(series.actual)
    assert result.target == D(2370)
    with ChartRenderer(tabs=1, idle_seconds=None) as renderer:
        trend, spc = renderer.draw(
            [
                SvgJob(charts.trend_chart(series), 680, 320),
                SvgJob(charts.spc_chart(result, title="SPC"), 680, 320),
            ]
        )
    assert trend.startswith("<svg") and "Actual" in trend and "Last year" in trend
    assert spc.startswith("<svg") and "Upper process limit" in spc
