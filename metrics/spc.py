"""Statistical process control: the NHS "Making Data Count" XmR chart.

Pure arithmetic with no Django import. For each baseline (the whole series, or each stretch
after a recalculation point an analyst recorded with a reason):

    centre line   mean of the points the limits are worked out from
    moving range  |x(i) - x(i-1)| between neighbours among those points
    limits        mean +/- 2.66 x mean moving range        (3 sigma)
    2 sigma       mean +/- 2/3 x 2.66 x mean moving range

By default the limits are worked out from every point of the baseline, so they move as months
are added. Two options follow the reference's (NHSRplotthedots' `fix_after_n_points` and
`screen_outliers`); see `Options`:

    baseline_points        the limits come from the first N points (12 to 20) of each baseline
                           and hold for the rest of it; a baseline still shorter than N has
                           trial limits, revised with each new point until it reaches N
    screen_moving_ranges   moving ranges of 3.267 times their mean or more (a one-off jump) are
                           left out and the mean moving range worked out again

Limits change only where the analyst recorded a recalculation point (never automatically); with
`baseline_points`, each recorded point starts a new baseline fixed on its own first N points.

A point shows special cause variation when any of these rules fires (each point keeps every
rule that fired for it, in this order, and the first decides which way it points):

    outside_limits   the point is beyond a process limit (a point exactly on a limit is not)
    trend            it is one of 7 or more points in a row each higher (or each lower) than
                     the one before; two equal neighbours break the run. A point at a peak (or
                     trough) shared by a rising and a falling trend points the way of the later
                     trend, as the reference does.
    two_of_three     it is beyond 2 sigma, and 2 or more of 3 consecutive points (it among
                     them) are beyond 2 sigma on one side, all three of them on that side of
                     the mean (NHSRplotthedots since its issue #143; Making Data Count too)
    shift            it is one of 7 or more points in a row on the same side of the mean; a
                     point exactly on the mean belongs to neither side and breaks the run

The order is the reference's (its pull request #180): outside the limits, then trend, then two
in three, then the run on one side.

Where this module deliberately follows later Making Data Count guidance than the reference:
two in three counts points beyond 3 sigma as beyond 2 sigma, as NHS England's late-2023
guidance does ("two out of three points close to or beyond the limits"). NHSRplotthedots counts
only points between 2 and 3 sigma (its issue #153), so for three points beyond 2 sigma of which
two are beyond 3 sigma it leaves the third as common cause where this module flags it.
Moving-range screening is off unless an analyst turns it on (the reference screens by default;
the Making Data Count tools do not).

Runs never cross a recalculation point. Arithmetic is exact (whole numbers and fractions, never
floats), so a point on the mean or on a limit is recognised as such.

The variation icon describes the latest point (common cause, or special cause of improvement or
concern, high or low, by the metric's direction); the assurance icon says whether the target,
against the latest limits, will be consistently passed, consistently failed, or hit and miss.
Fewer than 12 points behind a baseline's limits gives a warning: they are not yet reliable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from itertools import pairwise
from typing import Any

from .rag import Direction

LIMIT_FACTOR = Fraction(266, 100)
TWO_SIGMA_FACTOR = LIMIT_FACTOR * 2 / 3
# A moving range this many times the mean moving range or more is screened out, when asked
# (the upper range limit of an mR chart, 3.267 = D4 for subgroups of two).
SCREEN_FACTOR = Fraction(3267, 1000)
RUN_LENGTH = 7
MINIMUM_POINTS = 12
BASELINE_POINTS_RANGE = range(12, 21)  # a fixed baseline of 12 to 20 points


class Rule(StrEnum):
    """The four rules, in the order that decides a point's direction when several fire."""

    OUTSIDE_LIMITS = "outside_limits"
    TREND = "trend"
    TWO_OF_THREE = "two_of_three"
    SHIFT = "shift"

    @property
    def label(self) -> str:
        return RULE_LABELS[self]


RULE_LABELS = {
    Rule.OUTSIDE_LIMITS: "A point outside the process limits",
    Rule.TREND: "7 points in a row rising or falling",
    Rule.TWO_OF_THREE: "2 of 3 points beyond 2 sigma on the same side",
    Rule.SHIFT: "7 points in a row on one side of the mean",
}
RULE_PRIORITY = tuple(Rule)


class Side(StrEnum):
    HIGH = "high"
    LOW = "low"


