"""Statistical process control: the NHS "Making Data Count" XmR chart.

Pure arithmetic with no Django import. For each baseline (the whole series, or each stretch
after a recalculation point an analyst recorded with a reason):

    centre line   mean of the points
    moving range  |x(i) - x(i-1)| between neighbours in the baseline
    limits        mean +/- 2.66 x mean moving range        (3 sigma)
    2 sigma       mean +/- 2/3 x 2.66 x mean moving range

A point shows special cause variation when any of these rules fires (each point keeps the rules
that fired for it):

    outside_limits   the point is beyond a process limit (a point exactly on a limit is not)
    shift            it is one of 7 or more points in a row on the same side of the mean; a
                     point exactly on the mean belongs to neither side and breaks the run
    trend            it is one of 7 or more points in a row each higher (or each lower) than
                     the one before; two equal neighbours break the run
    two_of_three     it is beyond 2 sigma, and 2 of 3 consecutive points (it among them) are
                     beyond 2 sigma on the same side

Runs never cross a recalculation point. Arithmetic is exact (whole numbers and fractions, never
floats), so a point on the mean or on a limit is recognised as such.

The variation icon describes the latest point (common cause, or special cause of improvement or
concern, high or low, by the metric's direction); the assurance icon says whether the target,
against the latest limits, will be consistently passed, consistently failed, or hit and miss.
Fewer than 12 points in a baseline gives a warning: its limits are not yet reliable.
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
RUN_LENGTH = 7
MINIMUM_POINTS = 12


class Rule(StrEnum):
    OUTSIDE_LIMITS = "outside_limits"
    TWO_OF_THREE = "two_of_three"
    SHIFT = "shift"
    TREND = "trend"

    @property
    def label(self) -> str:
        return RULE_LABELS[self]


RULE_LABELS = {
    Rule.OUTSIDE_LIMITS: "A point outside the process limits",
    Rule.TWO_OF_THREE: "2 of 3 points beyond 2 sigma on the same side",
    Rule.SHIFT: "7 points in a row on one side of the mean",
    Rule.TREND: "7 points in a row rising or falling",
}
# When rules point different ways for one point, the first in this order decides its side.
RULE_PRIORITY = (Rule.OUTSIDE_LIMITS, Rule.TWO_OF_THREE, Rule.SHIFT, Rule.TREND)


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
    # The figures and their moving ranges added up, in whole units of the smallest decimal
    # place: the rules compare in whole numbers.
    scaled_total: int = field(default=0, repr=False)
    scaled_range_total: int = field(default=0, repr=False)

    @property
    def size(self) -> int:
        return self.end - self.start

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

    @property
    def too_few_points(self) -> bool:
        """True when a baseline has fewer than 12 points (see `warnings`)."""
        return any(baseline.size < MINIMUM_POINTS for baseline in self.baselines)

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
) -> SpcResult:
    """The XmR chart of `points` ((x, value) in time order, no gaps to fill)."""
    xs = [x for x, _ in points]
    decimals = [Decimal(value) for _, value in points]
    # Exact and fast: every figure as a whole number of its smallest decimal place.
    places = max([0, *(-number.as_tuple().exponent for number in decimals)])
    scaled = [int(number.scaleb(places)) for number in decimals]
    baselines = _baselines(xs, scaled, 10**places, recalculations)

    fired: list[dict[Rule, Side]] = [{} for _ in scaled]
    baseline_of_point: list[int] = []
    for number, baseline in enumerate(baselines):
        _apply_rules(scaled, baseline, fired)
        baseline_of_point.extend([number] * baseline.size)

    result_points = []
    for index, (x, value) in enumerate(zip(xs, decimals, strict=True)):
        rules = tuple(rule for rule in RULE_PRIORITY if rule in fired[index])
        side = fired[index][rules[0]] if rules else None
        result_points.append(Point(x, value, baseline_of_point[index], rules, side))

    return SpcResult(
        points=tuple(result_points),
        baselines=tuple(baselines),
        direction=direction,
        target=target,
        warnings=tuple(_warnings(xs, baselines)),
    )


def _baselines(
    xs: list, scaled: list[int], unit: int, recalculations: Sequence[Recalculation]
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
        stretch = scaled[start:end]
        total = sum(stretch)
        range_total = sum(abs(b - a) for a, b in pairwise(stretch))
        size = end - start
        baselines.append(
            Baseline(
                start,
                end,
                Fraction(total, size * unit),
                Fraction(range_total, (size - 1) * unit) if size > 1 else None,
                starts[start],
                scaled_total=total,
                scaled_range_total=range_total,
            )
        )
    return baselines


def _apply_rules(scaled: list[int], baseline: Baseline, fired: list[dict[Rule, Side]]):
    """The four rules on one baseline, in whole numbers: with n points adding up to S and
    moving ranges adding up to R, multiplying through by 300 n (n - 1) turns the mean into
    300 (n - 1) S, 2.66 x the mean moving range into 798 R n and 2 sigma into 532 R n."""
    n = baseline.size
    stretch = scaled[baseline.start : baseline.end]

    def mark(j: int, rule: Rule, side: Side) -> None:
        fired[baseline.start + j].setdefault(rule, side)

    if n > 1:
        scale = 300 * n * (n - 1)
        mean = 300 * (n - 1) * baseline.scaled_total
        limit = 798 * baseline.scaled_range_total * n
        two_sigma = 532 * baseline.scaled_range_total * n
        points = [y * scale for y in stretch]
        for j, y in enumerate(points):
            if y > mean + limit:
                mark(j, Rule.OUTSIDE_LIMITS, Side.HIGH)
            elif y < mean - limit:
                mark(j, Rule.OUTSIDE_LIMITS, Side.LOW)
        high = [y > mean + two_sigma for y in points]
        low = [y < mean - two_sigma for y in points]
        for beyond, side in ((high, Side.HIGH), (low, Side.LOW)):
            for first in range(n - 2):
                if beyond[first] + beyond[first + 1] + beyond[first + 2] >= 2:
                    for j in range(first, first + 3):
                        if beyond[j]:
                            mark(j, Rule.TWO_OF_THREE, side)

    # Shift: runs on one side of the mean; a point on the mean has no side and ends a run.
    sides = [_sign(y * n - baseline.scaled_total) for y in stretch]
    for run_start, run_end, sign in _runs(sides):
        if sign and run_end - run_start >= RUN_LENGTH:
            for j in range(run_start, run_end):
                mark(j, Rule.SHIFT, Side.HIGH if sign > 0 else Side.LOW)

    # Trend: runs of rises (or falls) between neighbours; a run of 6 steps spans 7 points.
    steps = [_sign(b - a) for a, b in pairwise(stretch)]
    for run_start, run_end, sign in _runs(steps):
        if sign and run_end - run_start >= RUN_LENGTH - 1:
            for j in range(run_start, run_end + 1):
                mark(j, Rule.TREND, Side.HIGH if sign > 0 else Side.LOW)


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
        if baseline.size < MINIMUM_POINTS:
            first = xs[baseline.start]
            since = f"since {getattr(first, 'label', first)}" if baseline.start else "in the chart"
            warnings.append(
                f"Only {baseline.size} point{'s' if baseline.size != 1 else ''} {since}: "
                f"process limits need at least {MINIMUM_POINTS} to be reliable, so read "
                "signals with caution."
            )
    return warnings
