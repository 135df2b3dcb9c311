"""The performance sections of the pack (the RAG table of metrics, the headlines with their
charts) and appendix 1 (every scheme's highlight report): read back from the PDF, the page and
the export, and checked against what `rag_summary` gives for the pack's data month."""

import io
import json
import re
from io import StringIO
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bettercare.periods import Month, parse_quarter
from bettercare.spreadsheets import COUNT
from metrics.models import Metric
from metrics.selectors import rag_summary
from reports.assembly import FULL, PUBLIC, PackAssembly, pack_pdfs_build, run_to_end
from reports.models import PackMetric
from reports.selectors import pack_metric_texts
from reports.services import MetricText, pack_create, pack_text_save
from reports.tables import compared_as
from tests.factories import SchemeFactory

from .conftest import accepted_report
from .pdf_reading import flat, pdf_pages

pytestmark = pytest.mark.django_db

NATIONAL_2018 = [
    "nel_admissions",
    "dtoc_delayed_days",
    "dtoc_rate",
    "dtoc_avg_daily_delays",
    "res_admissions_65",
    "reablement_91",
]
# The demo pack's: the national metrics with a figure at Month 5 (reablement is yearly).
DEMO_HEADLINES = NATIONAL_2018[:-1]


def build(pack, outputs=(FULL,)):
    return run_to_end(pack_pdfs_build(pack, version_label="Test", outputs=outputs, isolate=False))


def section_pages(pages: list[str], start: str, end: str) -> range:
    """The pages from the one with heading `start` to the one with heading `end`."""
    first = next(index for index, page in enumerate(pages) if index > 1 and start in page)
    last = next(index for index, page in enumerate(pages) if index > first and end in page)
    return range(first, last + 1)


def between(pages: list[str], start: str, end: str) -> str:
    return "\n".join(pages[index] for index in section_pages(pages, start, end))


def table_row(layout: str, name: str) -> tuple[str, str]:
    """The first two lines of a metric's row in the printed table (layout mode: a row's cells
    stand side by side, each wrapped within its column): the row whose first cells, line after
    line, spell the metric's name (and its note's number, if any)."""
    lines = layout.splitlines()
    first_cells = [re.split(r"\s{2,}", line.strip())[0] for line in lines]
    for index in range(len(lines) - 1):
        spelt = ""
        for cell in first_cells[index : index + 8]:  # long names wrap over several lines
            if not cell:
                break
            spelt = f"{spelt} {cell}".strip()
            if name in (spelt, re.sub(r"\d+$", "", spelt)):  # a note's number, or "100,000"
                return lines[index], lines[index + 1]
            if not name.startswith(spelt):
                break
    raise AssertionError(f"{name} is not in the table")


