"""The board pack reads the charts of several metrics at once: the same series and SPC
readings as one metric at a time, in a number of queries that does not grow with them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bettercare.periods import Month
from metrics.models import Metric
from metrics.selectors import metric_series, metric_series_for, metric_spc, metric_spc_for

pytestmark = pytest.mark.django_db
AUGUST = Month(2018, 8)


def test_several_at_once_give_what_each_gives_alone(board_figures):
    metrics = list(Metric.objects.order_by("display_order"))
    months = AUGUST.financial_year.months()
    with CaptureQueriesContext(connection) as reading:
        series = metric_series_for(area=board_figures, metrics=metrics, months=months)
        results = metric_spc_for(area=board_figures, metrics=metrics, up_to=AUGUST)
    # Whatever the number of metrics: the series read the figures, the populations their rates
    # are worked out with and the plans revisions replaced (3); SPC the same and the
    # recalculation points and options (5).
    assert len(reading) == 8
    for metric in metrics:
        assert series[metric.pk] == metric_series(area=board_figures, metric=metric, months=months)
        assert results[metric.pk] == metric_spc(area=board_figures, metric=metric, up_to=AUGUST)
    nel = Metric.objects.get(code="nel_admissions")
    assert results[nel.pk].target == 2370 and len(results[nel.pk].points) == 10  # 2017 and 2018
