"""The analyst's pages: the dashboard and its exports, a page per metric, the upload ->
preview -> apply journey and SPC recalculation points, with areas and roles kept apart."""

import csv
import io
import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bettercare.models import StagedImport
from bettercare.periods import FinancialYear, Month
from bettercare.roles import Role
from metrics.models import Metric, MetricSettings, MetricValue, SpcRecalculation

from .factories import (
    MetricValueFactory,
    PopulationFactory,
    figures_csv,
    monthly,
    revise_plans,
)

pytestmark = pytest.mark.django_db
SOTON = "E06000045"
DASHBOARD = reverse("metrics:index")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def comparable(text: str) -> str:
    """Cell text without markup or icons, brackets or semicolons (the export's separators)."""
    text = text_of(re.sub(r"<svg.*?</svg>", "", text, flags=re.S)).replace("&amp;", "&")
    return re.sub(r"[();]", "", text)


def export(client, query: str):
    response = client.get(f"{DASHBOARD}?{query}")
    assert response.status_code == 200
    return response


def test_dashboard_shows_each_metric_with_labels_written_out(login, analyst, board_figures):
    board_figures.current_quarter = "2018-19-Q2"
    board_figures.save()
    page = login(analyst).get(DASHBOARD).content.decode()
    assert "Metrics: Month 5, 31 August 2018" in page
    table = text_of(page.split('data-testid="dashboard-table"')[1].split("</table>")[0])
    assert "Non Elective Admissions" in table
    assert "Slightly Off Track (1% higher than target)" in table
    assert "Off Track (20% higher than target)" in table
    assert "On Track (3.5% vs. 3.5% target)" in table  # the DTOC rate: both figures
    assert "No Target set" in table and "Data not available" in table
    assert 'class="bc-rag bc-rag--amber">Slightly Off Track<' in page
    assert "Southern Health did not submit DTOC data for May." in page  # caveat footnote
    assert 'data-testid="illustrative"' not in page  # these figures are not the demo's


def test_dashboard_filters_by_group_breakdown_and_month(login, analyst, board_figures):
    client = login(analyst)
    page = client.get(f"{DASHBOARD}?month=2018-08&group=prevention").content.decode()
    assert "Injuries due to falls" in page and "Non Elective Admissions" not in page
    page = client.get(f"{DASHBOARD}?month=2018-08&breakdown=age_band%3A65%2B").content.decode()
    assert "age band: 65+" in page
    rows = page.split('data-testid="dashboard-table"')[1].split("</tbody>")[0]
    assert rows.count('class="nhsuk-table__row') == 2  # the header row and Non Elective only
    assert "5,500" in rows
    page = client.get(f"{DASHBOARD}?month=2018-07").content.decode()
    assert "Month 4, 31 July 2018" in page


def test_an_impossible_filter_is_explained_not_shown_as_an_empty_table(
    login, analyst, board_figures
):
    client = login(analyst)
    response = client.get(f"{DASHBOARD}?month=2030-01")
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Select a valid choice" in page
    assert 'data-testid="dashboard-table"' not in page
    # Its export shows the same page instead of an empty file.
    response = client.get(f"{DASHBOARD}?month=2030-01&_export=csv")
    assert response["Content-Type"].startswith("text/html")


