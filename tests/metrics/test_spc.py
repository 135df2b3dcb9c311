"""XmR charts by NHS "Making Data Count", with series worked by hand.

Each series is built so its mean and mean moving range are easy to check on paper; the expected
rules are the only ones that may fire."""

from decimal import Decimal as D
from fractions import Fraction

import pytest

from metrics.rag import Direction
from metrics.spc import Assurance, Recalculation, Rule, Side, Variation, xmr

LOWER, HIGHER = Direction.LOWER, Direction.HIGHER
ALTERNATING = [10, 12] * 6  # mean 11, every moving range 2


def chart(values, direction=LOWER, **kwargs):
    return xmr([(i, D(str(v))) for i, v in enumerate(values)], direction=direction, **kwargs)


def fired(result) -> dict[int, tuple[Rule, ...]]:
    return {i: p.rules for i, p in enumerate(result.points) if p.rules}


def test_limits_are_the_mean_plus_or_minus_2_66_mean_moving_ranges():
    result = chart(ALTERNATING)
    (baseline,) = result.baselines
    assert baseline.mean == 11
    assert baseline.mean_moving_range == 2
    assert baseline.upper == Fraction("16.32") and baseline.lower == Fraction("5.68")
    assert baseline.upper_two_sigma == 11 + Fraction("2.66") * 2 * 2 / 3
    assert fired(result) == {}
    assert result.variation == Variation.COMMON_CAUSE
    assert result.warnings == ()


def test_a_point_outside_the_limits():
    # mean 152/13; moving ranges 11 x 2 and 8: mean 2.5; upper limit 11.69 + 6.65 = 18.34
    result = chart([*ALTERNATING, 20])
    assert fired(result) == {12: (Rule.OUTSIDE_LIMITS,)}
    assert result.points[12].side == Side.HIGH
    assert result.variation == Variation.CONCERN_HIGH  # more is worse
    assert chart([*ALTERNATING, 20], HIGHER).variation == Variation.IMPROVEMENT_HIGH


def test_points_exactly_on_the_limits_are_not_outside():
    # mean exactly 11; moving ranges add up to 13 over 13 steps: limits exactly 13.66 and 8.34;
    # the seven 11s sit on the mean, so they are on neither side and make no run.
    values = ["11", "11.59", "11", "10.41", "11", "13.66", "8.34", *["11"] * 7]
    result = chart(values)
    (baseline,) = result.baselines
    assert baseline.mean == 11 and baseline.mean_moving_range == 1
    assert baseline.upper == Fraction("13.66") and baseline.lower == Fraction("8.34")
    assert fired(result) == {}


def test_seven_points_in_a_row_on_one_side_of_the_mean_is_a_shift():
    values = [14, 8, 14, 8, *[12] * 7, 4, 14, 8]  # mean exactly 11
    result = chart(values)
    assert fired(result) == dict.fromkeys(range(4, 11), (Rule.SHIFT,))
    assert {result.points[i].side for i in range(4, 11)} == {Side.HIGH}


def test_six_points_on_one_side_are_not_a_shift():
    assert fired(chart([14, 8, 14, 8, *[12] * 6, 8, 14, 8, 14])) == {}


def test_a_point_on_the_mean_breaks_a_run():
    values = [14, 8, 14, 8, 12, 12, 12, 11, 12, 12, 12, 5, 14, 8]  # mean exactly 11
    assert chart(values).baselines[0].mean == 11
    assert fired(chart(values)) == {}


def test_seven_points_each_rising_is_a_trend():
    values = [13, 12, 14, 12, 10, 11, 12, 13, 14, 15, 16, 13, 12, 14]
    result = chart(values)
    assert fired(result) == dict.fromkeys(range(4, 11), (Rule.TREND,))
    assert result.points[10].side == Side.HIGH
    assert result.points[4].side == Side.HIGH  # a rising trend points up even below the mean


def test_two_equal_neighbours_break_a_trend():
    assert fired(chart([13, 12, 14, 12, 10, 11, 12, 12, 14, 15, 16, 13, 12, 14])) == {}


def test_falling_trend_is_an_improvement_when_lower_is_better():
    values = [9, 10, 8, 10, 12, 11, 10, 9, 8, 7, 6, 9, 10, 8]
    result = chart(values)
    assert fired(result) == dict.fromkeys(range(4, 11), (Rule.TREND,))
    assert result.points[10].side == Side.LOW