class Variation(StrEnum):
    COMMON_CAUSE = "common_cause"
    IMPROVEMENT_HIGH = "improvement_high"
    IMPROVEMENT_LOW = "improvement_low"
    CONCERN_HIGH = "concern_high"
    CONCERN_LOW = "concern_low"

    @property
    def label(self) -> str:
        return VARIATION_LABELS[self]

    @property
    def kind(self) -> str:
        """common_cause, improvement or concern."""
        return self.value.rsplit("_", 1)[0] if self != Variation.COMMON_CAUSE else self.value

    @property
    def side(self) -> Side | None:
        """Which way the special cause points (None for common cause)."""
        if self == Variation.COMMON_CAUSE:
            return None
        return Side(self.value.rsplit("_", 1)[1])


VARIATION_LABELS = {
    Variation.COMMON_CAUSE: "Common cause variation",
    Variation.IMPROVEMENT_HIGH: "Special cause variation: improvement (higher)",
    Variation.IMPROVEMENT_LOW: "Special cause variation: improvement (lower)",
    Variation.CONCERN_HIGH: "Special cause variation: concern (higher)",
    Variation.CONCERN_LOW: "Special cause variation: concern (lower)",
}


class Assurance(StrEnum):
    PASS = "pass"  # noqa: S105 (an assurance icon, not a password)
    FAIL = "fail"
    HIT_AND_MISS = "hit_and_miss"

    @property
    def label(self) -> str:
        return ASSURANCE_LABELS[self]


ASSURANCE_LABELS = {
    Assurance.PASS: "Consistently passes the target",
    Assurance.FAIL: "Consistently fails the target",
    Assurance.HIT_AND_MISS: "Hit and miss: the target is within the process limits",
}


@dataclass(frozen=True)
class Options:
    """How the limits are worked out; the defaults are the Making Data Count tools' own."""

    baseline_points: int | None = None
    screen_moving_ranges: bool = False

    def __post_init__(self) -> None:
        if self.baseline_points is not None and self.baseline_points not in BASELINE_POINTS_RANGE:
            raise ValueError(
                f"A fixed baseline has {BASELINE_POINTS_RANGE.start} to "
                f"{BASELINE_POINTS_RANGE.stop - 1} points, not {self.baseline_points}."
            )

    @property
    def description(self) -> str:
        """The options in words, for the chart's notes ('' for the defaults)."""
        parts = []
        if self.baseline_points:
            parts.append(
                f"limits fixed from the first {self.baseline_points} points of each baseline"
            )
        if self.screen_moving_ranges:
            parts.append("moving ranges of 3.267 times their mean or more left out of the limits")
        return "; ".join(parts)


DEFAULT_OPTIONS = Options()


@dataclass(frozen=True)
class Recalculation:
    """A new baseline starting at the first point on or after `at`, with the analyst's reason."""

    at: Any
    reason: str


@dataclass(frozen=True)
class Baseline:
    """One stretch of the chart with its own centre line and limits (None with one point)."""

    start: int  # index of its first point
    end: int  # index after its last point
    mean: Fraction
    mean_moving_range: Fraction | None
    reason: str = ""
    basis: int = 0  # how many of its points (from the first) the limits are worked out from
    screened: int = 0  # moving ranges left out by screening
    # The figures and moving ranges the limits use, added up in whole units of the smallest
    # decimal place (the rules compare in whole numbers), and how many moving ranges.
    scaled_total: int = field(default=0, repr=False)
    scaled_range_total: int = field(default=0, repr=False)
    ranges_used: int = field(default=0, repr=False)

    @property
    def size(self) -> int:
        return self.end - self.start

    @property
    def fixed(self) -> bool:
        """True when the limits come from the first points alone and hold for later ones."""
        return self.basis < self.size

    @property
    def upper(self) -> Fraction | None:
        if self.mean_moving_range is None:
            return None
        return self.mean + LIMIT_FACTOR * self.mean_moving_range

    @property
    def lower(self) -> Fraction | None:
        if self.mean_moving_range is None:
            return None
        return self.mean - LIMIT_FACTOR * self.mean_moving_range

    @property
    def upper_two_sigma(self) -> Fraction | None:
        if self.mean_moving_range is None:
            return None
        return self.mean + TWO_SIGMA_FACTOR * self.mean_moving_range

    @property
    def lower_two_sigma(self) -> Fraction | None:
        if self.mean_moving_range is None:
            return None
        return self.mean - TWO_SIGMA_FACTOR * self.mean_moving_range


@dataclass(frozen=True)
class Point:
    x: Any
    value: Decimal
    baseline: int  # index into SpcResult.baselines
    rules: tuple[Rule, ...] = ()
    side: Side | None = None  # which way the special cause points

    @property
    def special_cause(self) -> bool:
        return bool(self.rules)


