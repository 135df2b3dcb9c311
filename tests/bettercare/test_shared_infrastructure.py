"""Staged uploads, chart rendering and static files shared by the apps."""

import datetime as dt

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


def test_plotly_js_is_served_from_the_python_package_and_nothing_else_of_it():
    assert finders.find("plotly/plotly.min.js").endswith("plotly.min.js")
    assert finders.find("plotly/widgetbundle.js") is None


def test_figures_render_as_html_fragments_and_vector_svg():
    figure = go.Figure(
        [
            go.Scatter(x=[1, 2, 3], y=[5, 3, 4], name="Actual"),
            go.Scatter(x=[1, 2, 3], y=[4, 4, 4], name="Plan"),
        ]
    )
    figure = house_style(figure, title="T")
    html = figure_html(figure)
    assert "<html" not in html and "Plotly.newPlot" in html
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
