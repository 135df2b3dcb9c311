"""Loads the metric catalogue as first published into a new database.

The list is frozen here as it stood when this migration was written, so that a new database
always passes through the same states; 0004_catalogue_corrected brings it to the catalogue of
metrics/catalogue.py.
"""

from decimal import Decimal

from django.db import migrations

URGENT = "urgent_care_demand"
DISCHARGE = "discharge"
PREVENTION = "prevention"

# In dashboard order. Rates name the population they are per 100,000 of; last_year "" means
# the metric continues.
CATALOGUE: list[dict] = [
    {
        "code": "ae_attendances",
        "name": "A&E Attendances (Type 1, Main ED)",
        "group": URGENT,
        "unit": "count",
        "rate_population": "",
        "direction": "lower",
        "ytd_rule": "sum",
        "scope": "local",
        "frequency": "monthly",
        "first_year": "2015-16",
        "last_year": "",
        "description": (
            "Attendances at the main (type 1) emergency department by residents of the area."
        ),
    },
    {
        "code": "nel_admissions",
        "name": "Non Elective Admissions",
        "group": URGENT,
        "unit": "count",
        "rate_population": "",
        "direction": "lower",
        "ytd_rule": "sum",
        "scope": "national",
        "frequency": "monthly",
        "first_year": "2015-16",
        "last_year": "2019-20",
        "description": "Non-elective (emergency) admissions to hospital, all ages.",
    },
    {
        "code": "nel_short_stay",
        "name": "Non Elective Short Stay Admissions (length of stay 0 days)",
        "group": URGENT,
        "unit": "count",
        "rate_population": "",
        "direction": "lower",
        "ytd_rule": "sum",
        "scope": "local",
        "frequency": "monthly",
        "first_year": "2015-16",
        "last_year": "",
        "description": "Non-elective admissions discharged the same day.",
    },
    {
        "code": "nel_super_stranded",
        "name": "Non Elective Super Stranded Admissions (length of stay 21 days or more)",
        "group": DISCHARGE,
        "unit": "count",
        "rate_population": "",
        "direction": "lower",
        "ytd_rule": "sum",
        "scope": "local",
        "frequency": "monthly",
        "first_year": "2015-16",
        "last_year": "",
        "description": "Non-elective admissions with a length of stay of 21 days or more.",
    },
    {
        "code": "dtoc_delayed_days",
        "name": "Delayed Transfers of Care: delayed days (18+)",
        "group": DISCHARGE,
        "unit": "days",
        "rate_population": "",
        "direction": "lower",
        "ytd_rule": "sum",
        "scope": "national",
        "frequency": "monthly",
        "first_year": "2015-16",
        "last_year": "2019-20",
        "description": (
            "Days on which patients aged 18+ ready to leave hospital were delayed, all providers."
        ),
    },
    {
        "code": "dtoc_rate",
        "name": "Delayed Transfers of Care: % of occupied bed days",
        "group": DISCHARGE,
        "unit": "percent",
        "rate_population": "",
        "direction": "lower",
        "ytd_rule": "latest",
        "scope": "national",
        "frequency": "monthly",
        "first_year": "2015-16",
        "last_year": "2019-20",
        "description": (
            "Delayed days as a percentage of occupied bed days in the month (a snapshot)."
        ),
    },
    {
        "code": "dtoc_avg_daily_delays",
        "name": "Delayed Transfers of Care: average daily delays",
        "group": DISCHARGE,
        "unit": "rate",
        "rate_population": "population aged 18+",
        "direction": "lower",
        "ytd_rule": "latest",
        "scope": "national",
        "frequency": "monthly",
        "first_year": "2015-16",
        "last_year": "2019-20",
        "description": (
            "Delayed days per day in the month per 100,000 population aged 18+; broken down "
            "by attribution (NHS, Adult Social Care, Joint)."
        ),
    },
    {
        "code": "res_admissions_65",
        "name": "Permanent admissions of people aged 65+ to residential and nursing care",
        "group": DISCHARGE,
        "unit": "count",
        "rate_population": "",
        "direction": "lower",
        "ytd_rule": "sum",
        "scope": "national",
        "frequency": "monthly",
        "first_year": "2015-16",
        "last_year": "",
        "description": (
            "Council-supported permanent admissions to residential and nursing care homes."
        ),
    },
    {
        "code": "reablement_91",
        "name": "Older people (65+) still at home 91 days after discharge into reablement",
        "group": DISCHARGE,
        "unit": "percent",
        "rate_population": "",
        "direction": "higher",
        "ytd_rule": "latest",
        "scope": "national",
        "frequency": "monthly",
        "first_year": "2015-16",
        "last_year": "",
        "description": (
            "Proportion of people aged 65+ discharged from hospital into reablement or "
            "rehabilitation who are still at home 91 days later."
        ),
    },
    {
        "code": "falls_injuries_65",
        "name": "Injuries due to falls, people aged 65+",
        "group": PREVENTION,
        "unit": "count",
        "rate_population": "",
        "direction": "lower",
        "ytd_rule": "sum",
        "scope": "local",
        "frequency": "monthly",
        "first_year": "2015-16",
        "last_year": "",
        "description": "Emergency admissions for injuries due to falls among residents aged 65+.",
    },
    {
        "code": "avoidable_admissions",
        "name": "Avoidable admissions (chronic ambulatory care sensitive conditions)",
        "group": URGENT,
        "unit": "rate",
        "rate_population": "population",
        "direction": "lower",
        "ytd_rule": "latest",
        "scope": "national",
        "frequency": "quarterly",
        "first_year": "2021-22",
        "last_year": "2024-25",
        "description": (
            "Unplanned hospitalisation for chronic ambulatory care sensitive conditions, "
            "indirectly standardised rate per 100,000 population."
        ),
    },
    {
        "code": "discharge_usual_residence",
        "name": "Discharge to usual place of residence",
        "group": DISCHARGE,
        "unit": "percent",
        "rate_population": "",
        "direction": "higher",
        "ytd_rule": "latest",
        "scope": "national",
        "frequency": "monthly",
        "first_year": "2021-22",
        "last_year": "2024-25",
        "description": (
            "Proportion of people discharged from acute hospital to their usual place of residence."
        ),
    },
    {
        "code": "falls_admissions_65_rate",
        "name": "Emergency admissions due to falls, people aged 65+ (rate)",
        "group": PREVENTION,
        "unit": "rate",
        "rate_population": "population aged 65+",
        "direction": "lower",
        "ytd_rule": "latest",
        "scope": "national",
        "frequency": "annual",
        "first_year": "2023-24",
        "last_year": "2024-25",
        "description": (
            "Emergency hospital admissions due to falls among people aged 65+, per 100,000."
        ),
    },
]



def catalogue_fields(order: int, entry: dict) -> dict:
    fields = {key: value for key, value in entry.items() if key != "code"}
    fields.update(amber_above=Decimal(0), red_from=Decimal(10), display_order=order * 10)
    return fields


def load_catalogue(apps, schema_editor):
    Metric = apps.get_model("metrics", "Metric")
    for order, row in enumerate(CATALOGUE, start=1):
        Metric.objects.update_or_create(code=row["code"], defaults=catalogue_fields(order, row))


class Migration(migrations.Migration):
    dependencies = [("metrics", "0001_initial")]

    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