@dataclass(frozen=True)
class SpcResult:
    points: tuple[Point, ...]
    baselines: tuple[Baseline, ...]
    direction: Direction
    target: Decimal | None
    warnings: tuple[str, ...] = field(default=())
    options: Options = DEFAULT_OPTIONS

    @property
    def too_few_points(self) -> bool:
        """True when a baseline's limits rest on fewer than 12 points (see `warnings`)."""
        return any(baseline.basis < MINIMUM_POINTS for baseline in self.baselines)

    @property
    def caution(self) -> str:
        """A short warning for tables ('' when the limits are reliable)."""
        return "Fewer than 12 points: read with caution" if self.too_few_points else ""

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def variation(self) -> Variation | None:
        """The variation icon: what the latest point shows."""
        point = self.latest
        if point is None:
            return None
        return point_variation(point, self.direction)

    @property
    def assurance(self) -> Assurance | None:
        """The assurance icon: the target against the latest baseline's limits."""
        if self.target is None or not self.baselines:
            return None
        baseline = self.baselines[-1]
        if baseline.upper is None:
            return None
        target = Fraction(self.target)
        higher_is_better = self.direction == Direction.HIGHER
        if target > baseline.upper:
            return Assurance.FAIL if higher_is_better else Assurance.PASS
        if target < baseline.lower:
            return Assurance.PASS if higher_is_better else Assurance.FAIL
        return Assurance.HIT_AND_MISS

    def baseline_of(self, point: Point) -> Baseline:
        return self.baselines[point.baseline]


def point_variation(point: Point, direction: Direction) -> Variation:
    if not point.special_cause:
        return Variation.COMMON_CAUSE
    improving = (point.side == Side.HIGH) == (direction == Direction.HIGHER)
    if point.side == Side.HIGH:
        return Variation.IMPROVEMENT_HIGH if improving else Variation.CONCERN_HIGH
    return Variation.IMPROVEMENT_LOW if improving else Variation.CONCERN_LOW


def xmr(
    points: Sequence[tuple[Any, Decimal | int]],
    *,
    direction: Direction,
    target: Decimal | None = None,
    recalculations: Sequence[Recalculation] = (),
    options: Options = DEFAULT_OPTIONS,
) -> SpcResult:
    """The XmR chart of `points` ((x, value) in time order, no gaps to fill)."""
    xs = [x for x, _ in points]
    decimals = [Decimal(value) for _, value in points]
    # Exact and fast: every figure as a whole number of its smallest decimal place.
    places = max([0, *(-number.as_tuple().exponent for number in decimals)])
    scaled = [int(number.scaleb(places)) for number in decimals]
    baselines = _baselines(xs, scaled, 10**places, recalculations, options)

    fired: list[dict[Rule, Side]] = [{} for _ in scaled]
    baseline_of_point: list[int] = []
    for number, baseline in enumerate(baselines):
        _apply_rules(scaled, baseline, fired)
        baseline_of_point.extend([number] * baseline.size)

    result_points = []
    for index, (x, value) in enumerate(zip(xs, decimals, strict=True)):
        rules, side = deciding(fired[index])
        result_points.append(Point(x, value, baseline_of_point[index], rules, side))

    return SpcResult(
        points=tuple(result_points),
        baselines=tuple(baselines),
        direction=direction,
        target=target,
        warnings=tuple(_warnings(xs, baselines)),
        options=options,
    )


def _baselines(
    xs: list,
    scaled: list[int],
    unit: int,
    recalculations: Sequence[Recalculation],
    options: Options,
) -> list[Baseline]:
    starts: dict[int, str] = {0: ""}
    for recalculation in sorted(recalculations, key=lambda r: r.at):
        index = next((i for i, x in enumerate(xs) if x >= recalculation.at), None)
        if index is not None and index > 0:
            starts[index] = recalculation.reason
    if not scaled:
        return []
    boundaries = sorted(starts)
    baselines = []
    for start, end in zip(boundaries, [*boundaries[1:], len(scaled)], strict=True):
        basis = min(end - start, options.baseline_points or end - start)
        stretch = scaled[start : start + basis]
        total = sum(stretch)
        ranges = [abs(b - a) for a, b in pairwise(stretch)]
        screened = 0
        if options.screen_moving_ranges and ranges and sum(ranges):
            # Keep a range r when r < 3.267 x mean, i.e. 1000 r len < 3267 sum (whole numbers).
            kept = [r for r in ranges if 1000 * r * len(ranges) < 3267 * sum(ranges)]
            screened = len(ranges) - len(kept)
            ranges = kept
        range_total = sum(ranges)
        baselines.append(
            Baseline(
                start,
                end,
                Fraction(total, basis * unit),
                Fraction(range_total, len(ranges) * unit) if ranges else None,
                starts[start],
                basis=basis,
                screened=screened,
                scaled_total=total,
                scaled_range_total=range_total,
                ranges_used=len(ranges),
            )
        )
    return baselines


