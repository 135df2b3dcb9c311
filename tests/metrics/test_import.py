"""Importing figures: the whole file is checked first, any bad row refuses it with every problem
named by line, re-imports replace figures and keep history, and nothing else changes."""

import io
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command

from bettercare.imports import Change
from bettercare.periods import Month
from bettercare.tabular import FileRefused, PreviewOutdated
from metrics.imports import metric_file_check
from metrics.models import MetricImport, MetricValue
from metrics.services import metric_file_import

from .factories import HEADER, figures_csv, figures_xlsx, monthly

pytestmark = pytest.mark.django_db
SOTON = "E06000045"


def snapshot():
    return sorted(
        MetricValue.objects.values_list(
            "area__code",
            "metric__code",
            "period",
            "series",
            "breakdown",
            "value",
            "status",
            "note",
        )
    )


def test_a_good_file_is_imported_with_its_breakdowns_statuses_and_notes(area, load):
    content = figures_csv(
        [
            (SOTON, "nel_admissions", "2018-08", "actual", "2,442", "", "provisional"),
            (SOTON, "nel_admissions", "2018-08", "plan", "2424"),
            (SOTON, "nel_admissions", "2018-08", "actual", "1100", "age_band:65+"),
            (
                SOTON,
                "dtoc_delayed_days",
                "2018-05",
                "actual",
                "",
                "provider:Southern Health",
                "not available",
                "Not submitted.",
            ),
            (SOTON, "reablement_91", "2018-08", "actual", "86.2%"),
            (SOTON, "avoidable_admissions", "2023-24-Q2", "actual", "180.5"),
            (SOTON, "falls_admissions_65_rate", "2023/24", "actual", "1890"),
        ]
    )
    result = load(content)
    assert (result.new, result.replaced, result.unchanged) == (7, 0, 0)
    held = {(v.metric.code, v.series, v.breakdown): v for v in MetricValue.objects.all()}
    total = held[("nel_admissions", "actual", "")]
    assert total.value == D(2442) and total.status == "provisional"
    assert total.end_month == Month(2018, 8) and total.period == "2018-08"
    assert held[("nel_admissions", "actual", "age_band:65+")].value == D(1100)
    missing = held[("dtoc_delayed_days", "actual", "provider:Southern Health")]
    assert missing.value is None and missing.status == "not_available"
    assert missing.note == "Not submitted."
    assert held[("reablement_91", "actual", "")].value == D("86.2")
    quarterly = held[("avoidable_admissions", "actual", "")]
    assert quarterly.period == "2023-24-Q2" and quarterly.end_month == Month(2023, 9)
    assert held[("falls_admissions_65_rate", "actual", "")].end_month == Month(2024, 3)
    assert result.record.rows_new == 7 and result.record.via == "command"
    assert all(value.source == result.record for value in held.values())


def test_xlsx_files_are_read_like_csv(area, load):
    rows = [(SOTON, "nel_admissions", "2018-08", "actual", 2442, None, None, None)]
    result = load(figures_xlsx(rows), file_name="figures.xlsx")
    assert result.new == 1
    assert MetricValue.objects.get().value == D(2442)


def test_a_bad_file_changes_nothing_and_names_every_bad_row(area, other_area, load, refusal):
    load(figures_csv(monthly(SOTON, "nel_admissions", Month(2018, 4), [2400, 2350])))
    before = snapshot()
    imports_before = MetricImport.objects.count()
    content = figures_csv(
        [
            (SOTON, "nel_admissions", "2018-04", "actual", "9999"),  # good, would replace
            ("E06000999", "nel_admissions", "2018-05", "actual", "1"),
            (SOTON, "no_such_metric", "2018-05", "actual", "1"),
            (SOTON, "nel_admissions", "2018-13", "actual", "1"),
            (SOTON, "nel_admissions", "2018-06", "actual", "twelve"),
            (SOTON, "nel_admissions", "2018-06", "forecast", "1"),
            (SOTON, "nel_admissions", "2018-07", "actual", "1", "ward:A1"),
            (SOTON, "nel_admissions", "2018-07", "actual", "1", "", "maybe"),
            (SOTON, "nel_admissions", "2018-04", "actual", "9998"),  # repeats line 2
            (SOTON, "nel_admissions", "2018-19-Q2", "actual", "1"),
            (SOTON, "nel_admissions", "2021-04", "actual", "1"),
            (SOTON, "reablement_91", "2018-08", "actual", "101"),
            (SOTON, "nel_admissions", "2018-08", "actual", "-3"),
            (SOTON, "nel_admissions", "2018-09", "actual", ""),
            (SOTON, "nel_admissions", "2018-10", "actual", "5", "", "not available"),
            (SOTON, "nel_admissions", "2018-11", "actual", "1.00001"),
        ]
    )
    refused = refusal(content)
    assert [(p.line, p.column) for p in refused.problems] == [
        (3, "area"),
        (4, "metric"),
        (5, "period"),
        (6, "value"),
        (7, "series"),
        (8, "breakdown"),
        (9, "status"),
        (10, ""),
        (11, "period"),
        (12, "period"),
        (13, "value"),
        (14, "value"),
        (15, "value"),
        (16, "value"),
        (17, "value"),
    ]
    report = refused.report()
    assert report.startswith("figures.csv was not imported: 15 rows have problems.")
    assert "Line 3: unknown area “E06000999”" in report
    assert "Line 6: the value “twelve” is not a number" in report
    assert "Line 10: repeats line 2" in report
    assert "Line 11: nel_admissions is published monthly" in report
    assert "Line 12: nel_admissions is reported from 2015/16 to 2019/20" in report
    assert "Line 13: reablement_91: a percentage cannot be more than 100" in report

    with pytest.raises(FileRefused):
        metric_file_import(content=content, file_name="figures.csv", via="command")
    assert snapshot() == before
    assert MetricImport.objects.count() == imports_before


