"""The pack is a document fit to publish: a tagged PDF (PDF/UA-1) with its title, author and
language, a structure tree whose headings follow the council's template, tables with header
cells, every chart with alternative text saying what it shows; DRAFT on every page of a draft,
and a Final version's footer giving its version and status. Read back with pikepdf."""

import re

import pytest

from reports.assembly import FULL, PUBLIC, pack_pdfs_build, run_to_end, version_label

from .pdf_reading import flat, pdf_pages, tagged_pdf
from .test_pdf import DETAIL_PARTS, SUB_HEADINGS, TEMPLATE_HEADINGS

pytestmark = pytest.mark.django_db


def build(pack, *, final=False, outputs=(FULL,)):
    return run_to_end(
        pack_pdfs_build(
            pack,
            version_label=version_label(number=1, final=final),
            outputs=outputs,
            isolate=False,
            final=final,
        )
    ).pdfs


def test_the_pdf_is_tagged_with_the_templates_headings_tables_and_described_charts(figures, pack):
    pdf = build(pack)[FULL].pdf
    tags = tagged_pdf(pdf)
    assert tags.marked and tags.ua_part == "1" and tags.lang == "en-GB"
    assert tags.title == (
        "Joint Commissioning Board: Better Care performance report, Quarter Two 2018/19"
    )
    assert tags.author == "Southampton Better Care programme"

    # The headings: the cover's title, then the template's headings in order, the parts of
    # DETAIL and the sub-headings of the implications one level down.
    assert [tag.text for tag in tags.in_order("H1")] == [
        "Better Care performance report, Quarter Two 2018/19"
    ]
    assert [tag.text for tag in tags.in_order("H2") if tag.text != "Contents"] == (
        TEMPLATE_HEADINGS
    )
    third = [tag.text for tag in tags.in_order("H3")]
    for heading in [*DETAIL_PARTS, *SUB_HEADINGS]:
        assert heading in third

    # Tables have header cells: the performance table's columns, the cover's rows.
    tables = tags.in_order("Table")
    assert len(tables) >= 6
    for table in tables:
        assert table.find("TH"), table.text[:80]
    performance = next(table for table in tables if "Year to Date vs. Target" in table.text)
    assert [cell.text for cell in performance.find("TH")][:4] == [
        "Metric",
        "Year to Date vs. Target",
        "Year to Date vs. Last Year",
        "Commentary",
    ]

    # Every chart says in words what it shows: the period, the latest figure against plan and
    # last year.
    [chart] = tags.in_order("Figure")
    assert chart.alt == (
        "Non Elective Admissions: 2018/19 month by month against plan and last year. Line chart "
        "of Non Elective Admissions, in count, for each month from April 2018 to August 2018: "
        "the actual figure, the plan and the same month a year before. In August 2018 the "
        "figure was 2,390, against a plan of 2,370, and 2,350 a year before."
    )
    assert "Count" in chart.text  # drawn as vector text: its axis is words in the PDF

    # A draft says DRAFT on every page.
    pages = pdf_pages(pdf)
    assert all("DRAFT" in page for page in pages)
    assert all("Status: Draft" in flat(page) for page in pages)


def test_a_final_version_has_no_draft_mark_and_its_footer_gives_version_and_status(pack):
    pdfs = build(pack, final=True, outputs=(FULL, PUBLIC))
    for output, footer in ((FULL, "Status: Final"), (PUBLIC, "Status: Final, public version")):
        pages = [flat(page) for page in pdf_pages(pdfs[output].pdf)]
        assert not any("DRAFT" in page for page in pages)
        for page in pages:
            assert re.search(r"Version 1, Final, \d+ \w+ \d{4}\. " + re.escape(footer), page)
