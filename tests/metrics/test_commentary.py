"""The lines that open a metric's commentary, written from its breakdowns as the boards write
them: providers against their own plans, age bands and attributions year on year."""

from decimal import Decimal as D

import pytest

from bettercare.periods import Month
from metrics import rag
from metrics.commentary import Part, breakdown_lines, change_words
from metrics.models import Metric, MetricSettings
from metrics.selectors import breakdown_commentary

from .factories import MetricValueFactory

AUGUST = Month(2018, 8)
LOWER = rag.Direction.LOWER
FIGURES = {"unit": "percent", "wording": rag.Wording.FIGURES, "period": AUGUST}


def provider(name, actual, plan):
    return Part(
        "provider",
        name,
        rag.compare_with_plan(actual, plan, direction=LOWER, **FIGURES),
        rag.compare_with_last_year(actual, None, direction=LOWER),
        "\u2013" if actual is None else f"{actual}%",
    )


def band(kind, name, actual, last_year):
    return Part(
        kind,
        name,
        rag.compare_with_plan(actual, None, direction=LOWER),
        rag.compare_with_last_year(actual, last_year, direction=LOWER),
        str(actual),
    )


def test_providers_against_their_own_plans_by_name():
    parts = [
        provider("Southern Health", D("5.1"), D("4.4")),
        provider("UHS", D("4.6"), D("3.9")),
        provider("Solent", D("3.8"), D("2.9")),
    ]
    assert breakdown_lines(parts) == [
        "Solent: 3.8% vs. 2.9% target; Southern Health: 5.1% vs. 4.4% target; "
        "UHS: 4.6% vs. 3.9% target"
    ]


def test_a_provider_without_a_plan_or_a_figure_says_so():
    parts = [
        provider("UHS", D("4.6"), D("3.9")),
        provider("Solent", D("3.8"), None),
        provider("Southern Health", None, D("4.4")),
    ]
    assert breakdown_lines(parts) == [
        "Solent: 3.8%, no target of its own; Southern Health: data not available; "
        "UHS: 4.6% vs. 3.9% target"
    ]


def test_age_bands_and_attributions_year_on_year_in_the_boards_order_and_words():
    parts = [
        band("attribution", "Joint", D(100), D(100)),
        band("age_band", "65+", D(103), D(100)),
        band("age_band", "0-17", D(98), D(100)),
        band("attribution", "ASC", D(88), D(100)),
        band("age_band", "18-64", D(96), D(100)),
        band("attribution", "NHS", D("99.6"), D(100)),
    ]
    assert breakdown_lines(parts) == [
        "Children & Young People: 2% decrease year on year; Working Age Adults: 4% decrease "
        "year on year; Older People: 3% increase year on year",
        "NHS: less than 1% decrease year on year; Adult Social Care: 12% decrease year on "
        "year; Joint: no change year on year",
    ]


def test_the_analyst_leaves_a_kind_out():
    parts = [band("age_band", "65+", D(103), D(100)), band("attribution", "NHS", D(9), D(10))]
    assert breakdown_lines(parts, leave_out=["age_band"]) == ["NHS: 10% decrease year on year"]


def test_providers_without_any_plan_are_compared_year_on_year():
    parts = [band("provider", "UHS", D(620), D(700)), band("provider", "Solent", D(160), D(150))]
    assert breakdown_lines(parts) == [
        "Solent: 7% increase year on year; UHS: 11% decrease year on year"
    ]


@pytest.mark.parametrize(
    ("pct", "words"),
    [
        (D("2.4"), "2% increase year on year"),
        (D("-2.5"), "3% decrease year on year"),
        (D("0.3"), "less than 1% increase year on year"),
        (D(0), "no change year on year"),
        (None, "no figure to compare with last year"),  # as change_words alone words it
    ],
)
def test_change_words(pct, words):
    assert change_words(pct) == words


@pytest.mark.django_db
def test_the_selector_writes_each_metrics_lines_from_what_is_held(area, analyst):
    metrics = {metric.code: metric for metric in Metric.objects.all()}
    rate, admissions = metrics["dtoc_rate"], metrics["nel_admissions"]
    for name, actual, plan in (("UHS", "4.6", "3.9"), ("Solent", "3.8", "2.9")):
        breakdown = f"provider:{name}"
        MetricValueFactory(area=area, metric=rate, breakdown=breakdown, value=D(actual))
        MetricValueFactory(
            area=area, metric=rate, breakdown=breakdown, series="plan", value=D(plan)
        )
    MetricValueFactory(area=area, metric=rate, value=D("4.3"))
    for month in AUGUST.year_to_date():
        for value, when in ((98, month), (100, month.same_period_last_year())):
            MetricValueFactory(
                area=area, metric=admissions, end_month=when, breakdown="age_band:0-17",
                value=value,
            )  # fmt: skip
    found = breakdown_commentary(area=area, month=AUGUST, metrics=list(metrics.values()))
    assert found == {
        rate.pk: ["Solent: 3.8% vs. 2.9% target; UHS: 4.6% vs. 3.9% target"],
        admissions.pk: ["Children & Young People: 2% decrease year on year"],
    }
    MetricSettings.objects.create(
        area=area, metric=admissions, commentary_leaves_out=["age_band"], updated_by=analyst
    )
    found = breakdown_commentary(area=area, month=AUGUST, metrics=list(metrics.values()))
    assert found[admissions.pk] == []
