"""The boards' RAG rule, table-driven: boundaries, direction, missing data, display text."""

from decimal import Decimal as D

import pytest

from bettercare.periods import FinancialYear, Month, Quarter
from bettercare.ratings import Rag
from metrics import rag
from metrics.rag import Comparator, Direction, Frequency, YtdRule

LOWER, HIGHER = Direction.LOWER, Direction.HIGHER


@pytest.mark.parametrize(
    ("actual", "plan", "direction", "pct", "rating", "label"),
    [
        # exactly on plan: 0% worse is Green
        (D(100), D(100), LOWER, D(0), Rag.GREEN, "On Track"),
        # just over 0% worse is Amber
        (D("100.01"), D(100), LOWER, D("0.01"), Rag.AMBER, "Slightly Off Track"),
        (D("109.9"), D(100), LOWER, D("9.9"), Rag.AMBER, "Slightly Off Track"),
        (D("109.99"), D(100), LOWER, D("9.99"), Rag.AMBER, "Slightly Off Track"),
        # exactly 10% worse is Red
        (D(110), D(100), LOWER, D(10), Rag.RED, "Off Track"),
        (D(150), D(100), LOWER, D(50), Rag.RED, "Off Track"),
        # better than plan is Green however far
        (D(80), D(100), LOWER, D(-20), Rag.GREEN, "On Track"),
        # higher is better: the sign flips
        (D(90), D(100), HIGHER, D(-10), Rag.RED, "Off Track"),
        (D("90.1"), D(100), HIGHER, D("-9.9"), Rag.AMBER, "Slightly Off Track"),
        (D("99.99"), D(100), HIGHER, D("-0.01"), Rag.AMBER, "Slightly Off Track"),
        (D(100), D(100), HIGHER, D(0), Rag.GREEN, "On Track"),
        (D(120), D(100), HIGHER, D(20), Rag.GREEN, "On Track"),
        # reablement: 86.2% against a 90% target
        (
            D("86.2"),
            D(90),
            HIGHER,
            D("-4.222222222222222222222222222"),
            Rag.AMBER,
            "Slightly Off Track",
        ),
    ],
)
def test_rating_against_plan(actual, plan, direction, pct, rating, label):
    comparison = rag.compare_with_plan(actual, plan, direction=direction)
    assert comparison.pct == pct
    assert comparison.rag == rating
    assert comparison.label == label


@pytest.mark.parametrize(
    ("actual", "last_year", "direction", "rating", "label"),
    [
        (D(100), D(100), LOWER, Rag.GREEN, "Better"),
        (D("100.5"), D(100), LOWER, Rag.AMBER, "Slightly Worse"),
        (D(110), D(100), LOWER, Rag.RED, "Worse"),
        (D(90), D(100), LOWER, Rag.GREEN, "Better"),
        (D(90), D(100), HIGHER, Rag.RED, "Worse"),
        (D(105), D(100), HIGHER, Rag.GREEN, "Better"),
    ],
)
def test_rating_against_last_year(actual, last_year, direction, rating, label):
    comparison = rag.compare_with_last_year(actual, last_year, direction=direction)
    assert (comparison.rag, comparison.label) == (rating, label)


def test_no_plan_reads_no_target_set_and_has_no_colour():
    for actual in (D(100), None):
        comparison = rag.compare_with_plan(actual, None, direction=LOWER)
        assert (comparison.pct, comparison.rag, comparison.label) == (None, None, "No Target set")
        assert comparison.text == ""


def test_missing_figures_read_data_not_available_never_a_colour():
    assert rag.compare_with_plan(None, D(100), direction=LOWER).label == "Data not available"
    assert rag.compare_with_plan(None, D(100), direction=LOWER).rag is None
    no_last_year = rag.compare_with_last_year(D(100), None, direction=LOWER)
    assert (no_last_year.rag, no_last_year.label) == (None, "Data not available")
    assert rag.compare_with_last_year(None, D(5), direction=HIGHER).label == "Data not available"


