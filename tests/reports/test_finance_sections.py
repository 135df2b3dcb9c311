"""The finance parts of the pack: the pool against the national minimum in the overview, the
finance position at the pack's data month in the resource implications, with its chart, and the
finance table of appendix 2; all read back from the PDF, the page and the export, and checked
against what `finance_summary` prints for the same month."""

import io
import json
import re
from decimal import Decimal
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bettercare.models import Scheme
from bettercare.money import format_board, format_millions, format_percent
from bettercare.periods import Month
from bettercare.spreadsheets import PERCENT, POUNDS
from finance.selectors import finance_position, pooled_fund
from finance.services import finance_file_import
from finance.wording import describe_position
from reports.assembly import FULL, PUBLIC, PackAssembly, pack_pdfs_build, run_to_end
from reports.models import Pack
from reports.services import pack_text_save
from tests.factories import SchemeFactory
from tests.finance.conftest import AREA, BUDGETS_2018, MONTH_4, MONTH_5, finance_csv

from .building import run_requested_build
from .pdf_reading import flat, pdf_pages

pytestmark = pytest.mark.django_db

MONTH_5_WORDS = (
    "a projected year end overspend of £0.06M, which represents a percentage variance against "
    "budget of 0.05%. This is made up of a £0.39M overspend for the CCG and a £0.33M underspend "
    "for the Council."
)


@pytest.fixture
def demo_pack(demo):
    """The Southampton demo: its Draft JCB pack for Q2 2018/19 and illustrative 2018/19 finance."""
    return Pack.objects.select_related("area").get(board="JCB", quarter="2018-19-Q2")


@pytest.fixture(scope="module")
def demo_pack_built(demo_database, django_db_blocker):
    """The demo pack's full PDF as it stands, laid out once for the tests that only read it."""
    with django_db_blocker.unblock():
        pack = Pack.objects.select_related("area").get(board="JCB", quarter="2018-19-Q2")
        return build(pack)


def build(pack, outputs=(FULL,)):
    return run_to_end(pack_pdfs_build(pack, version_label="Test", outputs=outputs, isolate=False))


def page_with(pages: list[str], text: str) -> str:
    """The text from the first page after the contents where `text` is, and the page after it
    (the template's sections follow one another without page breaks)."""
    start = next(index for index, page in enumerate(pages) if index > 1 and text in page)
    return " ".join(pages[start : start + 2])


