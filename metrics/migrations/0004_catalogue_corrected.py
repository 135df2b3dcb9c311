"""The catalogue corrected to measure what the boards measure, keeping every figure held.

- Average daily delays (dtoc_avg_daily_delays) are delayed patients per day, split NHS / Adult
  Social Care / Joint (attribution breakdowns), not a rate. The figures held under it were
  loaded as the catalogue then defined it, per 100,000 population aged 18+: they move, with
  their history, to the new rate metric dtoc_delays_per_100k_18 (which is otherwise worked out
  from the average daily delays and the population).
- Reablement (reablement_91) is an annual measure. Monthly figures held for it move to a local
  metric, reablement_91_monthly, made for them, so nothing is lost; the annual metric starts
  empty for the year's published figures.
- Super-stranded admissions belong to Urgent Care Demand.
- New: permanent admissions of people aged 65+ per 100,000 (worked out from the admissions),
  and the directly standardised rate of falls injuries 65+ (loaded as published).

Only the fields the correction is about are changed on metrics already held, so an
administrator's own edits (thresholds, wording, order) stay. The entries are frozen here as
they stood when this migration was written.
"""

from decimal import Decimal

from django.db import migrations
from django.utils import timezone

DISCHARGE, URGENT, PREVENTION = "discharge", "urgent_care_demand", "prevention"
REASON_DELAYS = "Catalogue corrected: held as per 100,000 aged 18+"
REASON_REABLEMENT = "Catalogue corrected: reablement is annual"

CORRECTED = {
    "dtoc_avg_daily_delays": {
        "unit": "per_day",
        "rate_population": "",
        "description": (
            "Delayed patients per day: the month's delayed days divided by its days; broken "
            "down by attribution (NHS, Adult Social Care, Joint). The measure of the 2018/19 "
            "national DTOC expectations."
        ),
    },
    "nel_super_stranded": {"group": URGENT},
    "reablement_91": {
        "frequency": "annual",
        "description": (
            "Proportion of people aged 65+ discharged from hospital into reablement or "
            "rehabilitation who are still at home 91 days later; an annual measure, one "
            "figure a year."
        ),
    },
}

# (entry, the metric it follows in the dashboard's order)
NEW = [
    (
        {
            "code": "dtoc_delays_per_100k_18",
            "name": "Delayed Transfers of Care: delayed days per day per 100,000 population "
            "aged 18+",
            "group": DISCHARGE,
            "unit": "rate",
            "rate_population": "population aged 18+",
            "rate_of": "dtoc_avg_daily_delays",
            "age_group": "18+",
            "direction": "lower",
            "ytd_rule": "latest",
            "scope": "national",
            "frequency": "monthly",
            "first_year": "2015-16",
            "last_year": "2019-20",
            "description": (
                "Average daily delays per 100,000 population aged 18+, worked out from the "
                "average daily delays and the area's population."
            ),
        },
        "dtoc_avg_daily_delays",
    ),
    (
        {
            "code": "res_admissions_65_rate",
            "name": "Permanent admissions of people aged 65+ to residential and nursing care, "
            "per 100,000",
            "group": DISCHARGE,
            "unit": "rate",
            "rate_population": "population aged 65+",
            "rate_of": "res_admissions_65",
            "age_group": "65+",
            "direction": "lower",
            "ytd_rule": "sum",
            "scope": "national",
            "frequency": "monthly",
            "first_year": "2015-16",
            "last_year": "",
            "description": (
                "Permanent admissions per 100,000 population aged 65+ (the national measure), "
                "worked out from the admissions and the area's population; the year to date "
                "adds up the months."
            ),
        },
        "res_admissions_65",
    ),
    (
        {
            "code": "falls_injuries_65_rate",
            "name": "Injuries due to falls, people aged 65+: directly standardised rate",
            "group": PREVENTION,
            "unit": "rate",
            "rate_population": "population aged 65+",
            "direction": "lower",
            "ytd_rule": "latest",
            "scope": "local",
            "frequency": "annual",
            "first_year": "2015-16",
            "last_year": "",
            "description": (
                "Emergency admissions for injuries due to falls among residents aged 65+, "
                "directly age-standardised rate per 100,000, as published yearly (it needs the "
                "figures by age, so it is loaded, not worked out)."
            ),
        },
        "falls_injuries_65",
    ),
]