def test_csv_and_xlsx_exports_hold_exactly_what_is_shown(login, analyst, board_figures):
    client = login(analyst)
    query = "month=2018-08&group=urgent_care_demand"
    page = client.get(f"{DASHBOARD}?{query}").content.decode()
    table = page.split('data-testid="dashboard-table"')[1].split("</table>")[0]
    headers = [text_of(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]
    csv_response = export(client, f"{query}&_export=csv")
    assert csv_response["Content-Disposition"] == (
        'attachment; filename="metrics-E06000045-2018-08.csv"'
    )
    rows = list(csv.reader(io.StringIO(csv_response.content.decode())))
    # The page writes the group under the metric's name, a caveat under the data status and
    # each difference under its rating; the exports give each a column of its own, and the
    # figures' unit.
    assert [header for header in rows[0] if header not in EXPORT_ONLY] == headers
    assert [row[0] for row in rows[1:]] == [
        "A&E Attendances (Type 1, Main ED)",
        "Non Elective Admissions",
        "Non Elective Short Stay Admissions (length of stay 0 days)",
        "Non Elective Super Stranded Admissions (length of stay 21 days or more)",
    ]
    nel = dict(zip(rows[0], rows[2], strict=True))
    # Figures unformatted in the CSV, the rating's label beside its difference.
    assert nel["YTD"] == "12020" and nel["YTD plan"] == "11850"
    assert nel["Unit"] == "Count"
    assert nel["Against plan"] == "Slightly Off Track"
    assert round(float(nel["Difference from plan (%)"])) == 1
    assert nel["Against last year"] == "Slightly Worse"
    assert round(float(nel["Difference from last year (%)"])) == 3
    assert nel["SPC"].startswith("Common cause variation")
    # Every exported cell says what its cell on the page says (the page rounds figures for
    # their unit and adds the metric's group and comparison rule under its name).
    page_rows = [
        [comparable(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.split("<tbody")[1], re.S)
    ]
    for exported, shown in zip(rows[1:], page_rows, strict=True):
        cells = dict(zip(rows[0], exported, strict=True))
        assert comparable(cells["Group"]) in shown[0]
        for header, shown_cell in zip(headers, shown, strict=True):
            value = cells[header]
            if re.fullmatch(r"-?\d+(\.\d+)?", value):
                value = f"{round(float(value)):,}"  # a count, shown with its thousands
            assert comparable(value) in shown_cell, (header, value, shown_cell)

    xlsx = export(client, f"{query}&_export=xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    sheet = book.active
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header == rows[0]
    nel_cells = dict(zip(header, sheet[3], strict=True))
    assert nel_cells["YTD"].value == 12020 and nel_cells["YTD"].number_format == "#,##0"
    assert nel_cells["Against plan"].value == "Slightly Off Track"
    assert nel_cells["Difference from plan (%)"].number_format == '0.0"%"'
    values = [["" if cell is None else str(cell) for cell in row] for row in sheet.values]
    assert [[value.removesuffix(".0") for value in row] for row in values] == [
        [value.removesuffix(".0") for value in row] for row in rows
    ]  # the same values as the CSV


EXPORT_ONLY = (
    "Unit",
    "Group",
    "Caveat",
    "Difference from plan (%)",
    "Difference from last year (%)",
)

def test_dashboard_queries_do_not_grow_with_the_data(
    login, analyst, board_figures, other_area, load, django_assert_num_queries
):
    client = login(analyst)
    url = f"{DASHBOARD}?month=2018-08"
    # 15: the summary reads the figures, the populations and the plans revisions replaced; the
    # SPC series, the recalculation points and the analyst's SPC options; the complete data
    # month the page states (two); the page the rest (the role held in the area comes with
    # the memberships the middleware reads).
    with django_assert_num_queries(15) as first:
        client.get(url)
    # Ten more years, another area, breakdowns, a recalculation point, populations, a plan
    # revision and the analyst's SPC options.
    more = []
    for metric in ("nel_admissions", "ae_attendances", "falls_injuries_65"):
        more += monthly(SOTON, metric, Month(2015, 4), range(1000, 1036))
        more += monthly(other_area.code, metric, Month(2016, 4), range(1, 30))
        more += monthly(SOTON, metric, Month(2016, 4), range(1, 25), breakdown="provider:UHS")
    load(figures_csv(more))
    SpcRecalculation.objects.create(
        area=board_figures,
        metric_id=MetricValue.objects.first().metric_id,
        month=Month(2017, 4),
        reason="New model",
        created_by=analyst,
    )
    for year in (2017, 2018):
        for group in ("18+", "65+"):
            PopulationFactory(
                area=board_figures, financial_year=FinancialYear(year), age_group=group
            )
    revise_plans(
        board_figures,
        Metric.objects.get(code="nel_admissions"),
        {"2018-07": 2300, "2018-08": 2300},
        effective=date(2018, 7, 1),
    )
    MetricSettings.objects.create(
        area=board_figures,
        metric=Metric.objects.get(code="nel_admissions"),
        spc_baseline_points=12,
        updated_by=analyst,
    )
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_scheme_leads_and_secretaries_read_but_only_analysts_import(
    login, lead, secretary, board_figures
):
    for reader in (lead, secretary):
        client = login(reader)
        assert client.get(DASHBOARD).status_code == 200
        assert client.get(reverse("metrics:import")).status_code == 403
        page = client.get(DASHBOARD).content.decode()
        assert "Upload metric figures" not in page
    nobody = login(lead)
    nobody.force_login(lead)
    assert nobody.post(reverse("metrics:import"), {}).status_code == 403


def test_a_user_without_a_role_may_not_see_metrics(login, make_user, area):
    roleless = make_user("roleless", Role.SCHEME_LEAD, [area])
    roleless.groups.clear()
    roleless.area_memberships.update(role="")  # the role held in the area
    assert login(roleless).get(DASHBOARD).status_code == 403


def test_metric_page_shows_charts_and_only_this_areas_figures(
    login, analyst, board_figures, other_area
):
    MetricValueFactory(area=other_area, value=77777)
    client = login(analyst)
    response = client.get(reverse("metrics:metric", args=["nel_admissions"]) + "?month=2018-08")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="trend-chart"' in page and 'data-testid="spc-chart"' in page
    assert 'data-testid="breakdown-chart"' in page
    assert "data-plotly-for=" in page and "plotly-strict.min" in page
    assert "Slightly Off Track" in page
    assert "77,777" not in page
    assert "Age band: 65+" in page  # a figure in the values table
    missing = client.get(reverse("metrics:metric", args=["no_such_metric"]))
    assert missing.status_code == 404
    assert "There is no metric with the code" in missing.content.decode()


def test_upload_preview_apply(login, analyst, board_figures):
    client = login(analyst)
    content = figures_csv(
        [
            (SOTON, "nel_admissions", "2018-08", "actual", "2395", "", "final"),  # replaces 2390
            (SOTON, "nel_admissions", "2018-09", "actual", "2410"),  # new
            (SOTON, "nel_admissions", "2018-07", "actual", "2460"),  # unchanged
        ]
    )
    upload = io.BytesIO(content)
    upload.name = "september.csv"
    response = client.post(reverse("metrics:import"), {"file": upload})
    assert response.status_code == 302
    staged = StagedImport.objects.get()
    assert response["Location"] == reverse("metrics:import_preview", args=[staged.pk])
    assert MetricValue.objects.get(
        period="2018-08", series="actual", breakdown="", metric__code="nel_admissions"
    ).value == D(2390)

    preview = client.get(response["Location"])
    page = preview.content.decode()
    assert re.search(r'data-testid="count-new">\s*1<', page)
    assert re.search(r'data-testid="count-replaced">\s*1<', page)
    assert re.search(r'data-testid="count-unchanged">\s*1<', page)
    changes = text_of(page.split('data-testid="import-changes"')[1].split("</table>")[0])
    assert "Replaced nel_admissions 2018-08 actual Area as a whole 2,390 2,395" in changes
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', page).group(1)

    applied = client.post(response["Location"], {"fingerprint": fingerprint}, follow=True)
    assert "Imported september.csv: 1 new, 1 replaced, 1 unchanged." in applied.content.decode()
    assert MetricValue.objects.get(
        period="2018-08", series="actual", breakdown="", metric__code="nel_admissions"
    ).value == D(2395)
    assert client.get(response["Location"]).status_code == 404  # applied: gone


def test_a_bad_upload_lists_every_problem_and_keeps_nothing(
    login, analyst, board_figures, other_area
):
    client = login(analyst)
    before = MetricValue.objects.count()
    upload = io.BytesIO(
        figures_csv(
            [
                (SOTON, "nel_admissions", "2018-09", "actual", "2410"),
                (other_area.code, "nel_admissions", "2018-09", "actual", "1"),
                (SOTON, "nel_admissions", "2018-10", "actual", "lots"),
            ]
        )
    )
    upload.name = "bad.csv"
    response = client.post(reverse("metrics:import"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 400
    assert "bad.csv was not imported: 2 rows have problems" in page
    problems = text_of(page.split('data-testid="import-problems"')[1].split("</table>")[0])
    assert "3 area The row is for Portsmouth (E06000044)" in problems
    assert "4 value The value “lots” is not a number" in problems
    assert not StagedImport.objects.exists()
    assert MetricValue.objects.count() == before

    not_a_table = io.BytesIO(b"hello")
    not_a_table.name = "notes.txt"
    response = client.post(reverse("metrics:import"), {"file": not_a_table})
    assert "Choose a CSV or XLSX file." in response.content.decode()


def test_a_preview_belongs_to_its_area_and_goes_stale_when_figures_move(
    login, analyst, make_user, board_figures, other_area, load
):
    client = login(analyst)
    upload = io.BytesIO(figures_csv([(SOTON, "nel_admissions", "2018-08", "actual", "1")]))
    upload.name = "a.csv"
    client.post(reverse("metrics:import"), {"file": upload})
    staged = StagedImport.objects.get()
    url = reverse("metrics:import_preview", args=[staged.pk])
    fingerprint = re.search(
        r'name="fingerprint" value="([0-9a-f]+)"', client.get(url).content.decode()
    ).group(1)

    elsewhere = make_user("portsmouth-analyst", Role.ANALYST, [other_area])
    stranger = login(elsewhere)
    assert stranger.get(url).status_code == 404
    assert stranger.post(url, {"fingerprint": fingerprint}).status_code == 404

    load(figures_csv([(SOTON, "nel_admissions", "2018-08", "actual", "2")]))
    client = login(analyst)
    response = client.post(url, {"fingerprint": fingerprint}, follow=True)
    assert "changed after the preview" in response.content.decode()
    assert MetricValue.objects.get(
        period="2018-08", series="actual", breakdown="", metric__code="nel_admissions"
    ).value == D(2)


def test_analysts_add_and_remove_recalculation_points(
    login, analyst, secretary, board_figures, other_area
):
    client = login(analyst)
    url = reverse("metrics:recalculation_add", args=["nel_admissions"])
    response = client.post(url, {"month": "2018-06", "reason": "Frailty unit opened"})
    assert response.status_code == 302
    point = SpcRecalculation.objects.get()
    assert (point.area, point.month, point.reason) == (
        board_figures,
        Month(2018, 6),
        "Frailty unit opened",
    )
    page = client.get(reverse("metrics:metric", args=["nel_admissions"])).content.decode()
    assert "From June 2018: Frailty unit opened" in page

    refused = client.post(url, {"month": "June", "reason": ""}, follow=True).content.decode()
    assert "The recalculation point was not added" in refused
    assert SpcRecalculation.objects.count() == 1

    assert login(secretary).post(url, {"month": "2018-07", "reason": "x"}).status_code == 403
    remove = reverse("metrics:recalculation_remove", args=["nel_admissions", point.pk])
    assert login(secretary).post(remove).status_code == 403
    theirs = SpcRecalculation.objects.create(
        area=other_area, metric=point.metric, month=Month(2018, 1), reason="x", created_by=analyst
    )
    other = reverse("metrics:recalculation_remove", args=["nel_admissions", theirs.pk])
    assert login(analyst).post(other).status_code == 404
    assert login(analyst).post(remove).status_code == 302
    assert list(SpcRecalculation.objects.all()) == [theirs]


def test_home_page_tells_the_analyst_whether_the_quarters_figures_are_in(
    login, analyst, secretary, board_figures
):
    board_figures.current_quarter = "2018-19-Q2"
    board_figures.save()
    page = login(analyst).get(reverse("home")).content.decode()
    assert "Monthly metrics for Q2 2018/19" in page
    assert "Every monthly metric is loaded up to Month 5, 31 August 2018." in page
    board_figures.current_quarter = "2018-19-Q3"
    board_figures.save()
    page = login(analyst).get(reverse("home")).content.decode()
    assert "The report needs them up to Month 8, 30 November 2018." in page
    page = login(secretary).get(reverse("home")).content.decode()
    assert "Metrics for the Q3 2018/19 pack" in page


def test_an_early_upload_of_a_few_september_rows_moves_neither_the_dashboard_nor_the_home_page(
    login, analyst, secretary, board_figures, load
):
    """One early upload of three September rows: the dashboard still opens on August, where
    every monthly metric has a figure, and says which metrics have later ones; so does the
    home page. Choosing September still shows it."""
    board_figures.current_quarter = "2018-19-Q2"
    board_figures.save()
    load(
        figures_csv(
            [
                (SOTON, "nel_admissions", "2018-09", "actual", "2410", "", "", ""),
                (SOTON, "ae_attendances", "2018-09", "actual", "6120", "", "", ""),
                (SOTON, "ae_attendances", "2018-10", "actual", "6100", "", "", ""),
            ]
        )
    )
    page = login(analyst).get(reverse("metrics:index")).content.decode()
    assert "Metrics: Month 5, 31 August 2018" in page
    assert "Every monthly metric has figures up to Month 5, 31 August 2018." in page
    assert (
        "A&amp;E Attendances (Type 1, Main ED) has figures to October 2018; and Non Elective "
        "Admissions has figures to September 2018." in page
    )
    home = login(secretary).get(reverse("home")).content.decode()
    assert "Every monthly metric is loaded up to Month 5, 31 August 2018." in home
    assert "Non Elective Admissions has figures to September 2018." in home
    chosen = login(analyst).get(reverse("metrics:index") + "?month=2018-09").content.decode()
    assert "Metrics: Month 6, 30 September 2018" in chosen


def test_administrators_keep_the_catalogue_and_read_figures_with_their_history(
    login, administrator, board_figures
):
    client = login(administrator)
    assert client.get(reverse("admin:metrics_metric_changelist")).status_code == 200
    metric = MetricValue.objects.filter(series="actual").first().metric
    change = client.get(reverse("admin:metrics_metric_change", args=[metric.pk]))
    assert change.status_code == 200
    assert 'name="code"' not in change.content.decode()  # the code never changes
    assert client.get(reverse("admin:metrics_metricvalue_changelist")).status_code == 200
    value = MetricValue.objects.first()
    history = client.get(reverse("admin:metrics_metricvalue_history", args=[value.pk]))
    assert history.status_code == 200
    assert "Imported from figures.csv" in history.content.decode()
    assert client.get(reverse("admin:metrics_metricimport_changelist")).status_code == 200
