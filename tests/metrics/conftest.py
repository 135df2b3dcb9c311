import pytest

from bettercare.periods import Month
from bettercare.tabular import FileRefused
from metrics.imports import metric_file_check
from metrics.models import MetricImport
from metrics.services import metric_file_import

from .factories import figures_csv, monthly

SOTON = "E06000045"
APRIL_2018, APRIL_2017 = Month(2018, 4), Month(2017, 4)


@pytest.fixture
def load(db):
    """`load(csv_bytes)` applies a file through the import service, as the command does."""

    def apply(content: bytes, file_name="figures.csv", **kwargs):
        kwargs.setdefault("via", MetricImport.Via.COMMAND)
        return metric_file_import(content=content, file_name=file_name, **kwargs)

    return apply


@pytest.fixture
def refusal(db):
    """`refusal(csv_bytes)` -> the FileRefused a bad file raises."""

    def check(content: bytes, file_name="figures.csv", **kwargs):
        with pytest.raises(FileRefused) as caught:
            metric_file_check(content=content, file_name=file_name, **kwargs)
        return caught.value

    return check


@pytest.fixture
def board_figures(area, load):
    """Southampton's figures for April to August 2018 and 2017, worked by hand in the tests."""
    rows = [
        *monthly(SOTON, "ae_attendances", APRIL_2018, [6000, 6100, 6050, 6200, 6150]),
        *monthly(SOTON, "ae_attendances", APRIL_2017, [6000] * 5),
        *monthly(SOTON, "nel_admissions", APRIL_2018, [2400, 2350, 2420, 2460, 2390]),
        *monthly(SOTON, "nel_admissions", APRIL_2018, [2370] * 5, series="plan"),
        *monthly(SOTON, "nel_admissions", APRIL_2017, [2300, 2280, 2390, 2400, 2350]),
        *monthly(SOTON, "nel_admissions", APRIL_2018, [1100] * 5, breakdown="age_band:65+"),
        *monthly(SOTON, "nel_short_stay", APRIL_2018, [900] * 5),
        *monthly(SOTON, "nel_super_stranded", APRIL_2018, [220, 219, 220, 220, 220]),
        *monthly(SOTON, "nel_super_stranded", APRIL_2017, [200] * 5),
        (SOTON, "dtoc_delayed_days", "2018-04", "actual", "1100"),
        (
            SOTON,
            "dtoc_delayed_days",
            "2018-05",
            "actual",
            "1050",
            "",
            "provisional",
            "Southern Health did not submit DTOC data for May.",
        ),
        *monthly(SOTON, "dtoc_delayed_days", Month(2018, 6), [1150, 1120, 1080]),
        *monthly(SOTON, "dtoc_delayed_days", APRIL_2018, [920] * 5, series="plan"),
        *monthly(SOTON, "dtoc_delayed_days", APRIL_2017, [1500, 1450, 1400, 1380, 1270]),
        (SOTON, "dtoc_rate", "2018-08", "actual", "3.5"),
        (SOTON, "dtoc_rate", "2018-08", "plan", "3.5"),
        (SOTON, "dtoc_rate", "2017-08", "actual", "3.85"),
        (SOTON, "dtoc_avg_daily_delays", "2018-08", "actual", "11.645"),
        (SOTON, "dtoc_avg_daily_delays", "2018-08", "plan", "11.644"),
        (SOTON, "dtoc_avg_daily_delays", "2017-08", "actual", "21.8"),
        *monthly(SOTON, "res_admissions_65", APRIL_2018, [20, 22]),
        (SOTON, "res_admissions_65", "2018-06", "actual", "", "", "not available"),
        *monthly(SOTON, "res_admissions_65", Month(2018, 7), [21, 23]),
        *monthly(SOTON, "res_admissions_65", APRIL_2018, [21] * 5, series="plan"),
        *monthly(SOTON, "res_admissions_65", APRIL_2017, [22] * 5),
        # reablement is yearly: compared at the year's end (March), not in August
        (SOTON, "reablement_91", "2017-18", "actual", "81"),
        (SOTON, "reablement_91", "2017-18", "plan", "90"),
        (SOTON, "reablement_91", "2016-17", "actual", "90"),
        *monthly(SOTON, "falls_injuries_65", APRIL_2018, [80, 85, 82, 88, 84]),
        *monthly(SOTON, "falls_injuries_65", APRIL_2018, [85] * 5, series="plan"),
        *monthly(SOTON, "falls_injuries_65", APRIL_2017, [84, 80, 82, 83, 85]),
    ]
    load(figures_csv(rows))
    return area
