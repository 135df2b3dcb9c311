"""The pack as PDF, read back as text: cover, contents with the right page numbers, running
header and footer, the sections, the outline, the public version, and charts as vector SVG."""

import base64
import re
import subprocess

import plotly.graph_objects as go
import pytest

from bettercare.charts import house_style
from reports.assembly import (
    FULL,
    PRINT,
    PUBLIC,
    SCREEN,
    PackAssembly,
    pack_pdfs_build,
    run_to_end,
    version_label,
)
from reports.pdf import InProcessLayout, PdfWorker, URLRefused, render_pdf, url_fetcher
from reports.sections import PACK_SECTIONS, PackChart, PackSection
from reports.services import RatingEntry, pack_text_save, portfolio_ratings_save
from tests.factories import SchemeFactory

from .pdf_reading import flat, pdf_outline, pdf_pages, tagged_pdf

pytestmark = pytest.mark.django_db


def contents_headings(pack, sections=PACK_SECTIONS) -> list[str]:
    """The headings the contents lists, in order: the council's template's, "BRIEF SUMMARY"
    ... "SUPPORTING DOCUMENTATION", with the parts of DETAIL, then "Appendix 1: ..."."""
    assembly = PackAssembly(pack, version_label="Test", sections=sections)
    return [item.heading for item in assembly.sections if item.in_contents]


# The council's report template, heading by heading, in its order.
TEMPLATE_HEADINGS = [
    "BRIEF SUMMARY",
    "RECOMMENDATIONS",
    "REASONS FOR REPORT RECOMMENDATIONS",
    "ALTERNATIVE OPTIONS CONSIDERED AND REJECTED",
    "DETAIL (Including consultation carried out)",
    "RESOURCE IMPLICATIONS",
    "LEGAL IMPLICATIONS",
    "CONFLICT OF INTEREST IMPLICATIONS",
    "RISK MANAGEMENT IMPLICATIONS",
    "POLICY FRAMEWORK IMPLICATIONS",
    "KEY DECISION?",
    "WARDS/COMMUNITIES AFFECTED",
    "SUPPORTING DOCUMENTATION",
    "Appendix 1: Highlight reports of the schemes",
    "Appendix 2: Finance by scheme and partner",
    "Appendix 3: Benchmarking against England and statistical neighbours",
]
DETAIL_PARTS = [
    "Overview of the programme",
    "Performance",
    "Performance headlines",
    "Key highlights and the portfolio view",
    "Consultation carried out",
]
SUB_HEADINGS = [
    "Capital/Revenue",
    "Property/Other",
    "Statutory power to undertake proposals in the report",
    "Other Legal Implications",
]


def build(pack, outputs=(FULL,), **kwargs):
    return run_to_end(
        pack_pdfs_build(
            pack,
            version_label=version_label(number=1, final=False),
            outputs=outputs,
            isolate=False,
            **kwargs,
        )
    )