def test_the_pdf_has_the_rag_table_the_headlines_and_every_schemes_report(southampton):
    pack = southampton
    summary = rag_summary(area=pack.area, month=pack.data_month)
    assert len(summary.rows) == 11  # reablement is yearly; two rates are worked out
    built = build(pack)
    pdf = built.pdfs[FULL].pdf
    pages = [flat(text) for text in pdf_pages(pdf)]
    layouts = pdf_pages(pdf, layout=True)
    total = len(pages)
    assert all(f"Page {number} of {total}" in page for number, page in enumerate(pages, 1))

    cover = pages[0]
    assert "Better Care performance report, Quarter Two 2018/19" in cover
    assert "Activity data up to Month 5, 31 August 2018." in cover
    assert (
        "Illustrative figures: the 2018/19 finance figures and the metrics' actual figures in "
        "this pack are demonstration data" in cover
    )
    contents = pages[1]
    for heading in (
        "Performance",
        "Performance headlines",
        "RESOURCE IMPLICATIONS",
        "Appendix 1: Highlight reports of the schemes",
        "Appendix 2: Finance by scheme and partner",
    ):
        page_number = int(re.search(rf"{re.escape(heading)} [ .]*(\d+)", contents).group(1))
        assert heading in pages[page_number - 1]

    # Performance: every metric of the summary, in its group, each cell a label and its
    # figure, the figures compared, the caveat as a note, the legend.
    performance_start, headlines_start = (
        "Performance Activity data up to",
        "Performance headlines Activity data up to",
    )
    performance = between(pages, performance_start, headlines_start)
    table_layout = "\n".join(
        layouts[index] for index in section_pages(pages, performance_start, headlines_start)
    )
    assert "Activity data up to Month 5, 31 August 2018." in performance
    assert "The metrics' actual figures are demonstration data" in performance
    assert "Metric Year to Date vs. Target Year to Date vs. Last" in performance
    for group, rows in summary.groups():
        assert group in performance
        for row in rows:
            first, second = table_row(table_layout, row.name)
            assert re.search(
                rf"{re.escape(row.vs_plan.label)}\s.*{re.escape(row.vs_last_year.label)}", first
            ), row.code
            differences = [
                f"({comparison.text})"
                for comparison in (row.vs_plan, row.vs_last_year)
                if comparison.text
            ]
            assert re.search(r"\s.*".join(map(re.escape, differences)), f"{first} {second}")
            plan = row.plan_display if row.plan is not None else "none"
            assert (
                f": {row.actual_display}; target {plan}; last year {row.last_year_display}"
                in performance
            ), row.code
    delays = next(row for row in summary.rows if row.code == "dtoc_delayed_days")
    assert delays.vs_plan.label == "On Track" and delays.vs_plan.text == "3% lower than target"
    assert "(18+)1" in table_layout  # the note's number beside the metric
    assert f"1. {delays.notes[0]}" in performance
    # a rate written with both figures; its commentary opens with each provider against its
    # own target, then the pack's own words
    assert "Off Track (4.3% vs. 3.5% target)" in performance
    assert (
        "Solent: 3.8% vs. 2.9% target; Southern Health: 5.1% vs. 4.4% target; UHS: 4.6% vs. "
        "3.9% target The share of bed days lost to delays is falling" in performance
    )
    # the revised trajectory, noted where the table rates against it
    assert (
        "Target revised from 19 July 2018: Reset by national guidance (BCF operating guidance "
        "2018/19, 19 July 2018) from the Quarter 3 2017/18 position" in performance
    )
    assert "Slightly Off Track (28.6 vs. 28.0 target)" in performance
    assert "No Target set" in performance
    for rag, worse_by, target, last_year in (
        ("Green", "0% or less", "On Track", "Better"),
        ("Amber", "more than 0% and less than 10%", "Slightly Off Track", "Slightly Worse"),
        ("Red", "10% or more", "Off Track", "Worse"),
    ):
        assert re.search(rf"(?m)^\s*{rag}\s+{worse_by}\s+{target}\s+{last_year}\s*$", table_layout)
    assert "Far fewer delays than last year" in performance  # the pack's commentary

    # Headlines: the demo pack's five national metrics, each rated, with its commentary and
    # its chart drawn as vectors (the legend's words are text); delayed days with SPC too.
    headlines = between(pages, headlines_start, "Key highlights and the portfolio view")
    for code in DEMO_HEADLINES:
        row = next(row for row in summary.rows if row.code == code)
        assert f"{row.name} Against target: {row.vs_plan.label}" in headlines
        assert f"{row.name}: 2018/19 month by month against plan and last year" in headlines
    assert "Delayed days are well below last year" in headlines
    assert headlines.count("Last year Plan Actual") == 5  # each trend chart's legend, as text
    assert "Upper process limit" in headlines and "Special cause: improvement" in headlines
    assert (
        "Statistical process control: Special cause variation: improvement (lower) · "
        "Consistently fails the target" in headlines
    )

    # The finance position with its percentage.
    assert (
        "a projected year end overspend of £0.06M, which represents a percentage variance "
        "against budget of 0.05%" in between(pages, "RESOURCE IMPLICATIONS", "LEGAL IMPLICATIONS")
    )

    # Appendix 1: every scheme's report, laid out as the template lays it out; the demo's
    # submitted and returned reports are not in it yet, and it says so.
    appendix = between(pages, "Appendix 1: Highlight reports", "Appendix 2: Finance by scheme")
    items = json.loads(built.figures_json)["sections"]["highlight-reports"]
    for item in items:
        assert f"Scheme {item['scheme']}: {item['name']}" in appendix
        assert item["in_pack"] == (item["status"] == "accepted")
    assert sorted(item["status"] for item in items) == sorted(
        ["accepted"] * 8 + ["submitted", "returned"]
    )
    assert appendix.count("Host Organisation") == 8
    assert appendix.count("Overall Financial Performance") == 8
    assert appendix.count("Summary of Risks and Issues & Mitigating actions") == 8
    assert "it is submitted, and it joins the pack once" in appendix
    assert "it is returned with comments, and it joins the pack once" in appendix

    # What a Final version stores for the table: `rag_summary --format json`, and the commentary.
    out = StringIO()
    call_command(
        "rag_summary",
        "--area",
        pack.area.code,
        "--month",
        "2018-08",
        "--format",
        "json",
        stdout=out,
    )
    stored = json.loads(built.figures_json)["sections"]
    commentary = stored["performance"].pop("commentary")
    assert stored["performance"] == json.loads(out.getvalue())
    # the commentary as printed: the providers' lines, then the pack's own words
    assert commentary["dtoc_delayed_days"] == (
        "Solent: 33% decrease year on year; Southern Health: data not available; UHS: 33% "
        "decrease year on year\nFar fewer delays than last year, and within the target set for "
        "2018/19 so far."
    )
    assert [item["metric"] for item in stored["headlines"]] == DEMO_HEADLINES
    assert [item["spc_chart"] for item in stored["headlines"]].count(True) == 1


