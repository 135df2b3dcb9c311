"""Putting a pack together from its sections, for the screen, the PDF and the export.

A `PackAssembly` reads each section's context once; the page, the PDFs (full and public), the
figures stored with a Final version and the XLSX export are all made from that one reading, so
they show the same numbers.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from bettercare import spreadsheets
from bettercare.charts import figure_html
from bettercare.spreadsheets import Sheet, table_sheet

from .drawing import ChartDrawings, ChartRenderer, SvgJob, accessible_text, shared_renderer
from .models import Pack
from .paragraphs import number_paragraphs
from .pdf import (
    InProcessLayout,
    PdfResult,
    PdfWorker,
    load_weasyprint_in_background,
)
from .sections import PACK_SECTIONS, PackChart, PackSection
from .selectors import one_reading
from .services import BODY_TEXT_FIELDS

SCREEN, PRINT = "screen", "print"
FULL, PUBLIC = "full", "public"


@dataclass
class AssembledSection:
    section: PackSection
    context: dict[str, Any]
    exempt: bool
    charts: list[PackChart]

    @property
    def id(self) -> str:
        return self.section.id

    @property
    def appendix(self) -> int | None:
        return self.section.appendix

    @property
    def level(self) -> int:
        return self.section.level

    @property
    def heading(self) -> str:
        """How the contents and the section's heading name it: "RESOURCE IMPLICATIONS",
        "Appendix 1: Highlight reports of the schemes"."""
        if self.appendix:
            return f"Appendix {self.appendix}: {self.title}"
        return self.title

    @property
    def reference(self) -> str:
        """How other text refers to it: “Performance headlines”, "Appendix 1"."""
        if self.appendix:
            return f"Appendix {self.appendix}"
        return f"“{self.title}”"

    @property
    def title(self) -> str:
        return self.section.title

    @property
    def anchor(self) -> str:
        return f"section-{self.section.id}"

    @property
    def in_contents(self) -> bool:
        return self.section.in_contents


def svg_image(svg: str, *, width: int, height: int) -> SafeString:
    """A chart's SVG as an image of the page. As an <img> (a data: URI, which the PDF's fetcher
    allows) WeasyPrint draws it with its SVG renderer alone, faster than inline SVG,
    whose every element also goes through the page's style cascade; its text stays text.

    Its alternative text (the tagged PDF's /Alt) is the title and description the drawing
    itself carries (see `reports.drawing.accessible_text`), so what a reader hears is always
    what was drawn."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    title, description = accessible_text(svg)
    alt = f"{title}. {description}" if title and description else title or description
    return format_html(
        '<img class="pack-chart__svg" src="data:image/svg+xml;base64,{}" width="{}" height="{}" '
        'alt="{}">',
        data,
        width,
        height,
        alt,
    )


def version_label(*, number: int, final: bool, when=None) -> str:
    """How the cover and the running footer name the version."""
    when = timezone.localtime(when or timezone.now())
    if final:
        return f"Version {number}, Final, {date_format(when, 'j F Y')}"
    return f"Draft of version {number}, {date_format(when, 'j F Y')} at {date_format(when, 'H:i')}"


class PackAssembly:
    def __init__(
        self,
        pack: Pack,
        *,
        version_label: str,
        sections: Sequence[PackSection] = PACK_SECTIONS,
        final: bool = False,
    ):
        self.pack = pack
        self.version_label = version_label
        # A Final version's build: no DRAFT mark, the footer says Final. (The pack is still a
        # Draft while the build that makes it Final runs.)
        self.final = final
        self.generated = timezone.now()
        self.sections: list[AssembledSection] = []
        # One reading of the data for all the sections: two sections showing the same figures
        # show the same reading of them.
        with one_reading():
            for section in sections:
                context = section.get_context(pack)
                self.sections.append(
                    AssembledSection(
                        section=section,
                        context=context,
                        exempt=section.may_be_exempt and section.id in pack.exempt_sections,
                        charts=section.charts(context),
                    )
                )
        self._charts_drawn_for: str | None = None
        self.drawings: ChartDrawings | None = None

    def document_sections(self, *, public: bool) -> list[AssembledSection]:
        """The sections of one output: the public version leaves out the exempt ones."""
        return [item for item in self.sections if not (public and item.exempt)]

    def exempt_sections(self) -> list[AssembledSection]:
        return [item for item in self.sections if item.exempt]

    @property
    def charts(self) -> list[PackChart]:
        return [chart for item in self.sections for chart in item.charts]

    def draw_charts(self, medium: str, *, renderer: ChartRenderer | None = None) -> None:
        """Give every chart its markup for the medium: plotly's HTML on screen; in print, its
        vector SVG drawing (see `start_print_drawings`)."""
        if self._charts_drawn_for == medium or not self.charts:
            return
        if medium == SCREEN:
            for chart in self.charts:
                # plotly's own output; no toolbar: the pack is a document to read.
                chart.markup = mark_safe(figure_html(chart.figure, toolbar=False))  # noqa: S308
        else:
            drawings = self.drawings or self.start_print_drawings(renderer=renderer)
            svgs = drawings.wait()
            drawings.keep()
            for chart, svg in zip(self.charts, svgs, strict=True):
                chart.markup = svg_image(svg, width=chart.width, height=chart.height)
        self._charts_drawn_for = medium

    def start_print_drawings(self, *, renderer: ChartRenderer | None = None) -> ChartDrawings:
        """Start drawing the charts for print (see `reports.drawing`: drawings kept from earlier
        builds are reused, the others drawn by `renderer`, by default the process's own); a
        build can say how many are to draw before waiting for them in `draw_charts`.

        The pages are not laid out while the charts are drawn: measured on the 2-core machine,
        WeasyPrint styling the pages while Chromium started only slowed Chromium, on which the
        layout then waited (the README's benchmarks give the times)."""
        self.drawings = ChartDrawings(self.print_jobs(), renderer=renderer or shared_renderer())
        return self.drawings

    def print_jobs(self) -> list[SvgJob]:
        """The drawings the pack's print charts need, in order (also what drawing ahead draws,
        so that both find the same drawings under the same checksums)."""
        return [
            SvgJob(
                chart.figure,
                chart.width,
                chart.height,
                title=chart.title,
                description=chart.description,
            )
            for chart in self.charts
        ]

    def render_sections(self, *, medium: str, public: bool) -> list[SafeString]:
        """Each section of the output as HTML, its paragraphs numbered through the report.
        Every section is numbered, those the public version leaves out included, so that a
        paragraph has the same number in both versions and on the page."""
        self.draw_charts(medium)
        document = self.document_sections(public=public)
        common = {
            "pack": self.pack,
            "medium": medium,
            "public": public,
            "draft": not self.final,
            "version_label": self.version_label,
            "generated": self.generated,
            "document_sections": document,
            "left_out": self.exempt_sections() if public else [],
        }
        rendered = [
            render_to_string(
                item.section.template_name,
                {
                    **item.context,
                    **common,
                    "section": item,
                    "charts": {chart.id: chart for chart in item.charts},
                },
            )
            if item in document or item.section.numbered
            else ""
            for item in self.sections
        ]
        numbered = list(number_paragraphs(rendered))
        return [
            mark_safe(html)  # noqa: S308 (our templates' output, numbered)
            for item, html in zip(self.sections, numbered, strict=True)
            if item in document
        ]

    def print_html(self, *, public: bool) -> str:
        """The whole document WeasyPrint lays out."""
        return render_to_string(
            "reports/pack_print.html",
            {
                "pack": self.pack,
                "public": public,
                "draft": not self.final,
                "version_label": self.version_label,
                "sections_html": self.render_sections(medium=PRINT, public=public),
            },
        )

    def workbook(self, *, public: bool) -> bytes:
        """The tables of the output's sections as one XLSX workbook, a sheet per table, after
        a sheet saying what the workbook is."""
        pack = self.pack
        about = Sheet(
            "About",
            ("About this workbook", ""),
            [
                ("Pack", f"{pack.get_board_display()}: {pack.title}"),
                ("Area", f"{pack.area.name} ({pack.area.code})"),
                ("Version", f"{self.version_label} ({'public' if public else 'full'} version)"),
                (
                    "Figures",
                    f"read {date_format(timezone.localtime(self.generated), 'j F Y, H:i')}",
                ),
            ],
        )
        sheets = [about]
        for item in self.document_sections(public=public):
            for table in item.section.tables(item.context):
                sheets.append(table_sheet(table, getattr(table, "export_title", item.title)))
        return spreadsheets.workbook(sheets)

    def figures(self) -> dict[str, Any]:
        """The text and the figures of the whole pack (exempt sections included): stored with
        each Final version as the record of what the board saw."""
        pack = self.pack
        return {
            "pack": {
                "area": {"code": pack.area.code, "name": pack.area.name},
                "board": pack.board,
                "board_name": pack.get_board_display(),
                "quarter": str(pack.quarter),
                "title": pack.title,
                "data_month": str(pack.data_month),
                "version": self.version_label,
                "generated": self.generated,
                "meeting_date": pack.meeting_date,
                "report_of": pack.report_of,
                "contact": {
                    "name": pack.contact_name,
                    "title": pack.contact_title,
                    "phone": pack.contact_phone,
                    "email": pack.contact_email,
                },
                "confidentiality": pack.confidentiality,
                "agenda_item": pack.agenda_item,
                "director": {
                    "name": pack.director_name,
                    "title": pack.director_title,
                    "phone": pack.director_phone,
                    "email": pack.director_email,
                },
                **{name: getattr(pack, name) for name in BODY_TEXT_FIELDS},
                "recommendations": pack.recommendation_lines,
                "exempt_sections": [item.id for item in self.exempt_sections()],
            },
            "sections": {
                item.id: figures
                for item in self.sections
                if (figures := item.section.figures(item.context)) is not None
            },
        }

    def figures_json(self) -> bytes:
        """The figures as UTF-8 JSON, keys sorted, so the same figures give the same bytes."""
        text = json.dumps(
            self.figures(), cls=DjangoJSONEncoder, sort_keys=True, indent=2, ensure_ascii=False
        )
        return (text + "\n").encode("utf-8")


@dataclass(frozen=True)
class PackPdfs:
    """The outcome of a build: one PDF per output asked for, and the figures they show."""

    pdfs: dict[str, PdfResult]
    figures_json: bytes


class Step(str):
    """A progress message of a build, with `pages`: the pages of the document being laid out
    so far, when the step says (else None); `page_level` for the many steps about one page
    each, which a command line may leave out."""

    pages: int | None
    page_level: bool

    def __new__(cls, message: str, pages: int | None = None, *, page_level: bool = False):
        step = super().__new__(cls, message)
        step.pages, step.page_level = pages, page_level
        return step


def pack_pdfs_build(
    pack: Pack,
    *,
    version_label: str,
    outputs: Sequence[str] = (FULL,),
    isolate: bool = True,
    sections: Sequence[PackSection] = PACK_SECTIONS,
    renderer: ChartRenderer | None = None,
    final: bool = False,
) -> Generator[Step, None, PackPdfs]:
    """Build the pack's PDFs (`outputs`: "full" and/or "public") from one reading of the data.

    Yields progress (`Step`s) for the person waiting; returns the PDFs
    (`pdfs = yield from pack_pdfs_build(...)`). `isolate` lays the PDFs out in a process of
    their own (a build in a thread of a web process: one process for all the outputs), started
    first so that its start-up overlaps the reading and the drawing; otherwise they are laid
    out in this process (an RQ job's process, which ends after the build; the command line).
    Charts are drawn by `renderer`, by default the process's own (kept for the next build).
    `final`: the build that makes the pack Final (no DRAFT mark; the footer says Final)."""
    layout = PdfWorker() if isolate else InProcessLayout()
    if not isolate:
        load_weasyprint_in_background()
    try:
        yield Step("Reading the pack's text and figures")
        assembly = PackAssembly(pack, version_label=version_label, sections=sections, final=final)
        if assembly.charts:
            drawn = assembly.start_print_drawings(renderer=renderer).drawn
            if drawn:
                yield Step(f"Drawing {drawn} chart{'s' if drawn != 1 else ''}")
            else:
                count = len(assembly.charts)
                yield Step(f"{count} chart{'s' if count != 1 else ''} drawn for an earlier build")
            assembly.draw_charts(PRINT)
        documents = [(output, assembly.print_html(public=output == PUBLIC)) for output in outputs]
        names = {FULL: "full version", PUBLIC: "public version"}
        steps = layout.render(documents)
        while True:
            try:
                output, message, page = next(steps)
            except StopIteration as finished:
                results = finished.value
                break
            name = names[output]
            if message:
                yield Step(
                    f"{name.capitalize()}: {message[:1].lower()}{message[1:]}",
                    page,
                    page_level="page " in message,
                )
            else:
                yield Step(f"Laying out the {name}", 0)
    finally:
        # Also when the build fails, or the person waiting goes away (the generator is closed).
        layout.close()
    return PackPdfs(pdfs=results, figures_json=assembly.figures_json())


def run_to_end(steps: Generator[str, None, Any], report=lambda message: None) -> Any:
    """Drive a progress generator to its end, passing each message to `report`; return its
    result. For callers that show progress as lines (the command) or not at all (tests)."""
    while True:
        try:
            report(next(steps))
        except StopIteration as finished:
            return finished.value