def test_pdf_has_cover_contents_page_numbers_and_every_section(pack):
    result = build(pack).pdfs[FULL]
    pages = [flat(text) for text in pdf_pages(result.pdf)]
    total = len(pages)
    assert result.pages == total >= 5

    cover = pages[0]
    assert "Better Care performance report, Quarter Two 2018/19" in cover
    assert "DECISION-MAKER Joint Commissioning Board" in cover
    assert "SUBJECT Better Care performance report, Quarter Two 2018/19" in cover
    assert "DATE OF DECISION To be confirmed" in cover
    assert "REPORT OF Director of Quality and Integration" in cover
    assert "CONTACT DETAILS AUTHOR Director" in cover
    assert "STATEMENT OF CONFIDENTIALITY None." in cover
    assert "Draft of version 1" in cover
    assert "1 July 2018 to 30 September 2018" in cover

    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
        assert "DRAFT" in text  # a draft says so on every page
        running_header = "Joint Commissioning Board · Quarter Two 2018/19"
        assert (running_header in text) == (number > 1)  # not on the cover

    contents = pages[1]
    assert "Contents" in contents
    headings = contents_headings(pack)
    # The template's headings in its order, the parts of DETAIL under it.
    assert [heading for heading in headings if heading not in DETAIL_PARTS] == TEMPLATE_HEADINGS
    detail = headings.index("DETAIL (Including consultation carried out)")
    assert headings[detail + 1 : detail + 6] == DETAIL_PARTS
    for heading in headings:
        match = re.search(rf"{re.escape(heading)}[ .]*(\d+)", contents)
        assert match, f"{heading} is not in the contents"
        page_number = int(match.group(1))
        # The page the contents gives is the page where the section's heading is.
        assert heading in pages[page_number - 1]
        assert page_number > 2

    body = " ".join(pages[2:])  # after the contents
    assert "Quarter Two went well for the Carers scheme." in body
    assert "i. To note Quarter Two 2018/19 performance for Better Care." in body
    assert "Southampton City Council" in body  # scheme hosts in the overview
    assert "Priority 1: More rapid expansion of integration" in body
    assert "Clusters now cover working age adults." in body
    assert "Nothing to report against this priority this quarter." in body  # priority 2
    # The portfolio: each scheme with both quarters' ratings, written out, and its narrative.
    assert re.search(r"1\. Carers .*Amber Green New contract\.", body)
    assert re.search(r"2\. Clusters .*Not rated Red Admissions up\.", body)
    for heading in SUB_HEADINGS:
        assert heading in body
    # Paragraphs are numbered 1, 2, 3 ... straight through the body, from the reasons for the
    # recommendations to the wards affected, the same on the page as in the PDF.
    numbers = tagged_pdf(result.pdf).paragraph_numbers()
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 15
    start = body.index("REASONS FOR REPORT RECOMMENDATIONS")
    assert body.index("1. The Joint Commissioning Board receives") > start
    assert body.index(f"{numbers[-1]}. All.") > body.index("WARDS/COMMUNITIES AFFECTED")
    screen = "".join(
        PackAssembly(pack, version_label="Test").render_sections(medium=SCREEN, public=False)
    )
    on_screen = re.findall(r'<span class="pack-para__number">(\d+)\.</span>', screen)
    assert [int(number) for number in on_screen] == numbers


def test_pdf_outline_follows_the_templates_headings(pack):
    outline = pdf_outline(build(pack).pdfs[FULL].pdf)
    top_level = [title for level, title in outline if level == 1]
    headings = contents_headings(pack)
    assert top_level == ["Cover", "Contents", *[h for h in headings if h not in DETAIL_PARTS]]
    second = [title for level, title in outline if level == 2]
    for heading in [*DETAIL_PARTS, *SUB_HEADINGS]:
        assert heading in second


def test_public_version_leaves_out_exempt_sections_and_says_so(pack):
    pack = pack_text_save(pack=pack, text={}, exempt_sections=["highlights"])
    built = build(pack, outputs=(FULL, PUBLIC))
    full = flat(" ".join(pdf_pages(built.pdfs[FULL].pdf)))
    public = flat(" ".join(pdf_pages(built.pdfs[PUBLIC].pdf)))

    assert "Key highlights and the portfolio view Exempt from publication" in full
    assert "Admissions up." in full
    assert "Key highlights and the portfolio view" in public  # named on the cover only
    assert "Admissions up." not in public
    assert "Clusters now cover working age adults." not in public
    assert (
        "This public version leaves out “Key highlights and the portfolio view”: exempt from "
        "publication." in public
    )
    assert "Public version" in public
    # The paragraphs keep their numbers, so that both versions can be cited alike: the public
    # one skips those of what it leaves out.
    full_numbers = re.findall(r"(\d+)\. Each scheme's overall rating", full)
    assert full_numbers and f"{int(full_numbers[0]) - 1}." in full
    consultation = re.search(r"(\d+)\. Each scheme's lead wrote", full).group(1)
    assert f"{consultation}. Each scheme's lead wrote" in public
    assert built.pdfs[PUBLIC].pages <= built.pdfs[FULL].pages