def _apply_rules(scaled: list[int], baseline: Baseline, fired: list[dict[Rule, Side]]):
    """The four rules on one baseline, in whole numbers: with the limits worked out from b
    points adding up to S and m moving ranges adding up to R, multiplying through by
    300 b m turns the mean into 300 m S, 2.66 x the mean moving range into 798 b R and
    2 sigma into 532 b R."""
    b, m = baseline.basis, baseline.ranges_used
    stretch = scaled[baseline.start : baseline.end]
    sides = [_sign(y * b - baseline.scaled_total) for y in stretch]
    found: dict[Rule, list[int]] = {
        Rule.TREND: trend_directions(stretch),
        Rule.SHIFT: run_sides(sides),
    }
    if m:
        scale = 300 * b * m
        mean = 300 * m * baseline.scaled_total
        limit = 798 * b * baseline.scaled_range_total
        two_sigma = 532 * b * baseline.scaled_range_total
        points = [y * scale for y in stretch]
        found[Rule.OUTSIDE_LIMITS] = [
            1 if y > mean + limit else -1 if y < mean - limit else 0 for y in points
        ]
        found[Rule.TWO_OF_THREE] = two_of_three_sides(
            [abs(y - mean) > two_sigma for y in points], sides
        )
    for rule, signs in found.items():
        for j, sign in enumerate(signs):
            if sign:
                fired[baseline.start + j][rule] = Side.HIGH if sign > 0 else Side.LOW


def deciding(fired: dict[Rule, Side]) -> tuple[tuple[Rule, ...], Side | None]:
    """The rules that fired for a point, in precedence order, and the side the first of them
    gives it: outside the limits, then trend, then two in three, then the run."""
    rules = tuple(rule for rule in RULE_PRIORITY if rule in fired)
    return rules, (fired[rules[0]] if rules else None)


def run_sides(sides: Sequence[int]) -> list[int]:
    """For each point, +1 or -1 when it is one of 7 or more in a row on that side of the mean
    (`sides`: +1 above, -1 below, 0 on the mean, which belongs to neither and breaks a run);
    0 otherwise."""
    marks = [0] * len(sides)
    for run_start, run_end, sign in _runs(list(sides)):
        if sign and run_end - run_start >= RUN_LENGTH:
            marks[run_start:run_end] = [sign] * (run_end - run_start)
    return marks


def trend_directions(values: Sequence) -> list[int]:
    """For each point, +1 when it is one of 7 or more points in a row each higher than the one
    before, -1 for each lower, 0 otherwise; equal neighbours break a trend. A point shared by
    a rising and a falling trend (a peak or trough) takes the later trend's direction."""
    marks = [0] * len(values)
    steps = [_sign(later - earlier) for earlier, later in pairwise(values)]
    # In time order, so a later trend overwrites the point it shares with an earlier one.
    for run_start, run_end, sign in _runs(steps):
        if sign and run_end - run_start >= RUN_LENGTH - 1:  # 6 steps span 7 points
            marks[run_start : run_end + 1] = [sign] * (run_end - run_start + 1)
    return marks


def two_of_three_sides(beyond: Sequence[bool], sides: Sequence[int]) -> list[int]:
    """For each point beyond 2 sigma (`beyond`; beyond 3 sigma counts, as in Making Data Count's
    2023 guidance), +1 or -1 when 2 or more of 3 consecutive points including it are beyond
    2 sigma and all three lie on that side of the mean (`sides`, +1, -1 or 0 on it); else 0."""
    marks = [0] * len(beyond)
    for first in range(len(beyond) - 2):
        window = range(first, first + 3)
        sign = sides[first]
        if sign and all(sides[j] == sign for j in window) and sum(beyond[j] for j in window) >= 2:
            for j in window:
                if beyond[j]:
                    marks[j] = sign
    return marks


def _runs(signs: list[int]):
    """(start, end, sign) of each run of equal signs."""
    start = 0
    for i in range(1, len(signs) + 1):
        if i == len(signs) or signs[i] != signs[start]:
            if signs:
                yield start, i, signs[start]
            start = i


def _sign(value: int) -> int:
    return (value > 0) - (value < 0)


def _warnings(xs: list, baselines: list[Baseline]) -> list[str]:
    warnings = []
    if not xs:
        return ["There are no figures to chart."]
    for baseline in baselines:
        if baseline.basis < MINIMUM_POINTS:
            first = xs[baseline.start]
            since = f"since {getattr(first, 'label', first)}" if baseline.start else "in the chart"
            warnings.append(
                f"Only {baseline.basis} point{'s' if baseline.basis != 1 else ''} {since}: "
                f"process limits need at least {MINIMUM_POINTS} to be reliable, so read "
                "signals with caution."
            )
    return warnings