def test_the_pdf_states_the_finance_position_as_finance_summary_does(demo_pack, demo_pack_built):
    area = demo_pack.area
    position = finance_position(area=area, month=Month(2018, 8))
    summary = position.as_dict()
    built = demo_pack_built
    pdf = built.pdfs[FULL].pdf
    pages = [flat(text) for text in pdf_pages(pdf)]

    assert "Activity data up to Month 5, 31 August 2018." in pages[0]  # the cover

    resources = page_with(pages, "RESOURCE IMPLICATIONS")
    assert "Activity data up to Month 5, 31 August 2018." in resources
    # The percentage is the summary's, rounded for reading as the boards write it.
    percentage = format_percent(Decimal(str(summary["total"]["variance_pct"])), 2)
    assert percentage == "0.05%"
    assert (
        "a projected year end overspend of £0.06M, which represents a percentage variance "
        f"against budget of {percentage}" in resources
    )
    assert MONTH_5_WORDS in resources
    # Word for word what `finance_summary` gives, after the month it is at; the schemes
    # driving it are named below, each with its reason.
    words = describe_position(position, drivers=False)
    assert f"At Month 5, 31 August 2018, the pooled fund shows {words}" in resources
    assert "Illustrative figures: The finance figures are demonstration data" in resources
    # The small table by partner: each partner's budget, forecast, variance and percentage.
    layout = "\n".join(pdf_pages(pdf, layout=True))
    for partner in position.partners:
        assert re.search(
            rf"(?m)^\s*{partner.partner.code}\s+{re.escape(format_millions(partner.budget))}\s+"
            rf"{re.escape(format_millions(partner.forecast))}\s+"
            rf"{re.escape(format_board(partner.variance))}(\s+\w+)?\s+"
            rf"{re.escape(format_percent(partner.variance_pct, 2))}\s",
            layout,
        ), partner.partner.code
    # The chart, drawn as vectors: its axis and legend are text in the PDF, under its one
    # title (the caption: the figure has none of its own).
    caption = "Forecast year end variance of the pooled fund, month by month, 2018/19 up to Month 5"
    assert resources.count(caption) == 1
    assert "Forecast variance by month" not in resources
    for words in ("M1 Apr", "M5 Aug", "Total"):
        assert words in resources
    assert "M6 Sep" not in resources  # nothing after the data month

    # The overview: the pool by partner against the national minimum, from `pooled_fund`.
    fund = pooled_fund(area=area, year=demo_pack.quarter.year)
    overview = page_with(pages, "Overview of the programme")
    assert (
        f"The pooled fund for 2018/19 is {format_millions(fund.total)}: "
        f"{format_millions(fund.by_partner[0].contributed)} from the CCG and "
        f"{format_millions(fund.by_partner[1].contributed)} from the Council, 6.7 times the "
        f"national minimum of {format_millions(fund.national_minimum)}." in overview
    )
    assert "£110.50M: £73.40M from the CCG and £37.10M from the Council" in overview
    assert "Illustrative figures: The pooled fund's figures are demonstration data" in overview

    # What the build stores with a Final version: the summary's own figures, with the schemes
    # named as driving and offsetting the variance.
    stored = json.loads(built.figures_json)["sections"]["resources"]
    assert (stored.pop("drivers"), stored.pop("offsets")) == ([6, 2], [3, 5])
    assert stored == json.loads(json.dumps(summary))


def test_the_drivers_are_named_in_the_boards_words_with_their_reasons(demo_pack):
    """Resource implications name the schemes driving the variance, each with its amount, its
    partners' split and the finance lead's reason, then the schemes offsetting it."""
    text = flat(" ".join(pdf_pages(build(demo_pack).pdfs[FULL].pdf)))
    assert (
        "The main overspends are: • Learning Disability Integration, a £0.20M overspend: the "
        "CCG £0.30M over and the Council £0.10M under. The CCG: Illustrative. The care packages "
        "of people with learning disabilities are growing more complex" in text
    )
    assert (
        "Clusters, a £0.14M overspend: the CCG £0.09M over and the Council £0.05M over. The "
        "CCG: Illustrative. More people are being referred to the home oxygen and orthotics "
        "service than planned" in text
    )
    assert "The Council: Illustrative. Locum social workers are covering vacant posts" in text
    assert (
        "They are offset mainly by: • Integrated Rehabilitation and Reablement and Hospital "
        "Discharge, a £0.20M underspend on the Council budget. The Council: Illustrative. Staff "
        "vacancies in the reablement and hospital discharge teams" in text
    )
    assert (
        "Prevention and Early Intervention, a £0.10M underspend on the Council budget. The "
        "Council: Illustrative. A saving on the re-let prevention and early intervention "
        "contract." in text
    )