class ChartSection(PackSection):
    """A section of the kind phase two adds: one class and one template, with a chart."""

    id = "trend"
    title = "Admissions trend"
    template_name = "reports/sections/test_trend.html"

    def get_context(self, pack):
        return {"months": ["Jul", "Aug", "Sep"], "actual": [812, 790, 845], "plan": [800] * 3}

    def charts(self, context):
        figure = go.Figure(
            [
                go.Scatter(x=context["months"], y=context["actual"], name="Actual admissions"),
                go.Scatter(x=context["months"], y=context["plan"], name="Planned admissions"),
            ]
        )
        return [
            PackChart(
                id="admissions",
                title="Non-elective admissions",
                figure=house_style(figure, y_title="Admissions"),
                description="Admissions were above plan in August's neighbours.",
                width=600,
                height=300,
            )
        ]

    def figures(self, context):
        return {"actual": context["actual"]}


@pytest.fixture
def chart_section_template(tmp_path, settings):
    folder = tmp_path / "reports" / "sections"
    folder.mkdir(parents=True)
    (folder / "test_trend.html").write_text(
        '<section class="pack-section" id="{{ section.anchor }}">'
        '{% include "reports/includes/section_heading.html" %}'
        '{% include "reports/includes/pack_chart.html" with chart=charts.admissions %}'
        "</section>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]


def test_a_new_section_with_a_real_chart_prints_as_vector_svg(pack, chart_section_template):
    sections = (*PACK_SECTIONS, ChartSection())
    assembly = PackAssembly(pack, version_label="Test", sections=sections)
    html = assembly.print_html(public=False)
    # The chart is kaleido's SVG, as an image of the page (a data: URI).
    images = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert len(images) == 1
    svg = base64.b64decode(images[0]).decode()
    assert svg.startswith("<svg") and "Actual admissions" in svg

    result = render_pdf(html)
    pages = [flat(text) for text in pdf_pages(result.pdf)]
    chart_page = next(text for text in pages[2:] if "Admissions trend" in text)
    # The chart's own words are text in the PDF: it was drawn as vectors, not as a picture.
    assert "Non-elective admissions" in chart_page
    assert "Actual admissions" in chart_page and "Planned admissions" in chart_page
    assert re.search(r"Admissions trend [ .]*\d+", pages[1])  # in the contents
    # Its alternative text is the drawing's own title and description.
    [figure] = tagged_pdf(result.pdf).in_order("Figure")
    assert figure.alt == (
        "Non-elective admissions. Admissions were above plan in August's neighbours."
    )
    assert assembly.figures()["sections"]["trend"] == {"actual": [812, 790, 845]}

    screen = "".join(assembly.render_sections(medium=SCREEN, public=False))
    assert "data-plotly-for=" in screen and "<svg" not in screen


def test_the_build_draws_charts_once_for_both_versions(pack, chart_section_template):
    sections = (*PACK_SECTIONS, ChartSection())
    messages = []
    built = run_to_end(
        pack_pdfs_build(
            pack, version_label="Test", outputs=(FULL, PUBLIC), isolate=False, sections=sections
        ),
        messages.append,
    )
    assert messages.count("Drawing 1 chart") == 1
    assert all(
        "Actual admissions" in flat(" ".join(pdf_pages(pdf.pdf))) for pdf in built.pdfs.values()
    )


@pytest.mark.parametrize("layout_class", [PdfWorker, InProcessLayout])
def test_both_layouts_report_each_page_and_give_the_same_pdf(pack, layout_class):
    """A process of its own (a build in a web process) or this process (an RQ job's): the
    same progress, page by page, and the same PDF."""
    html = PackAssembly(pack, version_label="Test").print_html(public=False)
    layout = layout_class()
    try:
        steps, messages, pages = layout.render([("pdf", html)]), [], []
        while True:
            try:
                _, message, page = next(steps)
            except StopIteration as finished:
                laid_out = finished.value["pdf"]
                break
            if message:
                messages.append(message)
            if page is not None:
                pages.append(page)
    finally:
        layout.close()
    in_process = render_pdf(html)
    assert messages[0] == "Laying out page 1"
    assert "Checking the page numbers: page 1" in messages  # the second pass, for "Page N of M"
    assert messages[-1] == "Writing the PDF file"
    assert pages == list(range(1, in_process.pages + 1))  # the first pass's pages, in order
    assert laid_out.pages == in_process.pages
    assert pdf_pages(laid_out.pdf) == pdf_pages(in_process.pdf)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/tracker.png",
        "https://example.org/style.css",
        "ftp://example.org/file",
        "file:///etc/passwd",
        "file:///static/../../../etc/passwd",
        "file:///static/reports/does-not-exist.css",
        "file://example.org/static/reports/pack-print.css",
    ],
)
def test_the_fetcher_refuses_everything_but_static_files_and_data(url):
    with pytest.raises(URLRefused):
        url_fetcher().fetch(url)


