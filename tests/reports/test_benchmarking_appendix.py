"""Appendix 3 of the pack: each national metric beside England and the other comparators, in
the chart the benchmarking page draws, with the figures `manage.py benchmark` prints."""

import io
import json

import pytest
from django.core.management import call_command

from bettercare.services import comparator_save
from metrics.services import metric_file_import, population_file_import
from reports.sections import BenchmarkingAppendix
from tests.metrics.factories import figures_csv

from .pdf_reading import flat, pdf_pages
from .test_pdf import build

pytestmark = pytest.mark.django_db
SOTON, ENGLAND = "E06000045", "E92000001"


@pytest.fixture
def england(figures):
    comparator_save(code=ENGLAND, name="England")
    people = [
        (code, "2018-19", group, number, "ONS mid-2018")
        for code, numbers in ((SOTON, (252_800, 200_800, 34_134)),
                              (ENGLAND, (55_977_200, 43_825_000, 10_186_100)))
        for group, number in zip(("all", "18+", "65+"), numbers, strict=True)
    ]  # fmt: skip
    population_file_import(
        content=figures_csv(
            people, header=["area", "financial_year", "age_group", "population", "source"]
        ),
        file_name="people.csv",
    )
    metric_file_import(
        content=figures_csv([(ENGLAND, "nel_admissions", "2018-08", "actual", "495000")]),
        file_name="england.csv",
        via="command",
    )


def test_the_appendix_draws_the_area_beside_england_with_the_commands_figures(pack, england):
    section = BenchmarkingAppendix()
    context = section.get_context(pack)
    (chart,) = section.charts(context)
    assert chart.id == "benchmark-nel_admissions"
    assert "England 884.3" in chart.description and "Southampton 945.4" in chart.description
    out = io.StringIO()
    call_command(
        "benchmark", "--metric", "nel_admissions", "--month", "2018-08", "--area", SOTON,
        stdout=out,
    )  # fmt: skip
    assert section.figures(context) == [json.loads(out.getvalue())]

    pages = [flat(text) for text in pdf_pages(build(pack).pdfs["full"].pdf)]
    appendix = next(
        index
        for index, text in enumerate(pages)
        if "Appendix 3: Benchmarking against England" in text and "Contents" not in text
    )
    text = " ".join(pages[appendix:])
    assert "Non Elective Admissions, August 2018: rate per 100,000 all ages" in text
    assert "England: 884.3" in text  # the chart's legend, drawn as vector SVG
    assert "1. Southampton (this area)" in text


def test_without_comparators_the_appendix_says_so(pack, figures):
    section = BenchmarkingAppendix()
    context = section.get_context(pack)
    assert section.charts(context) == [] and section.figures(context) == []