REABLEMENT_MONTHLY = {
    "code": "reablement_91_monthly",
    "name": "Older people (65+) still at home 91 days after discharge into reablement: "
    "monthly figures",
    "group": DISCHARGE,
    "unit": "percent",
    "rate_population": "",
    "direction": "higher",
    "ytd_rule": "latest",
    "scope": "local",
    "frequency": "monthly",
    "first_year": "2015-16",
    "last_year": "",
    "description": (
        "Monthly figures loaded before reablement became an annual measure in the catalogue, "
        "kept as local monitoring."
    ),
}


def _create(Metric, entry: dict, *, after, rate_of=None):
    fields = {key: value for key, value in entry.items() if key not in {"code", "rate_of"}}
    fields.setdefault("age_group", "")
    fields.update(
        amber_above=Decimal(0),
        red_from=Decimal(10),
        display_order=(after.display_order if after else 0) + 5,
        rate_of=rate_of,
    )
    metric, created = Metric.objects.get_or_create(code=entry["code"], defaults=fields)
    if not created and rate_of is not None and metric.rate_of_id is None:
        # Made by hand before the correction: it becomes the worked-out rate it was meant as.
        Metric.objects.filter(pk=metric.pk).update(rate_of=rate_of, age_group=fields["age_group"])
    return metric


def _move(apps, values, metric, reason: str) -> int:
    """Point the figures at `metric`, with a history record each, as the admin shows them."""
    HistoricalMetricValue = apps.get_model("metrics", "HistoricalMetricValue")
    rows = list(values)
    now = timezone.now()
    fields = ["id", "area_id", "period", "end_month", "series", "breakdown", "value", "status"]
    fields += ["note", "source_id"]
    HistoricalMetricValue.objects.bulk_create(
        [
            HistoricalMetricValue(
                **{name: getattr(row, name) for name in fields},
                metric_id=metric.pk,
                history_date=now,
                history_change_reason=reason,
                history_type="~",
            )
            for row in rows
        ]
    )
    values.model.objects.filter(pk__in=[row.pk for row in rows]).update(metric=metric)
    return len(rows)


def correct(apps, schema_editor):
    Metric = apps.get_model("metrics", "Metric")
    MetricValue = apps.get_model("metrics", "MetricValue")
    held = {metric.code: metric for metric in Metric.objects.all()}

    for entry, after in NEW:
        rate_of = held.get(entry.get("rate_of"))
        held[entry["code"]] = _create(Metric, entry, after=held.get(after), rate_of=rate_of)

    delays = held.get("dtoc_avg_daily_delays")
    if delays is not None:
        _move(
            apps,
            MetricValue.objects.filter(metric=delays),
            held["dtoc_delays_per_100k_18"],
            REASON_DELAYS,
        )

    reablement = held.get("reablement_91")
    if reablement is not None:
        # Monthly periods are written 2018-08; a financial year 2018-19.
        monthly = MetricValue.objects.filter(metric=reablement, period__regex=r"^\d{4}-\d{2}$")
        if monthly.exists():
            kept = _create(Metric, REABLEMENT_MONTHLY, after=reablement)
            _move(apps, monthly, kept, REASON_REABLEMENT)
        # Any other period (a quarter) cannot be an annual figure either: kept the same way.
        other = MetricValue.objects.filter(metric=reablement, period__regex=r"^\d{4}-\d{2}-Q")
        if other.exists():
            entry = {**REABLEMENT_MONTHLY, "code": "reablement_91_quarterly"}
            entry.update(frequency="quarterly", name=entry["name"].replace("monthly", "quarterly"))
            _move(apps, other, _create(Metric, entry, after=reablement), REASON_REABLEMENT)

    for code, fields in CORRECTED.items():
        Metric.objects.filter(code=code).update(**fields)


class Migration(migrations.Migration):
    dependencies = [("metrics", "0003_worked_out_rates_populations_plan_revisions")]

    operations = [migrations.RunPython(correct, migrations.RunPython.noop)]