def test_appendix_2_has_a_row_for_every_pooled_scheme_and_repeats_its_headings(
    demo_pack, demo_pack_built
):
    position = finance_position(area=demo_pack.area, month=Month(2018, 8))
    pooled = Scheme.objects.in_area(demo_pack.area).active_in(demo_pack.quarter.year)
    assert {scheme.number for scheme in position.schemes} == {
        scheme.number for scheme in pooled.filter(pooled=True)
    }
    pdf = demo_pack_built.pdfs[FULL].pdf
    pages, layouts = pdf_pages(pdf), pdf_pages(pdf, layout=True)
    appendix = [
        index for index, text in enumerate(pages) if "Appendix 2: Finance by scheme" in text
    ]
    first = appendix[-1]  # the contents names it too
    # Appendix 3 (benchmarking) follows it, from a page of its own.
    end = next(
        (index for index in range(first + 1, len(pages)) if "Appendix 3: " in pages[index]),
        len(pages),
    )
    appendix_pages = [flat(text) for text in pages[first:end]]
    rows = "\n".join(layouts[first:end])
    assert len(appendix_pages) >= 2  # it runs over a page...
    for text in appendix_pages:  # ...and each page of it starts with the column headings
        top = text[: text.index("1 Carers") if "1 Carers" in text else 300]
        for heading in ("No.", "Scheme", "Partner", "Budget", "Forecast", "Variance", "budget"):
            assert heading in top, (heading, top)
    # A scheme's lines are on the page of its total: never split from it by a page break.
    rows_of = {str(scheme.number): len(scheme.partners) + 1 for scheme in position.schemes}
    for text in layouts[first:end]:
        numbers = re.findall(r"(?m)^\s*(\d+)\s+[A-Z]", text)
        for number in set(numbers):
            assert numbers.count(number) == rows_of[number], (number, text)

    def row(number, name, partner, figures) -> str:
        variance = "on budget" if figures.variance == 0 else format_board(figures.variance)
        return (
            rf"(?m)^\s*{number}\s+{re.escape(name.split()[0])}\b.*\s{re.escape(partner)}\s+"
            rf"{re.escape(format_millions(figures.budget))}\s+"
            rf"{re.escape(format_millions(figures.forecast))}\s+{re.escape(variance)}"
            rf"(\s+\w+)?\s+{re.escape(format_percent(figures.variance_pct, 2))}\s*$"
        )

    for scheme in position.schemes:
        assert scheme.name in " ".join(appendix_pages)
        for line in scheme.partners:
            assert re.search(row(scheme.number, scheme.name, line.partner.code, line), rows), (
                scheme.name,
                line.partner.code,
            )
        assert re.search(row(scheme.number, scheme.name, "All", scheme), rows), scheme.name
    # One row pinned to the demo's figures, not to the formatting helpers the page uses.
    assert re.search(r"2\s+Clusters\s+CCG\s+£49\.12M\s+£49\.21M\s+£0\.09M\s+0\.18%", rows)
    assert re.search(r"2\s+Clusters\s+SCC\s+£1\.38M\s+£1\.43M\s+£0\.05M\s+3\.61%", rows)
    total = position.total
    assert re.search(
        rf"All schemes\s+All\s+{re.escape(format_millions(total.budget))}\s+"
        rf"{re.escape(format_millions(total.forecast))}\s+£0\.06M\s+(overspend\s+)?0\.05%",
        rows,
    )


def test_the_frozen_figures_are_what_finance_summary_prints(demo_pack, login, secretary):
    client = login(secretary)
    response = client.post(
        reverse("reports:pack_finalise", args=[demo_pack.pk]),
        {"confirm": "on", "reason": "The last reports are due before the meeting."},
    )
    assert "Version 1 is Final" in run_requested_build(client, response)
    stored = client.get(reverse("reports:pack_version_download", args=[demo_pack.pk, 1, "figures"]))
    figures = json.loads(stored.content)

    out = StringIO()
    call_command(
        "finance_summary", "--area", AREA, "--month", "2018-08", "--format", "json", stdout=out
    )
    resources = figures["sections"]["resources"]
    assert (resources.pop("drivers"), resources.pop("offsets")) == ([6, 2], [3, 5])
    assert resources == json.loads(out.getvalue())
    assert figures["pack"]["data_month"] == "2018-08"
    pool = figures["sections"]["overview"]["pooled_fund"]
    assert (pool["total"], pool["national_minimum"], pool["illustrative"]) == (
        "110500000.00",
        "16484000.00",
        True,
    )
    assert [partner["contributed"] for partner in pool["partners"]] == [
        "73400000.00",
        "37100000.00",
    ]


