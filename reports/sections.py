"""The sections of a board pack, in the order the pack prints them.

Each section is one class and one template, in the manner of django-oscar's report generators:
the class says what the section is (`id`, `title`, whether it may be exempt from publication)
and gathers what it shows from the pack (`get_context`); the template lays it out, on screen and
in print alike. A section may also give charts (drawn as plotly on screen and as vector SVG in
the PDF), the figures it used (stored, as JSON, with every Final version) and tables (exported
to XLSX). Adding a section is a subclass here, its template under
`reports/templates/reports/sections/`, and one line in `PACK_SECTIONS`.

Every template receives, besides its own context: `pack`, `section` (the `AssembledSection`:
`.number`, `.anchor`, `.title`, `.exempt`), `document_sections` (the sections of this output, for
the contents), `medium` ("screen" or "print"), `public` (True for the public version),
`version_label` and `charts` (this section's charts by id, each with `.markup` ready to place).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import django_tables2 as tables
import plotly.graph_objects as go

from .models import RAG_MEANINGS, Pack, Rag
from .selectors import pack_highlights, portfolio_rows, priorities_for, schemes_for_quarter
from .tables import HighlightTable, PortfolioTable, SchemeListTable, rag_text


@dataclass
class PackChart:
    """A chart of a section. The assembler fills `markup`: plotly's HTML on screen, inline
    vector SVG (kaleido, one browser for the whole pack) in the PDF."""

    id: str
    title: str
    figure: go.Figure
    description: str  # the text alternative, for people who cannot see the chart
    width: int = 680
    height: int = 320
    markup: str = field(default="", repr=False)


class PackSection:
    """One section of the pack. Subclasses set the class attributes and override what they need."""

    id: ClassVar[str] = ""  # the anchor, and the key of its figures; stable across versions
    title: ClassVar[str] = ""
    template_name: ClassVar[str] = ""
    # Whether the board secretary may mark the section exempt from publication.
    may_be_exempt: ClassVar[bool] = False
    # Cover and contents are not listed in the contents, nor numbered.
    in_contents: ClassVar[bool] = True

    def get_context(self, pack: Pack) -> dict[str, Any]:
        """What the template needs, read live from the data (the pack is a Draft, or this
        is the build that makes it Final)."""
        return {}

    def charts(self, context: dict[str, Any]) -> list[PackChart]:
        return []

    def figures(self, context: dict[str, Any]) -> Any:
        """The figures the section shows, JSON-ready (Decimal and dates are fine): stored with
        each Final version so that what the board saw can be checked later. None for a section
        that shows no data."""
        return None

    def tables(self, context: dict[str, Any]) -> list[tables.Table]:
        """Tables for the pack's XLSX export, one sheet each (a table's `export_title` names
        its sheet)."""
        return []

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id}>"


class CoverSection(PackSection):
    id = "cover"
    title = "Cover"
    template_name = "reports/sections/cover.html"
    in_contents = False


class ContentsSection(PackSection):
    id = "contents"
    title = "Contents"
    template_name = "reports/sections/contents.html"
    in_contents = False


class SummarySection(PackSection):
    id = "summary"
    title = "Brief summary and recommendations"
    template_name = "reports/sections/summary.html"


class OverviewSection(PackSection):
    id = "overview"
    title = "Overview of the programme"
    template_name = "reports/sections/overview.html"

    def get_context(self, pack: Pack) -> dict[str, Any]:
        schemes = schemes_for_quarter(area=pack.area, quarter=pack.quarter)
        for scheme in schemes:
            scheme.year_name = scheme.name_in(pack.quarter.year)
        return {
            "vision": pack.area.vision,
            "priorities": priorities_for(area=pack.area),
            "schemes": schemes,
            "scheme_table": SchemeListTable(schemes),
        }

    def figures(self, context):
        return {
            "vision": context["vision"],
            "priorities": [
                {"number": priority.number, "title": priority.title}
                for priority in context["priorities"]
            ],
            "schemes": [
                {"number": scheme.number, "name": scheme.year_name, "host": scheme.host_label}
                for scheme in context["schemes"]
            ],
        }

    def tables(self, context):
        table = context["scheme_table"]
        table.export_title = "Schemes"
        return [table]


class HighlightsSection(PackSection):
    id = "highlights"
    title = "Key highlights and the portfolio view"
    template_name = "reports/sections/highlights.html"
    may_be_exempt = True

    def get_context(self, pack: Pack) -> dict[str, Any]:
        rows = portfolio_rows(area=pack.area, quarter=pack.quarter)
        return {
            "highlights": pack_highlights(pack=pack),
            "portfolio_rows": rows,
            "portfolio_table": PortfolioTable(rows, quarter=pack.quarter),
            "previous_quarter": pack.quarter.previous(),
            "rag_legend": [(rag, RAG_MEANINGS[rag]) for rag in Rag],
        }

    def figures(self, context):
        return {
            "highlights": [
                {
                    "priority": item.priority.number,
                    "title": item.priority.title,
                    "text": item.text,
                }
                for item in context["highlights"]
            ],
            "portfolio": [
                {
                    "scheme": row.number,
                    "name": row.name,
                    "leads": row.leads,
                    "rag_previous": row.previous.rag if row.previous else None,
                    "rag_previous_label": rag_text(row.previous),
                    "rag_current": row.current.rag if row.current else None,
                    "rag_current_label": rag_text(row.current),
                    "narrative": row.current.narrative if row.current else "",
                    "updated": row.updated,
                }
                for row in context["portfolio_rows"]
            ],
        }

    def tables(self, context):
        portfolio = context["portfolio_table"]
        portfolio.export_title = "Portfolio"
        highlights = HighlightTable(context["highlights"])
        highlights.export_title = "Key highlights"
        return [highlights, portfolio]


class ImplicationsSection(PackSection):
    id = "implications"
    title = "Legal, risk management and policy framework implications"
    template_name = "reports/sections/implications.html"


# The pack, in order. Phase two adds performance and headlines after the overview, resource
# implications before the legal implications, and the appendices at the end.
PACK_SECTIONS: tuple[PackSection, ...] = (
    CoverSection(),
    ContentsSection(),
    SummarySection(),
    OverviewSection(),
    HighlightsSection(),
    ImplicationsSection(),
)


def exemptable_sections(sections=PACK_SECTIONS) -> list[PackSection]:
    return [section for section in sections if section.may_be_exempt]