def test_a_zero_comparator_cannot_be_rated():
    comparison = rag.compare_with_plan(D(3), D(0), direction=LOWER)
    assert comparison.pct is None and comparison.rag is None
    assert "zero" in comparison.label


def test_thresholds_are_configurable_per_metric():
    strict = rag.Thresholds(amber_above=D(2), red_from=D(5))
    assert rag.rating(D(2), LOWER, strict) == Rag.GREEN
    assert rag.rating(D("2.01"), LOWER, strict) == Rag.AMBER
    assert rag.rating(D(5), LOWER, strict) == Rag.RED
    with pytest.raises(ValueError):
        rag.Thresholds(amber_above=D(10), red_from=D(10))


def test_percentage_stays_unrounded_and_as_dict_carries_it():
    comparison = rag.compare_with_plan(D(12188), D(11962), direction=LOWER)
    assert comparison.pct == (D(12188) - D(11962)) / D(11962) * 100
    assert comparison.as_dict() == {
        "pct": float(comparison.pct),
        "rag": "amber",
        "label": "Slightly Off Track",
    }
    assert rag.compare_with_plan(None, D(1), direction=LOWER).as_dict() == {
        "pct": None,
        "rag": None,
        "label": "Data not available",
    }


@pytest.mark.parametrize(
    ("pct", "comparator", "text"),
    [
        (D("4.4"), Comparator.PLAN, "4% higher than target"),
        (D("3.5"), Comparator.PLAN, "4% higher than target"),  # half up
        (D("-3.2"), Comparator.LAST_YEAR, "3% lower than last year"),
        (D("-2.5"), Comparator.LAST_YEAR, "3% lower than last year"),
        (D("16.45"), "target", "16% higher than target"),
        (D("0.4"), Comparator.PLAN, "less than 1% higher than target"),
        (D("-0.49"), Comparator.LAST_YEAR, "less than 1% lower than last year"),
        (D(0), Comparator.PLAN, "the same as target"),
        (None, Comparator.PLAN, ""),
    ],
)
def test_difference_text_rounds_for_display_only(pct, comparator, text):
    assert rag.difference_text(pct, comparator) == text


@pytest.mark.parametrize(
    ("frequency", "rule", "month", "periods"),
    [
        (Frequency.MONTHLY, YtdRule.SUM, Month(2018, 8), [Month(2018, m) for m in (4, 5, 6, 7, 8)]),
        (Frequency.MONTHLY, YtdRule.SUM, Month(2018, 4), [Month(2018, 4)]),
        (
            Frequency.MONTHLY,
            YtdRule.SUM,
            Month(2019, 2),
            [*(Month(2018, m) for m in range(4, 13)), Month(2019, 1), Month(2019, 2)],
        ),
        (Frequency.MONTHLY, YtdRule.LATEST, Month(2018, 8), [Month(2018, 8)]),
        (
            Frequency.QUARTERLY,
            YtdRule.SUM,
            Month(2018, 9),
            [Quarter(FinancialYear(2018), 1), Quarter(FinancialYear(2018), 2)],
        ),
        (Frequency.QUARTERLY, YtdRule.LATEST, Month(2018, 9), [Quarter(FinancialYear(2018), 2)]),
        (Frequency.QUARTERLY, YtdRule.LATEST, Month(2018, 8), []),
        (Frequency.ANNUAL, YtdRule.LATEST, Month(2019, 3), [FinancialYear(2018)]),
        (Frequency.ANNUAL, YtdRule.LATEST, Month(2018, 8), []),
    ],
)
def test_compared_periods(frequency, rule, month, periods):
    assert rag.compared_periods(frequency, rule, month) == periods


def test_a_year_to_date_with_a_missing_month_is_not_summed():
    assert rag.total([D(1), D(2)]) == D(3)
    assert rag.total([D(1), None]) is None
    assert rag.total([]) is None
