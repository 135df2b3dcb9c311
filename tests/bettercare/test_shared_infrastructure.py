"""Staged uploads, chart rendering and static files shared by the apps."""

import datetime as dt
import json
import re
from pathlib import Path

import plotly.graph_objects as go
import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from bettercare.charts import figure_html, house_style
from bettercare.models import StagedImport
from bettercare.selectors import staged_import_get
from bettercare.services import staged_import_create, staged_import_mark_applied
from reports.drawing import ChartRenderer, SvgJob


@pytest.mark.django_db
def test_staged_import_is_found_only_in_its_area_and_kind_until_applied(area, other_area, analyst):
    staged = staged_import_create(
        area=area, kind="metrics", file_name="m.csv", content=b"area,metric\n", user=analyst
    )
    assert len(staged.sha256) == 64
    assert staged_import_get(pk=staged.pk, area=area, kind="metrics") == staged
    assert staged_import_get(pk=staged.pk, area=other_area, kind="metrics") is None
    assert staged_import_get(pk=staged.pk, area=area, kind="finance") is None
    staged_import_mark_applied(staged=staged)
    assert staged_import_get(pk=staged.pk, area=area, kind="metrics") is None


@pytest.mark.django_db
def test_stale_uploads_are_dropped_when_a_new_one_arrives(area, analyst):
    old = staged_import_create(area=area, kind="metrics", file_name="a", content=b"x", user=analyst)
    StagedImport.objects.filter(pk=old.pk).update(created=timezone.now() - dt.timedelta(days=2))
    staged_import_create(area=area, kind="metrics", file_name="b", content=b"y", user=analyst)
    assert not StagedImport.objects.filter(pk=old.pk).exists()


def test_plotly_js_is_the_strict_bundle_of_the_python_packages_version_and_nothing_else():
    """The strict bundle runs under the Content-Security-Policy (no 'unsafe-eval'); its version
    must be the plotly.js that the plotly Python package builds figures for."""
    from plotly.offline import get_plotlyjs_version

    served = finders.find("plotly/plotly-strict.min.js")
    assert served.endswith("plotly-strict.min.js")
    assert finders.find("plotly/package.json") is None
    assert finders.find("plotly/plotly.min.js") is None  # the full bundle needs unsafe-eval
    package = json.loads((Path(served).parent / "package.json").read_text())
    assert package["version"] == get_plotlyjs_version()


def test_a_chart_is_json_data_that_cannot_end_its_script_block():
    figure = go.Figure([go.Bar(x=["</script><script>alert(1)</script>"], y=[1])])
    html = figure_html(figure)
    assert html.count("</script>") == 1 and "<script>alert" not in html
    element_id = re.search(r'id="(chart-[0-9a-f]+)"', html).group(1)
    data = re.search(rf'data-plotly-for="{element_id}">(.*)</script>', html).group(1)
    assert json.loads(data)["data"][0]["x"] == ["</script><script>alert(1)</script>"]


def test_figures_render_as_html_fragments_and_vector_svg():
    figure = go.Figure(
        [
            go.Scatter(x=[1, 2, 3], y=[5, 3, 4], name="Actual"),
            go.Scatter(x=[1, 2, 3], y=[4, 4, 4], name="Plan"),
        ]
    )
    figure = house_style(figure, title="T")
    html = figure_html(figure)
    assert "<html" not in html and "data-plotly-for=" in html
    with ChartRenderer(tabs=1, idle_seconds=None) as renderer:
        [svg] = renderer.draw([SvgJob(figure, 500, 300)])
    assert svg.startswith("<svg") and 'width="500"' in svg
    assert "Actual" in svg  # the legend is text in the vector image


def test_table_parts_keep_their_own_classes_beside_the_design_systems():
    import django_tables2 as tables
    from django.test import RequestFactory

    class Figures(tables.Table):
        name = tables.Column()
        amount = tables.Column(attrs={"td": {"class": "bc-numeric"}, "th": {"class": "bc-numeric"}})

        class Meta:
            row_attrs = {"class": lambda record: f"row--{record['kind']}", "data-kind": "x"}

    table = Figures([{"name": "Total", "amount": 5, "kind": "total"}])
    html = table.as_html(RequestFactory().get("/"))
    # One class attribute each: a second one would be ignored by browsers and WeasyPrint.
    assert 'class="nhsuk-table__row row--total even" data-kind="x"' in html
    assert 'class="nhsuk-table__cell bc-numeric"' in html
    assert 'class="nhsuk-table__header bc-numeric orderable"' in html
    assert 'class="nhsuk-table__cell"' in html