def test_two_of_three_points_beyond_two_sigma_on_the_same_side():
    # mean 164/14 = 11.71; mean moving range 28/13 = 2.15; 2 sigma above at 15.53, limit 17.44
    values = [*[10, 12] * 5, 16, 16, 12, 10]
    result = chart(values)
    assert fired(result) == {10: (Rule.TWO_OF_THREE,), 11: (Rule.TWO_OF_THREE,)}
    assert result.points[11].side == Side.HIGH


def test_one_point_beyond_two_sigma_alone_is_common_cause():
    assert fired(chart([*[10, 12] * 5, 16, 12, 10, 12])) == {}


def test_rules_fired_are_kept_per_point_in_priority_order():
    # mean 246/19 = 12.95, so from the last 12 on, 8 points in a row are above it; the last
    # is also beyond the upper limit (12.95 + 2.66 x 40/18 = 18.86)
    values = [*ALTERNATING, 14, 14, 14, 14, 14, 14, 30]
    result = chart(values)
    assert result.points[-1].rules == (Rule.OUTSIDE_LIMITS, Rule.SHIFT)
    assert result.points[12].rules == (Rule.SHIFT,)


def test_a_recalculation_starts_a_new_baseline_and_runs_do_not_cross_it():
    values = [*ALTERNATING, *[20, 22] * 6]
    without = chart(values)
    assert fired(without)  # one baseline: the step up is special cause
    result = chart(values, recalculations=[Recalculation(at=12, reason="New discharge model")])
    assert [(b.start, b.end, b.mean, b.reason) for b in result.baselines] == [
        (0, 12, 11, ""),
        (12, 24, 21, "New discharge model"),
    ]
    assert result.baselines[1].mean_moving_range == 2  # the step between baselines is not used
    assert fired(result) == {}
    assert result.warnings == ()


def test_a_recalculation_between_points_starts_at_the_next_point_and_short_baselines_warn():
    values = [*ALTERNATING, *[20, 22] * 3]
    result = chart(values, recalculations=[Recalculation(at=11.5, reason="Recount")])
    assert result.baselines[1].start == 12
    assert result.too_few_points
    assert result.warnings == (
        "Only 6 points since 12: process limits need at least 12 to be reliable, so read "
        "signals with caution.",
    )


def test_fewer_than_twelve_points_gives_a_warning():
    result = chart([10, 12, 10, 12, 11])
    assert len(result.warnings) == 1 and result.warnings[0].startswith("Only 5 points")
    assert chart([10, 12] * 6).warnings == ()


def test_one_point_has_no_limits_and_no_points_have_no_icons():
    single = chart([5])
    assert single.baselines[0].upper is None
    assert single.variation == Variation.COMMON_CAUSE
    assert single.assurance is None
    empty = chart([])
    assert empty.variation is None and empty.assurance is None
    assert empty.warnings == ("There are no figures to chart.",)


@pytest.mark.parametrize(
    ("direction", "target", "assurance"),
    [
        (LOWER, D(20), Assurance.PASS),  # the upper limit (16.32) is under the target
        (LOWER, D(4), Assurance.FAIL),
        (LOWER, D(11), Assurance.HIT_AND_MISS),
        (LOWER, D("16.32"), Assurance.HIT_AND_MISS),  # on the limit: not consistently either
        (HIGHER, D(20), Assurance.FAIL),
        (HIGHER, D(4), Assurance.PASS),
        (HIGHER, D("5.68"), Assurance.HIT_AND_MISS),
        (LOWER, None, None),
    ],
)
def test_assurance_compares_the_target_with_the_latest_limits(direction, target, assurance):
    assert chart(ALTERNATING, direction, target=target).assurance == assurance


def test_labels_are_words_for_people():
    assert Variation.IMPROVEMENT_LOW.label == "Special cause variation: improvement (lower)"
    assert Variation.CONCERN_HIGH.kind == "concern"
    assert Variation.COMMON_CAUSE.kind == "common_cause"
    assert Assurance.PASS.label == "Consistently passes the target"
    assert Rule.SHIFT.label == "7 points in a row on one side of the mean"
