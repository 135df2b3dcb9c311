"""The SPC rules against NHSRplotthedots, the NHS-R Community's reference package for Making
Data Count, on its own test cases (tests/testthat/ of nhs-r-community/NHSRplotthedots).

The facts are ported, not the code: each case gives the reference's input and what it expects,
written for this module's functions. The reference's rule helpers take vectors of signs (+1 above
the mean, -1 below, 0 on it) and flags; `run_sides`, `trend_directions` and
`two_of_three_sides` take the same. Its figures-level cases (ptd_spc_standard, ptd_spc,
ptd_calculate_assurance_type, ptd_add_short_group_warnings) go through `xmr` itself.

One case shows where this project deliberately follows later Making Data Count guidance than
the reference (two in three counting points beyond 3 sigma): it says so.
"""

from decimal import Decimal as D
from fractions import Fraction

import pytest

from metrics.rag import Direction
from metrics.spc import (
    LIMIT_FACTOR,
    Assurance,
    Baseline,
    Options,
    Recalculation,
    Rule,
    Side,
    SpcResult,
    Variation,
    deciding,
    run_sides,
    trend_directions,
    two_of_three_sides,
    xmr,
)

LOWER, HIGHER = Direction.LOWER, Direction.HIGHER

# R's rnorm(20) after set.seed(123): the data of the reference's ptd_spc_standard and ptd_spc
# tests (its snapshots print these figures to 8 places).
RNORM_123 = [
    "-0.56047565", "-0.23017749", "1.55870831", "0.07050839", "0.12928774",
    "1.71506499", "0.46091621", "-1.26506123", "-0.68685285", "-0.44566197",
    "1.22408180", "0.35981383", "0.40077145", "0.11068272", "-0.55584113",
    "1.78691314", "0.49785048", "-1.96661716", "0.70135590", "-0.47279141",
]  # fmt: skip
SCREEN = Options(screen_moving_ranges=True)  # the reference screens moving ranges by default


def chart(values, direction=HIGHER, **kwargs):
    return xmr([(i, D(str(v))) for i, v in enumerate(values)], direction=direction, **kwargs)


def close(value, expected, places=5):
    """The reference's snapshots print 7 significant figures."""
    return abs(float(value) - expected) < 10**-places


# --- ptd_seven_point_one_side_mean with ptd_part_of_seven_trend ----------------------------


@pytest.mark.parametrize(
    ("sides", "expected"),
    [
        ([], []),
        ([1] * 6, [0] * 6),
        ([1] * 6 + [-1], [0] * 7),
        ([1] * 8 + [-1], [1] * 8 + [0]),
        ([-1] * 8 + [1], [-1] * 8 + [0]),
        # a point on the mean (0) belongs to neither side and breaks the run
        ([1] * 3 + [0] + [1] * 4, [0] * 8),
    ],
)
def test_seven_points_on_one_side_of_the_mean(sides, expected):
    assert run_sides(sides) == expected


# --- ptd_seven_point_trend with ptd_part_of_seven_trend ------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], []),
        (list(range(1, 7)), [0] * 6),  # 1:6, six points
        ([1, 2, 3, 3, 4, 5, 6], [0] * 7),  # c(1:3, 3:6): an equal pair breaks it
        (list(range(1, 8)), [1] * 7),  # 1:7
        ([2, *range(1, 8), 3], [0, *[1] * 7, 0]),  # c(2, 1:7, 3)
        (list(range(7, 0, -1)), [-1] * 7),  # 7:1
        ([2, *range(7, 0, -1), 3], [0, *[-1] * 7, 0]),  # c(2, 7:1, 3)
        # c(0:7, 6:1) (its issue #200): the peak is shared and goes to the later, falling trend
        ([*range(0, 8), *range(6, 0, -1)], [*[1] * 7, *[-1] * 7]),
        # and a trough shared by a falling then a rising trend goes to the rising one
        ([*range(7, 0, -1), *range(2, 9)], [*[-1] * 6, *[1] * 8]),
    ],
)
def test_seven_points_rising_or_falling(values, expected):
    assert trend_directions(values) == expected


# --- ptd_two_in_three with ptd_part_of_two_in_three ----------------------------------------


