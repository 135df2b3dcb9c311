"""Each import page offers a template to fill in (CSV and XLSX): the header, an example row for
the person's area, and a sheet describing each column. A template filled in as offered imports."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from bettercare.roles import Role
from finance.imports import COLUMNS, OPTIONAL_COLUMNS
from metrics.imports import COLUMNS as METRIC_COLUMNS


@pytest.fixture
def metrics_analyst(make_user, area):
    return make_user("analyst", Role.ANALYST, [area])


@pytest.mark.parametrize(
    ("app", "columns"), [("metrics", METRIC_COLUMNS), ("finance", COLUMNS + OPTIONAL_COLUMNS)]
)
def test_templates_hold_the_header_an_example_and_a_description(
    login, metrics_analyst, area, carers, app, columns
):
    client = login(metrics_analyst)
    page = client.get(reverse(f"{app}:import")).content.decode()
    assert 'data-testid="import-template"' in page

    response = client.get(reverse(f"{app}:import_template", kwargs={"file_format": "csv"}))
    assert response["Content-Type"].startswith("text/csv")
    assert f"{app}-template-E06000045.csv" in response["Content-Disposition"]
    header, example = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(header) == columns
    assert example[0] == "E06000045"

    response = client.get(reverse(f"{app}:import_template", kwargs={"file_format": "xlsx"}))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Data", "Columns"]
    data = book["Data"]
    assert tuple(cell.value for cell in data[1]) == columns
    assert data[2][0].value == "E06000045"
    assert data.freeze_panes == "A2"
    described = {row[0].value: row[2].value for row in book["Columns"].iter_rows(min_row=2)}
    assert all(described[column] for column in columns)

    missing = client.get(reverse(f"{app}:import_template", kwargs={"file_format": "pdf"}))
    assert missing.status_code == 404


def test_a_scheme_lead_gets_no_template(login, lead):
    url = reverse("metrics:import_template", kwargs={"file_format": "csv"})
    assert login(lead).get(url).status_code == 403


def test_the_metrics_template_as_downloaded_passes_the_import_check(login, metrics_analyst, area):
    from bettercare.periods import Quarter
    from metrics.imports import metric_file_check

    area.current_quarter = Quarter.parse("2018-19-Q2")
    area.save()
    client = login(metrics_analyst)
    for file_format in ("csv", "xlsx"):
        url = reverse("metrics:import_template", kwargs={"file_format": file_format})
        content = client.get(url).content
        plan = metric_file_check(
            content=content, file_name=f"template.{file_format}", only_area=area
        )
        assert plan.counts["new"] == 1