def test_the_fetcher_gives_static_files_and_data_uris():
    css = url_fetcher().fetch("file:///static/reports/pack-print.css")
    assert b"@page" in css.read() and css.content_type == "text/css"
    data = url_fetcher().fetch("data:text/plain;base64,aGVsbG8=")
    assert data.read() == b"hello"


def test_print_charts_are_not_drawn_for_a_pack_without_charts(pack):
    assembly = PackAssembly(pack, version_label="Test")
    assembly.draw_charts(PRINT)  # must not start a browser for nothing
    assert assembly.charts == [] and assembly._charts_drawn_for is None


def test_long_tables_repeat_their_header_and_sections_start_at_the_top_of_a_page(pack, analyst):
    host = pack.area.partners.get(code="SCC")
    schemes = [
        SchemeFactory(area=pack.area, number=number, name=f"Scheme number {number}", host=host)
        for number in range(3, 27)
    ]
    portfolio_ratings_save(
        area=pack.area,
        quarter=pack.quarter,
        user=analyst,
        entries=[
            RatingEntry(
                scheme=scheme,
                rag="amber",
                narrative=f"Narrative of scheme {scheme.number}: " + "delivery is slower. " * 10,
            )
            for scheme in schemes
        ],
    )
    pages = pdf_pages(build(pack).pdfs[FULL].pdf)
    portfolio_pages = [flat(text) for text in pages if "Narrative of scheme" in text]
    assert len(portfolio_pages) >= 2  # the table runs over pages...
    for text in portfolio_pages:  # ...and every page of it starts with the column headings
        assert "Scheme Lead(s) RAG Q1 2018/19 RAG Q2 2018/19 Narrative Updated" in text

    # The contents, the body and each appendix start a page; the template's other headings
    # follow on, so that no forced break leaves a page nearly empty.
    for heading in ("Contents", "BRIEF SUMMARY", *TEMPLATE_HEADINGS[-2:]):
        page = pages[1] if heading == "Contents" else next(
            text for text in pages[2:] if heading in text
        )
        lines = [line for line in page.splitlines() if line.strip()]
        # Under the running header (and the draft's mark), the section's heading.
        assert "Joint Commissioning Board · Quarter Two 2018/19" in lines[:2]
        assert any(line.startswith(heading) for line in lines[1:3]), (heading, lines[:3])
    for index, text in enumerate(pages[2:-1], start=3):
        lines = [line for line in text.splitlines() if line.strip()]
        assert len(lines) > 8, f"page {index} is nearly empty: {lines}"


def test_the_pdf_uses_arial_or_its_metric_twin_liberation_sans(pack):
    result = build(pack).pdfs[FULL]
    listing = subprocess.run(
        ["pdffonts", "-"], input=result.pdf, capture_output=True, check=True
    ).stdout.decode()
    fonts = {line.split()[0].split("+")[-1] for line in listing.splitlines()[2:]}
    assert fonts and all(font.startswith("Liberation-Sans") for font in fonts), fonts