@pytest.mark.parametrize(
    ("beyond", "sides", "expected"),
    [
        ([], [], []),
        ([0, 0, 0], [0, 0, 0], [0, 0, 0]),
        ([1, 0, 1], [1, 1, 1], [1, 0, 1]),
        ([0, 1, 1], [1, 1, 1], [0, 1, 1]),
        ([1, 1, 0], [1, 1, 1], [1, 1, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [0, 0, 1, 0, 1, 0, 0]),
        ([0, 0, 1, 1, 0, 0, 0], [1] * 7, [0, 0, 1, 1, 0, 0, 0]),
        ([1, 0, 0, 1], [1] * 4, [0] * 4),  # never two in a window of three
        ([1, 0, 0, 1, 1], [1] * 5, [0, 0, 0, 1, 1]),
        ([1, 1, 0], [-1, -1, -1], [-1, -1, 0]),  # below the mean
        # its issue #143: the three must all be on the same side of the mean
        ([1, 0, 1], [1, -1, 1], [0, 0, 0]),
        ([0, 1, 1], [1, -1, 1], [0, 0, 0]),
        ([1, 1, 0], [1, -1, 1], [0, 0, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [1, -1] * 3 + [1], [0] * 7),
        ([0, 0, 1, 1, 0, 0, 0], [-1, 1] * 3 + [-1], [0] * 7),
        # a point on the mean is on neither side
        ([1, 0, 1], [1, 0, 1], [0, 0, 0]),
    ],
)
def test_two_of_three_beyond_two_sigma_on_the_same_side(beyond, sides, expected):
    assert two_of_three_sides([bool(b) for b in beyond], sides) == expected


# --- ptd_special_cause_type: which rule decides (its pull request #180) -----------------


OUT, TREND, TWO, SHIFT = Rule.OUTSIDE_LIMITS, Rule.TREND, Rule.TWO_OF_THREE, Rule.SHIFT
HIGH, LOW = Side.HIGH, Side.LOW


@pytest.mark.parametrize(
    ("fired", "rules", "side"),
    [
        ({TREND: HIGH, OUT: LOW}, (OUT, TREND), LOW),
        ({SHIFT: HIGH, TREND: LOW}, (TREND, SHIFT), LOW),
        ({SHIFT: HIGH, TWO: LOW}, (TWO, SHIFT), LOW),
        ({TWO: HIGH, TREND: LOW}, (TREND, TWO), LOW),
        ({SHIFT: HIGH, TWO: HIGH, TREND: LOW, OUT: HIGH}, (OUT, TREND, TWO, SHIFT), HIGH),
        ({SHIFT: HIGH}, (SHIFT,), HIGH),
        ({}, (), None),
    ],
)
def test_the_first_rule_in_the_reference_order_decides(fired, rules, side):
    assert deciding(fired) == (rules, side)


def test_a_falling_trend_above_the_mean_points_down():
    # Limits fixed on the first 12 points (mean 11, upper 2 sigma 14.55, upper limit 16.32),
    # then seven points falling while above the mean: trend and shift fire; the trend decides.
    values = [10, 12] * 6 + [14.4, 14.2, 14.0, 13.8, 13.6, 13.4, 13.2]
    result = chart(values, LOWER, options=Options(baseline_points=12))
    assert result.latest.rules == (Rule.TREND, Rule.SHIFT)
    assert result.latest.side == Side.LOW
    assert result.variation == Variation.IMPROVEMENT_LOW  # lower is better


def test_a_peak_shared_by_two_trends_points_the_way_of_the_later():
    values = [10, 12] * 6 + [10.1, 10.6, 11.1, 11.6, 12.1, 12.6, 13.1]
    values += [12.9, 12.7, 12.5, 12.3, 12.1, 11.9]
    result = chart(values, HIGHER, options=Options(baseline_points=12))
    peak = result.points[18]
    assert peak.value == D("13.1") and peak.rules == (Rule.TREND, Rule.SHIFT)
    assert peak.side == Side.LOW
    assert result.points[17].side == Side.HIGH  # the rising trend before it
    assert result.variation == Variation.CONCERN_LOW


# --- ptd_spc_standard: limits on the reference's figures ------------------------------------


def test_limits_of_the_reference_series():
    result = chart(RNORM_123, options=SCREEN)
    (baseline,) = result.baselines
    assert close(baseline.mean, 0.1416238)
    assert close(baseline.lower, -3.01138)
    assert close(baseline.upper, 3.294627)
    # relative_to_mean of its snapshot, the first fourteen shown
    sides = [1 if p.value > baseline.mean else -1 for p in result.points][:14]
    assert sides == [-1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1]
    assert [p.rules for p in result.points] == [()] * 20
    # screening changes nothing here: no moving range is 3.267 times the mean
    assert chart(RNORM_123).baselines[0].upper == baseline.upper
    assert baseline.screened == 0


def test_moving_range_screening_on_the_reference_series_with_an_outlier():
    values = list(RNORM_123)
    values[14] = "10"  # data$y[15] <- 10
    screened = chart(values, options=SCREEN).baselines[0]
    assert close(screened.mean, 0.6694159)
    assert close(screened.lower, -2.383666) and close(screened.upper, 3.722497)
    assert screened.screened == 2  # the jump up to 10 and back down
    unscreened = chart(values).baselines[0]
    assert close(unscreened.lower, -4.596625) and close(unscreened.upper, 5.935457)
    # the screened limits are narrower
    assert screened.upper - screened.lower < unscreened.upper - unscreened.lower


def test_a_baseline_fixed_on_the_first_twelve_points_changes_the_limits():
    free = chart(RNORM_123, options=SCREEN).baselines[0]
    fixed = chart(RNORM_123, options=Options(baseline_points=12, screen_moving_ranges=True))
    (baseline,) = fixed.baselines
    assert baseline.basis == 12 and baseline.fixed and baseline.size == 20
    assert baseline.lower != free.lower and baseline.upper != free.upper
    # worked from the first twelve alone: mean 0.19418, mean moving range 1.05035
    assert close(baseline.mean, 0.1941793) and close(baseline.upper, 2.995758)
    assert fixed.warnings == ()


def test_two_points_near_opposite_limits_are_common_cause():
    # its test "it only reports special cause for 2of3 points close to limits when they are on
    # the same side of the mean"
    values = [1, -1] * 8
    values[14], values[15] = 5.5, -5.5
    for options in (SCREEN, Options()):
        result = chart(values, options=options)
        assert [p.rules for p in result.points[-2:]] == [(), ()]
        assert result.variation == Variation.COMMON_CAUSE


def test_two_beyond_two_sigma_with_the_point_between_them_below_the_mean_are_common_cause():
    # Limits fixed on the first 12 points: mean 11, upper 2 sigma 14.55. 15 and 15 are beyond
    # it, but 9 between them is below the mean: no window of three lies all on one side.
    result = chart([10, 12] * 6 + [15, 9, 15], options=Options(baseline_points=12))
    assert [p.rules for p in result.points[-3:]] == [(), (), ()]
    # with the middle point above the mean (12) the rule fires for both
    result = chart([10, 12] * 6 + [15, 12, 15], options=Options(baseline_points=12))
    assert [p.rules for p in result.points[-3:]] == [(Rule.TWO_OF_THREE,), (), (Rule.TWO_OF_THREE,)]


# --- ptd_spc: groups (facets and rebases) ---------------------------------------------------


def test_each_baseline_has_its_own_limits():
    # its summary of the series split in two (facet, or rebase at the eleventh point)
    result = chart(RNORM_123, options=SCREEN, recalculations=[Recalculation(10, "Split")])
    first, second = result.baselines
    assert (first.start, first.end, second.start, second.end) == (0, 10, 10, 20)
    assert close(first.mean, 0.0746256, 4) and close(first.lower, -2.60, 2)
    assert close(first.upper, 2.75, 2)
    assert close(second.mean, 0.2086220, 4) and close(second.lower, -3.28, 2)
    assert close(second.upper, 3.70, 2)
    assert all(not p.rules for p in result.points)


def test_a_recalculation_before_the_first_point_changes_nothing():
    # its rebase on 2020-01-01, a day before the first figure
    result = chart(RNORM_123, options=SCREEN, recalculations=[Recalculation(-1, "Before")])
    assert len(result.baselines) == 1 and result.baselines[0].reason == ""


def test_summary_of_the_reference_series_with_a_target():
    result = chart(RNORM_123, options=SCREEN, target=D("0.5"))
    assert result.variation == Variation.COMMON_CAUSE
    assert result.assurance == Assurance.HIT_AND_MISS  # its "inconsistent"


# --- ptd_calculate_assurance_type ------------------------------------------------------------


def _limits(lower, mean, upper) -> SpcResult:
    """A result whose latest baseline has exactly these limits."""
    mean_moving_range = Fraction(upper - mean) / LIMIT_FACTOR
    assert mean - LIMIT_FACTOR * mean_moving_range == lower
    return Baseline(0, 12, Fraction(mean), mean_moving_range, basis=12)


@pytest.mark.parametrize(
    ("limits", "increase", "decrease"),
    [
        ((1, 2, 3), Assurance.FAIL, Assurance.PASS),
        ((5, 6, 7), Assurance.PASS, Assurance.FAIL),
        ((1, 3, 5), Assurance.HIT_AND_MISS, Assurance.HIT_AND_MISS),
    ],
)
def test_assurance_against_a_target_of_four(limits, increase, decrease):
    baseline = _limits(*limits)
    for direction, expected in ((HIGHER, increase), (LOWER, decrease)):
        result = SpcResult((), (baseline,), direction, D(4))
        assert result.assurance == expected


def test_assurance_uses_the_latest_baseline():
    # its "rebase" case: the last group's limits decide
    groups = [_limits(1, 2, 3), _limits(5, 6, 7), _limits(1, 3, 5)]
    for order, expected in (
        ((0, 1, 2), Assurance.HIT_AND_MISS),
        ((1, 2, 0), Assurance.PASS),
        ((2, 0, 1), Assurance.FAIL),
    ):
        baselines = tuple(groups[i] for i in order)
        assert SpcResult((), baselines, LOWER, D(4)).assurance == expected


def test_no_target_no_assurance():
    assert chart(RNORM_123).assurance is None


# --- ptd_add_short_group_warnings -----------------------------------------------------------


def test_a_baseline_of_eleven_points_warns_and_of_twelve_does_not():
    assert chart(RNORM_123[:11]).too_few_points
    assert not chart(RNORM_123[:12]).too_few_points


def test_only_the_short_baseline_warns():
    # its facet of 35, 5, 20 and 20 points: the group of 5 alone warns
    values = [*RNORM_123, *RNORM_123, *RNORM_123, *RNORM_123]
    result = chart(values, recalculations=[Recalculation(35, "a"), Recalculation(40, "b")])
    assert [b.size for b in result.baselines] == [35, 5, 40]
    assert len(result.warnings) == 1 and result.warnings[0].startswith("Only 5 points since 35")


def test_a_fixed_baseline_still_short_of_its_points_has_trial_limits():
    # fewer points than the fixed baseline asks for: every point is used, revised as they come
    result = chart(RNORM_123[:10], options=Options(baseline_points=15))
    assert result.baselines[0].basis == 10 and not result.baselines[0].fixed
    assert result.too_few_points


# --- ptd_spc_options: fix_after_n_points ----------------------------------------------------


@pytest.mark.parametrize("points", [0, 1, 11, 21, 100])
def test_a_fixed_baseline_has_twelve_to_twenty_points(points):
    with pytest.raises(ValueError, match="12 to 20 points"):
        Options(baseline_points=points)


def test_a_fixed_baseline_and_recalculation_points_together():
    # Each recorded recalculation starts a baseline fixed on its own first 12 points; the
    # reference (since it groups by rebase before fixing) does the same.
    values = [*[10, 12] * 8, *[20, 22] * 8]
    result = chart(
        values, options=Options(baseline_points=12), recalculations=[Recalculation(16, "New")]
    )
    assert [(b.start, b.basis, b.size, b.mean) for b in result.baselines] == [
        (0, 12, 16, 11),
        (16, 12, 16, 21),
    ]
    # the limits hold after the twelfth point: adding more does not move them
    longer = chart(
        [*values, 40],
        options=Options(baseline_points=12),
        recalculations=[Recalculation(16, "New")],
    )
    assert longer.baselines[1].upper == result.baselines[1].upper
    assert longer.latest.rules == (Rule.OUTSIDE_LIMITS,)


# --- Where this project follows later Making Data Count guidance than the reference ---------


def test_two_of_three_counts_points_beyond_three_sigma():
    # Limits fixed on the first 12 points: mean 11, 2 sigma 14.55, 3 sigma 16.32.
    # Beyond 3 sigma, beyond 3 sigma, then between 2 and 3 sigma: the reference (its issue
    # #153) counts only points between 2 and 3 sigma, so leaves the last as common cause;
    # Making Data Count's late-2023 guidance counts all three, and so does this module.
    result = chart([10, 12] * 6 + [17, 17, 15], LOWER, options=Options(baseline_points=12))
    assert [p.rules for p in result.points[-3:]] == [
        (Rule.OUTSIDE_LIMITS, Rule.TWO_OF_THREE),
        (Rule.OUTSIDE_LIMITS, Rule.TWO_OF_THREE),
        (Rule.TWO_OF_THREE,),
    ]
    assert result.variation == Variation.CONCERN_HIGH


def test_beyond_three_then_two_between_agrees_with_the_reference():
    # its second example in issue #153: the two points between 2 and 3 sigma fire in both
    result = chart([10, 12] * 6 + [17, 15, 15], LOWER, options=Options(baseline_points=12))
    assert [Rule.TWO_OF_THREE in p.rules for p in result.points[-3:]] == [True, True, True]
    assert result.points[-1].rules == (Rule.TWO_OF_THREE,)