def test_the_export_has_the_performance_table_with_its_figures(figures, pack, login, analyst):
    response = login(analyst).get(reverse("reports:pack_export", args=[pack.pk]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book["Performance"].iter_rows(values_only=True))
    assert rows[0] == (
        "Group",
        "Metric",
        "Compared",
        "Actual",
        "Target",
        "Last year",
        "Year to Date vs. Target",
        "Year to Date vs. Last Year",
        "Commentary",
        "Caveats",
    )
    nel = next(row for row in rows if row[1] == "Non Elective Admissions")
    assert nel[0] == "Urgent Care Demand"
    assert nel[2] == "Year to date, April to August 2018"
    assert (nel[3], nel[4], nel[5]) == (12020, 11850, 11720)
    nel_cells = next(cells for cells in book["Performance"].iter_rows() if cells[1].value == nel[1])
    assert {cell.number_format for cell in nel_cells[3:6]} == {COUNT}  # 12,020, not 12020.0000
    assert nel[6] == "Slightly Off Track (1% higher than target)"
    assert nel[7] == "Slightly Worse (3% higher than last year)"
    falls = next(row for row in rows if row[1] == "Injuries due to falls, people aged 65+")
    assert falls[9] == "One provider's August figure is estimated."


def test_a_pack_without_metric_figures_says_so_and_invents_nothing(pack):
    built = build(pack)
    text = flat(" ".join(pdf_pages(built.pdfs[FULL].pdf)))
    assert (
        "No metric figures are held for Southampton for Month 5, 31 August 2018, so there is "
        "no performance table to give." in text
    )
    # The board's first pack starts with the national metrics of the year as its headlines.
    for code in NATIONAL_2018:
        assert f"{Metric.objects.get(code=code).name} No figure is held for Month 5" in text
    assert text.count("No figures are held for 2018/19, so there is no chart to draw.") == 6
    for words in (
        "On Track",
        "Off Track",
        "Slightly Worse",
        "No Target set",
        "higher than",
        "lower than",
        "last year:",
    ):
        assert words not in text
    figures = json.loads(built.figures_json)["sections"]
    assert figures["performance"]["metrics"] == []
    # The charts stop at the data month: April to August.
    assert all(item["actual"] == [None] * 5 for item in figures["headlines"])


def test_a_data_month_without_figures_names_the_latest_month_with_them(figures, pack):
    pack = pack_text_save(pack=pack, text={"data_month": Month(2018, 9)})
    html = "".join(
        PackAssembly(pack, version_label="Test").render_sections(medium="screen", public=False)
    )
    assert (
        "No metric figures are held for Southampton for Month 6, 30 September 2018, so there is "
        "no performance table to give. The latest month with figures is Month 5, 31 August "
        "2018: the pack's data month can be set to it." in html
    )


def test_the_page_shows_the_table_and_headlines_from_the_same_reading(
    figures, pack, login, secretary
):
    nel = Metric.objects.get(code="nel_admissions")
    pack_text_save(
        pack=pack,
        text={},
        metric_texts={
            nel.pk: MetricText(
                commentary="Growth among the over 65s.",
                headline=True,
                headline_text="Admissions are above plan.",
                show_spc=True,
            )
        },
    )
    page = login(secretary).get(reverse("reports:pack_detail", args=[pack.pk])).content.decode()
    assert 'class="bc-rag bc-rag--amber">Slightly Off Track</strong>' in page
    assert '<span class="pack-difference">(1% higher than target)</span>' in page
    assert "Growth among the over 65s." in page and "Admissions are above plan." in page
    assert 'id="performance-note-1">One provider&#x27;s August figure is estimated.' in page
    # Charts on screen are plotly's, for the trend and the SPC reading the secretary asked for.
    assert page.count("data-plotly-for=") == 2


def test_the_secretary_writes_commentary_and_chooses_the_headlines(figures, pack, login, secretary):
    client = login(secretary)
    url = reverse("reports:pack_edit", args=[pack.pk])
    form = client.get(url).content.decode()
    nel = Metric.objects.get(code="nel_admissions")
    falls = Metric.objects.get(code="falls_injuries_65")
    # Every metric of the year, grouped, each with its fields labelled for screen readers.
    assert '<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Non Elective ' in form
    assert "Avoidable admissions" not in form  # a 2021-25 metric
    assert (
        'Headline commentary<span class="nhsuk-u-visually-hidden">: Non Elective Admissions'
        "</span>" in form
    )
    checkbox = 'name="headline_{}" class="nhsuk-checkboxes__input" id="id_headline_{}"'
    assert checkbox.format(nel.pk, nel.pk) + " checked>" in form  # a national metric
    assert checkbox.format(falls.pk, falls.pk) + ">" in form

    data = {
        "data_month": "2018-08",
        "brief_summary": "Summary.",
        f"commentary_{falls.pk}": "Falls are down.",
        f"headline_{falls.pk}": "on",
        f"headline_text_{falls.pk}": "Fewer falls this year.",
        f"show_spc_{falls.pk}": "on",
        f"commentary_{nel.pk}": "x" * 601,
        "action": "save",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Ensure this value has at most 600 characters (it has 601)." in refused.content.decode()
    assert "Fewer falls this year." in refused.content.decode()  # kept as typed

    data[f"commentary_{nel.pk}"] = "Above plan."
    preview = client.post(url, {**data, "action": "preview"}).content.decode()
    assert "Fewer falls this year." in preview and "Falls are down." in preview
    assert not PackMetric.objects.filter(pack=pack, metric=falls).exists()  # not saved yet

    assert client.post(url, data).status_code == 302
    texts = pack_metric_texts(pack=pack)
    assert (texts[falls.pk].commentary, texts[falls.pk].headline) == ("Falls are down.", True)
    assert (texts[falls.pk].headline_text, texts[falls.pk].show_spc) == (
        "Fewer falls this year.",
        True,
    )
    # Unticked boxes are not headlines any more: only the falls headline is left.
    assert [text.metric.code for text in texts.values() if text.headline] == ["falls_injuries_65"]
    assert texts[nel.pk].commentary == "Above plan."
    history = texts[falls.pk].history.count()
    assert client.post(url, data).status_code == 302  # saved again unchanged...
    assert pack_metric_texts(pack=pack)[falls.pk].history.count() == history  # ...no new entry


def test_headline_choices_are_carried_forward_and_their_words_are_not(pack, secretary):
    falls = Metric.objects.get(code="falls_injuries_65")
    nel = Metric.objects.get(code="nel_admissions")
    pack_text_save(
        pack=pack,
        text={},
        metric_texts={
            falls.pk: MetricText(
                commentary="Q2 words.", headline=True, headline_text="Q2.", show_spc=True
            ),
            nel.pk: MetricText(commentary="Q2 words."),  # no longer a headline
        },
    )
    next_quarter = pack_create(
        area=pack.area, board="JCB", quarter=parse_quarter("2018-19-Q3"), user=secretary
    )
    texts = pack_metric_texts(pack=next_quarter)
    headlines = [(text.metric.code, text.show_spc) for text in texts.values() if text.headline]
    assert headlines == [
        ("dtoc_delayed_days", False),
        ("dtoc_rate", False),
        ("dtoc_avg_daily_delays", False),
        ("res_admissions_65", False),
        ("reablement_91", False),
        ("falls_injuries_65", True),
    ]
    assert all(not text.commentary and not text.headline_text for text in texts.values())
    # Another board's first pack starts from the national metrics of the year.
    hwb = pack_create(area=pack.area, board="HWB", quarter=pack.quarter, user=secretary)
    assert [
        text.metric.code for text in pack_metric_texts(pack=hwb).values() if text.headline
    ] == NATIONAL_2018


def test_a_draft_report_is_not_printed_and_a_missing_one_is_named(
    pack, carers, clusters, analyst, lead
):
    from schemes.services import highlight_report_start

    draft = highlight_report_start(scheme=carers, quarter=pack.quarter, user=lead)
    assert draft.status == "draft"
    html = "".join(
        PackAssembly(pack, version_label="Test").render_sections(medium="print", public=False)
    )
    assert (
        "The Q2 2018/19 highlight report of this scheme is not ready for the board: it is "
        "draft, and it joins the pack once the Integrated Commissioning Unit has accepted it."
        in html
    )
    assert "No highlight report has been written for this scheme for Q2 2018/19." in html
    assert "Overall Financial Performance" not in html

    accepted_report(clusters, analyst=analyst, priorities="- Recruit two social workers")
    built = build(pack, outputs=(FULL, PUBLIC))
    text = flat(" ".join(pdf_pages(built.pdfs[FULL].pdf)))
    assert "Scheme 2: Clusters Host Organisation Southampton City CCG" in text
    assert "Recruit two social workers" in text
    # The appendix may be exempt from publication: the public version leaves it out.
    pack = pack_text_save(pack=pack, text={}, exempt_sections=["highlight-reports"])
    built = build(pack, outputs=(FULL, PUBLIC))
    public = flat(" ".join(pdf_pages(built.pdfs[PUBLIC].pdf)))
    assert "Recruit two social workers" not in public
    assert "leaves out Appendix 1, “Highlight reports of the schemes”" in public


def test_the_pack_page_reads_a_fixed_number_of_queries_however_many_reports_and_metrics(
    figures, pack, login, secretary, analyst, carers, clusters, django_assert_num_queries
):
    accepted_report(carers, analyst=analyst)
    client = login(secretary)
    url = reverse("reports:pack_detail", args=[pack.pk])
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        client.get(url)

    # Eight more schemes with accepted reports, every metric a headline with its SPC chart,
    # and figures for more metrics.
    accepted_report(clusters, analyst=analyst)
    for number in range(3, 11):
        scheme = SchemeFactory(area=pack.area, number=number, host=pack.area.partners.first())
        accepted_report(scheme, analyst=analyst)
    pack_text_save(
        pack=pack,
        text={},
        metric_texts={
            metric.pk: MetricText(
                commentary="Said.", headline=True, headline_text="Said.", show_spc=True
            )
            for metric in Metric.objects.all()
        },
    )
    with django_assert_num_queries(len(few)):
        page = client.get(url).content.decode()
    assert page.count("Overall Financial Performance") == 10
    # Its speed (under a second) is measured by tests/benchmarks/bench_reports.py, not here:
    # a timed assertion would fail on a busy machine, and the query count above is what grows.


@pytest.mark.parametrize(
    ("periods", "words"),
    [
        (
            ("2018-04", "2018-05", "2018-06", "2018-07", "2018-08"),
            "Year to date, April to August 2018",
        ),
        (("2018-08",), "August 2018 alone"),
        (("2018-19-Q1",), "Quarter One 2018/19 alone"),
        (("2018-19-Q1", "2018-19-Q2"), "Year to date, Quarter One 2018/19 to Quarter Two 2018/19"),
        (("2018-19",), "2018/19 alone"),
        ((), "No period ends in the data month"),
    ],
)
def test_the_compared_periods_are_named_from_those_the_rating_used(periods, words):
    # Quarterly and yearly metrics (the 2021-25 set) compare quarters or years, not the month.
    assert compared_as(SimpleNamespace(periods=periods)) == words