def test_the_export_gives_the_finance_tables_exact_to_the_penny(demo_pack, login, analyst):
    response = login(analyst).get(reverse("reports:pack_export", args=[demo_pack.pk]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert {"Pooled fund", "Finance by partner", "Finance by scheme"} <= set(book.sheetnames)
    position = finance_position(area=demo_pack.area, month=Month(2018, 8))

    by_scheme = list(book["Finance by scheme"].iter_rows(values_only=True))
    assert by_scheme[0] == (
        "No.",
        "Scheme",
        "Partner",
        "Budget",
        "Forecast outturn",
        "Variance",
        "% of budget",
    )
    lines = {(row[0], row[2]): row for row in by_scheme[1:] if row[0]}
    for scheme in position.schemes:
        for line in scheme.partners:
            exported = lines[(scheme.number, line.partner.code)]
            assert Decimal(str(exported[3])) == line.budget
            assert Decimal(str(exported[4])) == line.forecast
            assert Decimal(str(exported[5])) == line.variance
    total = by_scheme[-1]
    assert total[1:3] == ("All schemes", "All partners")
    assert Decimal(str(total[5])) == position.total.variance == Decimal("60000.00")

    # Pounds as numbers in pounds, underspends bracketed; the pool's shares as percentages.
    sheet = book["Finance by scheme"]
    assert sheet.freeze_panes == "A2" and sheet["D1"].font.bold
    assert {sheet.cell(row=2, column=column).number_format for column in (4, 5, 6)} == {POUNDS}
    pool = book["Pooled fund"]
    assert pool["B2"].number_format == POUNDS and isinstance(pool["B2"].value, int | float)
    assert pool["C2"].number_format == PERCENT and 0 < pool["C2"].value < 100

    by_partner = list(book["Finance by partner"].iter_rows(values_only=True))
    assert [row[0] for row in by_partner] == ["Partner", "CCG", "SCC", "All partners"]
    pool = list(book["Pooled fund"].iter_rows(values_only=True))
    assert pool[1][:2] == ("Southampton City CCG", 73400000)
    assert pool[-1][:2] == ("National minimum", 16484000)


def test_the_data_month_chooses_the_finance_month(demo_pack, login, secretary):
    client = login(secretary)
    form = client.get(reverse("reports:pack_edit", args=[demo_pack.pk])).content.decode()
    # The secretary picks among the year's months up to the quarter's end; Month 5 is chosen.
    assert '<option value="2018-08" selected>Month 5, 31 August 2018</option>' in form
    assert '<option value="2018-09">Month 6, 30 September 2018</option>' in form
    assert 'value="2018-10"' not in form

    response = client.post(
        reverse("reports:pack_edit", args=[demo_pack.pk]),
        {"data_month": "2018-07", "brief_summary": "Month 4 pack.", "action": "save"},
    )
    assert response.status_code == 302
    demo_pack.refresh_from_db()
    assert demo_pack.data_month == Month(2018, 7)

    page = client.get(reverse("reports:pack_detail", args=[demo_pack.pk])).content.decode()
    month_4 = finance_position(area=demo_pack.area, month=Month(2018, 7))
    assert "Activity data up to Month 4, 31 July 2018." in page
    words = describe_position(month_4, drivers=False)
    assert f"At Month 4, 31 July 2018, the pooled fund shows {words}" in page
    assert describe_position(month_4) != describe_position(
        finance_position(area=demo_pack.area, month=Month(2018, 8))
    )
    assert "M4 Jul" in page and "M5 Aug" not in page  # the chart stops at the data month

    figures = PackAssembly(demo_pack, version_label="Test").figures()["sections"]["resources"]
    assert {key: value for key, value in figures.items() if key not in ("drivers", "offsets")} == (
        month_4.as_dict()
    )


@pytest.mark.parametrize(
    "typed,message",
    [
        (
            "2018-10",
            "The data month cannot be after the quarter: Quarter Two 2018/19 ends with September "
            "2018, so October 2018 is too late.",
        ),
        (
            "2019-05",
            "The data month must be in 2018/19, the financial year of Quarter Two 2018/19: May "
            "2019 is in 2019/20.",
        ),
        ("August", "&#x27;August&#x27; is not a month: write it like 2018-08 (year, then month)."),
        ("", "This field is required."),
    ],
)
def test_a_bad_data_month_is_refused_with_its_reason_and_the_rest_is_kept(
    typed, message, pack, priorities, login, secretary
):
    response = login(secretary).post(
        reverse("reports:pack_edit", args=[pack.pk]),
        {
            "data_month": typed,
            "brief_summary": "A summary typed with a wrong month.",
            "contact_name": "Sam Jones",
            f"highlight_{priorities[0].pk}": "A highlight typed with it.",
            "action": "save",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and message in html
    assert "A summary typed with a wrong month.</textarea>" in html
    assert 'value="Sam Jones"' in html and "A highlight typed with it.</textarea>" in html
    pack.refresh_from_db()
    assert pack.data_month == Month(2018, 8)
    assert pack.brief_summary == "Quarter Two went well for the Carers scheme."


def test_the_service_refuses_a_data_month_outside_the_quarters_year(pack):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        pack_text_save(pack=pack, text={"data_month": Month(2019, 4)})
    assert refused.value.message_dict["data_month"] == [
        "The data month must be in 2018/19, the financial year of Quarter Two 2018/19: April "
        "2019 is in 2019/20."
    ]
    pack.refresh_from_db()
    assert pack.data_month == Month(2018, 8)  # the quarter's, as every new pack starts


@pytest.fixture
def month4_and_5(schemes_with_finance):
    """Budgets for 2018/19, forecasts at Month 4 and Month 5 only (tests/finance's data)."""
    finance_file_import(data=finance_csv(BUDGETS_2018 + MONTH_4 + MONTH_5), file_name="m5.csv")


@pytest.fixture
def schemes_with_finance(area):
    ccg, scc = area.partners.get(code="CCG"), area.partners.get(code="SCC")
    return [
        SchemeFactory(area=area, number=1, name="Carers", host=scc),
        SchemeFactory(area=area, number=2, name="Clusters", host=ccg),
        SchemeFactory(area=area, number=8, name="Transforming Long Term Care", host=scc),
    ]


def test_a_data_month_without_forecasts_reports_the_latest_earlier_month_and_says_so(
    pack, month4_and_5
):
    pack = pack_text_save(pack=pack, text={"data_month": Month(2018, 9)})
    assembly = PackAssembly(pack, version_label="Test")
    html = "".join(assembly.render_sections(medium="screen", public=False))
    assert "Activity data up to Month 6, 30 September 2018." in html
    assert (
        "No forecasts have been made for Month 6, 30 September 2018 yet, so this is the position "
        "at Month 5, 31 August 2018, the latest month of 2018/19 with forecasts." in html
    )
    month_5 = finance_position(area=pack.area, month=Month(2018, 8))
    words = describe_position(month_5, drivers=False)
    assert f"At Month 5, 31 August 2018, the pooled fund shows {words}" in html
    resources = assembly.figures()["sections"]["resources"]
    kept = {key: value for key, value in resources.items() if key not in ("drivers", "offsets")}
    assert kept == month_5.as_dict()

    # Before the first forecast of the year there is no position, and the pack says so.
    pack = pack_text_save(pack=pack, text={"data_month": Month(2018, 6)})
    assembly = PackAssembly(pack, version_label="Test")
    html = "".join(assembly.render_sections(medium="screen", public=False))
    assert (
        "No forecast outturn has been recorded for 2018/19 up to Month 3, 30 June 2018, so there "
        "is no finance position to report." in html
    )
    assert "resources" not in assembly.figures()["sections"] and assembly.charts == []


def test_a_pack_whose_year_has_no_finance_says_so_and_invents_nothing(pack, login, analyst):
    built = build(pack, outputs=(FULL, PUBLIC))
    text = flat(" ".join(pdf_pages(built.pdfs[FULL].pdf)))
    assert "No pooled fund has been recorded for 2018/19." in text
    assert (
        "No forecast outturn has been recorded for 2018/19 up to Month 5, 31 August 2018, so "
        "there is no finance position to report." in text
    )
    assert "so there is no finance table to give." in text
    assert "£" not in text  # not a single amount
    figures = json.loads(built.figures_json)
    assert "resources" not in figures["sections"]
    assert figures["sections"]["overview"]["pooled_fund"]["recorded"] is False

    book = openpyxl.load_workbook(
        io.BytesIO(login(analyst).get(reverse("reports:pack_export", args=[pack.pk])).content)
    )
    assert book.sheetnames == ["About", "Schemes", "Key highlights", "Portfolio"]


def test_the_finance_position_is_read_once_for_both_sections(pack, month4_and_5):
    """Section 8 and appendix 2 (and the overview's pool) share one reading of the finance, so
    they cannot disagree even if an import lands while the pack is put together."""
    with CaptureQueriesContext(connection) as queries:
        PackAssembly(pack, version_label="Test")
    forecast_reads = [
        query["sql"]
        for query in queries.captured_queries
        if 'FROM "finance_forecast"' in query["sql"]
    ]
    assert len(forecast_reads) == 2  # the months with forecasts, then the position


def test_the_pack_page_reads_a_fixed_number_of_queries_however_much_finance(
    pack, month4_and_5, login, secretary, area, django_assert_num_queries
):
    client = login(secretary)
    url = reverse("reports:pack_detail", args=[pack.pk])
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as three_schemes:
        page = client.get(url).content.decode()
    assert "Transforming Long Term Care" in page and "data-plotly-for=" in page

    # Seven more schemes with budgets and forecasts for every month to the data month.
    scc = area.partners.get(code="SCC")
    rows = []
    for number in range(11, 18):
        SchemeFactory(area=area, number=number, name=f"Scheme {number}", host=scc)
        rows.append([AREA, "2018-19", number, "SCC", "budget", "", "100000"])
        rows += [
            [AREA, "2018-19", number, "SCC", "forecast", f"2018-{month:02d}", "101000"]
            for month in range(4, 9)
        ]
    finance_file_import(data=finance_csv(rows), file_name="more.csv")
    with django_assert_num_queries(len(three_schemes)):
        page = client.get(url).content.decode()
    assert "Scheme 17" in page


def test_the_preview_loads_plotly_for_the_chart(demo_pack, login, secretary):
    response = login(secretary).post(
        reverse("reports:pack_edit", args=[demo_pack.pk]),
        {"data_month": "2018-08", "brief_summary": "Previewed.", "action": "preview"},
    )
    html = response.content.decode()
    assert "Previewed." in html and "data-plotly-for=" in html
    # plotly.js is loaded in the head, before the figures that call it.
    assert html.index("plotly-strict.min.js") < html.index("data-plotly-for=")


def test_the_public_version_can_leave_out_appendix_2_and_then_does_not_point_to_it(demo_pack):
    pack = pack_text_save(pack=demo_pack, text={}, exempt_sections=["finance-appendix"])
    built = build(pack, outputs=(FULL, PUBLIC))
    full = flat(" ".join(pdf_pages(built.pdfs[FULL].pdf)))
    public = flat(" ".join(pdf_pages(built.pdfs[PUBLIC].pdf)))
    assert "Appendix 2 gives the position of each scheme by partner." in full
    assert "All schemes" in full
    assert MONTH_5_WORDS in public  # the resource implications stay public
    assert "Appendix 2 gives the position" not in public and "All schemes" not in public
    assert "leaves out Appendix 2, “Finance by scheme and partner”" in public
