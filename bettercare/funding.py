"""The funding sources of the pooled fund: one vocabulary for finance and highlight reports.

Pure, no Django import. A scheme's budget from a partner is paid from one source (finance's
`Budget.funding_source`); a highlight report's Overall Financial Performance has one line per
partner and source, named as the report template names it: the partner's own contribution is
the partner ("CCG", "SCC"), a grant is the partner and the grant ("SCC iBCF", "SCC DFG").
Finance hands a report its figures as `SchemeFunding` (see `bettercare.contributions`), so the
schemes app never reads finance's records and finance never writes a report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .periods import Month


class FundingSource(StrEnum):
    """What a scheme's budget is paid from. The NHS minimum and additional contributions are one
    source here: the minimum is a floor on the NHS contribution, not money for given schemes."""

    NHS = "nhs"
    COUNCIL = "council"
    IBCF = "ibcf"
    DFG = "dfg"
    OTHER_GRANT = "other_grant"

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self]

    @property
    def short_name(self) -> str:
        """How a report line names the source after its partner: SCC iBCF, SCC DFG."""
        return SHORT_NAMES[self]

    @property
    def is_own_contribution(self) -> bool:
        return self in (FundingSource.NHS, FundingSource.COUNCIL)


SOURCE_LABELS = {
    FundingSource.NHS: "NHS contribution",
    FundingSource.COUNCIL: "Council contribution",
    FundingSource.IBCF: "Improved Better Care Fund (iBCF)",
    FundingSource.DFG: "Disabled Facilities Grant (capital)",
    FundingSource.OTHER_GRANT: "Other grants",
}
SHORT_NAMES = {
    FundingSource.NHS: "",
    FundingSource.COUNCIL: "",
    FundingSource.IBCF: "iBCF",
    FundingSource.DFG: "DFG",
    FundingSource.OTHER_GRANT: "other grants",
}
FUNDING_SOURCE_CHOICES = [(source.value, source.label) for source in FundingSource]
# The sources each kind of partner's money comes from: the NHS money from the NHS commissioner;
# the iBCF and the DFG are government grants paid to the council.
SOURCES_BY_PARTNER_KIND = {
    "nhs": (FundingSource.NHS, FundingSource.OTHER_GRANT),
    "council": (
        FundingSource.COUNCIL,
        FundingSource.IBCF,
        FundingSource.DFG,
        FundingSource.OTHER_GRANT,
    ),
}
# A partner's own contribution, by the kind of partner (bettercare.models.Partner.Kind): a new
# budget is paid from it until someone says otherwise (an import file has no column for it).
OWN_CONTRIBUTION = {"nhs": FundingSource.NHS, "council": FundingSource.COUNCIL}


def line_label(partner_code: str, source: FundingSource | str) -> str:
    """A highlight report's funding line for a partner's money from a source: "CCG", "SCC",
    "SCC iBCF", "SCC DFG", "CCG other grants"."""
    source = FundingSource(source) if source else None
    if source is None or source.is_own_contribution:
        return partner_code
    return f"{partner_code} {source.short_name}"


def line_choices(partners: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The funding lines a report can have for the area's partners ((code, kind) pairs), as
    form choices: ("CCG:nhs", "CCG"), ("SCC:ibcf", "SCC iBCF"), ..."""
    return [
        (f"{code}:{source}", line_label(code, source))
        for code, kind in partners
        for source in SOURCES_BY_PARTNER_KIND.get(kind, ())
    ]


def line_for_label(label: str, partners: Mapping[str, str]) -> tuple[str, FundingSource] | None:
    """The partner's code and the source a line label names ("SCC iBCF" -> ("SCC", ibcf)), among
    the area's partners (code -> kind); None for a label that names no partner's source."""
    for choice, choice_label in line_choices(partners.items()):
        if choice_label == label:
            code, _, source = choice.partition(":")
            return code, FundingSource(source)
    return None


@dataclass(frozen=True)
class FundingLine:
    """One partner's money for a scheme from one source: the year's budget, and the latest
    forecast of its spend (None while there is none)."""

    partner: str  # the partner's code
    source: FundingSource
    annual_value: Decimal
    projected_spend: Decimal | None

    @property
    def label(self) -> str:
        return line_label(self.partner, self.source)


@dataclass(frozen=True)
class SchemeFunding:
    """A scheme's funding lines as at `month`, the month finance's figures were made in."""

    month: Month
    lines: tuple[FundingLine, ...]