def test_files_without_the_columns_are_refused_whole(area, refusal):
    refused = refusal(
        b"area,metric,period,series,value\nE06000045,nel_admissions,2018-08,actual,1\n"
    )
    assert "missing columns breakdown, status, note" in str(refused)
    assert "empty" in str(refusal(b""))
    assert "no rows" in refusal(figures_csv([])).report()


def test_an_upload_for_one_area_refuses_rows_for_another(area, other_area, refusal):
    content = figures_csv(
        [
            (SOTON, "nel_admissions", "2018-08", "actual", "1"),
            (other_area.code, "nel_admissions", "2018-08", "actual", "1"),
        ]
    )
    refused = refusal(content, only_area=area)
    assert [str(p) for p in refused.problems] == [
        "Line 3: the row is for Portsmouth (E06000044), but this upload is for Southampton "
        "(E06000045)"
    ]
    # The command takes each row's area, so the same file loads both.
    plan = metric_file_check(content=content, file_name="f.csv")
    assert [a.code for a in plan.areas] == ["E06000044", "E06000045"]


def test_reimporting_replaces_figures_keeps_history_and_reports_unchanged_rows(area, analyst, load):
    load(
        figures_csv(
            [
                (SOTON, "nel_admissions", "2018-07", "actual", "2400", "", "provisional"),
                (SOTON, "nel_admissions", "2018-08", "actual", "2442", "", "provisional"),
            ]
        ),
        user=analyst,
    )
    second = figures_csv(
        [
            (SOTON, "nel_admissions", "2018-07", "actual", "2400", "", "provisional"),  # same
            (SOTON, "nel_admissions", "2018-08", "actual", "2450", "", "final"),  # replaced
            (SOTON, "nel_admissions", "2018-09", "actual", "2500"),  # new
        ]
    )
    plan = metric_file_check(content=second, file_name="second.csv")
    assert plan.counts == {"new": 1, "replaced": 1, "unchanged": 1}
    (replaced,) = plan.of(Change.REPLACED)
    assert (replaced.old_value, replaced.old_status, replaced.value, replaced.status) == (
        D(2442),
        "provisional",
        D(2450),
        "final",
    )

    result = load(second, file_name="second.csv", user=analyst)
    assert (result.new, result.replaced, result.unchanged) == (1, 1, 1)
    august = MetricValue.objects.get(period="2018-08")
    assert (august.value, august.status) == (D(2450), "final")
    history = list(august.history.order_by("history_date", "history_id"))
    assert [(h.history_type, h.value, h.status) for h in history] == [
        ("+", D(2442), "provisional"),
        ("~", D(2450), "final"),
    ]
    assert history[-1].history_user == analyst
    assert history[-1].history_change_reason == "Imported from second.csv"
    july = MetricValue.objects.get(period="2018-07")
    assert july.history.count() == 1  # unchanged rows are not rewritten
    assert MetricValue.objects.count() == 3

    again = load(second, file_name="second.csv")
    assert (again.new, again.replaced, again.unchanged, again.record) == (0, 0, 3, None)


def test_a_breakdown_row_never_changes_the_areas_own_figure(area, load):
    load(figures_csv([(SOTON, "nel_admissions", "2018-08", "actual", "2442")]))
    load(
        figures_csv(
            [
                (SOTON, "nel_admissions", "2018-08", "actual", "1100", "age_band:65+"),
                (SOTON, "nel_admissions", "2018-08", "actual", "900", "age_band:18-64"),
            ]
        )
    )
    own = MetricValue.objects.get(breakdown="")
    assert own.value == D(2442)
    assert MetricValue.objects.filter(breakdown__startswith="age_band:").count() == 2


def test_a_preview_is_not_applied_if_the_figures_moved_since(area, load):
    load(figures_csv([(SOTON, "nel_admissions", "2018-08", "actual", "2442")]))
    content = figures_csv([(SOTON, "nel_admissions", "2018-08", "actual", "2450")])
    seen = metric_file_check(content=content, file_name="f.csv").fingerprint
    load(figures_csv([(SOTON, "nel_admissions", "2018-08", "actual", "2460")]))
    with pytest.raises(PreviewOutdated):
        metric_file_import(
            content=content, file_name="f.csv", via="upload", expected_fingerprint=seen
        )
    assert MetricValue.objects.get().value == D(2460)


def test_import_metrics_command_prints_the_result_or_every_bad_row_and_fails(area, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(figures_csv([(SOTON, "nel_admissions", "2018-08", "actual", "2442")]))
    out = io.StringIO()
    call_command("import_metrics", str(good), stdout=out)
    assert out.getvalue().strip() == "Imported good.csv: 1 new, 0 replaced, 0 unchanged."

    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        figures_csv(
            [
                (SOTON, "nel_admissions", "2018-08", "actual", "9"),
                ("E06000999", "nel_admissions", "2018-08", "actual", "1"),
                (SOTON, "nel_admissions", "2018-09", "actual", "x"),
            ]
        )
    )
    with pytest.raises(CommandError) as caught:
        call_command("import_metrics", str(bad))
    # Django's command runner exits with this status (1) and prints the message to stderr.
    assert caught.value.returncode == 1
    message = str(caught.value)
    assert "Line 3: unknown area “E06000999”" in message
    assert "Line 4: the value “x” is not a number" in message
    assert MetricValue.objects.get().value == D(2442)


def test_header_names_are_the_documented_columns():
    assert HEADER == ["area", "metric", "period", "series", "value", "breakdown", "status", "note"]
