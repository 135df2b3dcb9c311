"""The lines that open a metric's commentary in the board pack, written from its breakdowns, in
the boards' words:

    providers against their own plans   "UHS: 4.6% vs. 3.9% target; Solent: 3.8% vs. 2.9% target"
    age bands, year on year             "Children & Young People: 2% decrease year on year; ..."
    attributions, year on year          "NHS: 12% decrease year on year; Adult Social Care: ..."

Pure, no Django import. The comparisons come rated and worded by `metrics.rag` (the same rule
and words as the metric's own row), so a provider's "4.6% vs. 3.9% target" is written exactly
as the area's figure would be.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from bettercare.money import round_half_up

from .rag import NO_TARGET, Comparison

PROVIDER, AGE_BAND, ATTRIBUTION = "provider", "age_band", "attribution"
KINDS = (PROVIDER, AGE_BAND, ATTRIBUTION)  # the order the lines are written in
# How the boards name the parts the files code.
PART_LABELS = {
    AGE_BAND: {
        "0-17": "Children & Young People",
        "18-64": "Working Age Adults",
        "65+": "Older People",
    },
    ATTRIBUTION: {"NHS": "NHS", "ASC": "Adult Social Care", "Joint": "Joint"},
}


@dataclass(frozen=True)
class Part:
    """One part of a breakdown at the data month: its comparisons and its figure in words."""

    kind: str
    name: str  # as held, e.g. UHS, 65+, ASC
    vs_plan: Comparison
    vs_last_year: Comparison
    actual_display: str  # the compared figure, e.g. 4.6%

    @property
    def label(self) -> str:
        return PART_LABELS.get(self.kind, {}).get(self.name, self.name)


def part_order(kind: str, name: str) -> tuple:
    """Known parts in the boards' order (children, working age, older people; NHS, ASC,
    Joint), others after them by name."""
    known = list(PART_LABELS.get(kind, {}))
    return (known.index(name) if name in known else len(known), name)


def provider_words(part: Part) -> str:
    """'UHS: 4.6% vs. 3.9% target', 'UHS: 5% higher than target' (a count), or the figure
    alone when the provider has no plan of its own."""
    if part.vs_plan.text:
        return f"{part.label}: {part.vs_plan.text}"
    if part.actual_display in {"", "\u2013"}:
        return f"{part.label}: data not available"
    if part.vs_plan.label == NO_TARGET:
        return f"{part.label}: {part.actual_display}, no target of its own"
    return f"{part.label}: {part.actual_display} ({part.vs_plan.label.lower()})"


def change_words(pct: Decimal | None) -> str:
    """'2% decrease year on year', 'less than 1% increase year on year', rounded half up for
    display only."""
    if pct is None:
        return "no figure to compare with last year"
    if pct == 0:
        return "no change year on year"
    word = "increase" if pct > 0 else "decrease"
    shown = round_half_up(abs(pct))
    if shown == 0:
        return f"less than 1% {word} year on year"
    return f"{shown}% {word} year on year"


def year_on_year_words(part: Part) -> str:
    """'Older People: 3% increase year on year'; 'data not available' when this year's figure
    is missing (a provider that did not submit a month of the year to date)."""
    if part.vs_last_year.pct is None:
        if part.actual_display in {"", "\u2013"}:
            return f"{part.label}: data not available"
        return f"{part.label}: no figure for last year to compare with"
    return f"{part.label}: {change_words(part.vs_last_year.pct)}"


def breakdown_lines(parts: Sequence[Part], *, leave_out: Sequence[str] = ()) -> list[str]:
    """One line per kind of breakdown held (providers, then age bands, then attributions),
    leaving out the kinds the analyst chose to. Providers are set against their own plans;
    when none of them has a plan, they are compared year on year like the other kinds."""
    lines = []
    for kind in sorted({part.kind for part in parts}, key=_kind_order):
        if kind in leave_out:
            continue
        chosen = sorted(
            (part for part in parts if part.kind == kind),
            key=lambda part: part_order(kind, part.name),
        )
        against_plans = kind == PROVIDER and any(_has_plan(part) for part in chosen)
        words = provider_words if against_plans else year_on_year_words
        lines.append("; ".join(words(part) for part in chosen))
    return lines


def _kind_order(kind: str) -> tuple:
    return (KINDS.index(kind) if kind in KINDS else len(KINDS), kind)


def _has_plan(part: Part) -> bool:
    return part.vs_plan.label != NO_TARGET
