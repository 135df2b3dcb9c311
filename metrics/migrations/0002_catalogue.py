"""The metric catalogue as first published: the national BCF metrics of 2015-20 and 2021-25
and Southampton's local monitoring measures. Administrators edit it afterwards in the admin;
the codes are stable because import files and the board pack use them."""

from decimal import Decimal

from django.db import migrations

URGENT = "urgent_care_demand"
DISCHARGE = "discharge"
PREVENTION = "prevention"

# code, name, group, unit, rate population, direction, ytd rule, scope, frequency,
# first year, last year ("" while continuing), description
CATALOGUE = [
    ("ae_attendances", "A&E Attendances (Type 1, Main ED)", URGENT, "count", "", "lower",
     "sum", "local", "monthly", "2015-16", "",
     "Attendances at the main (type 1) emergency department by residents of the area."),
    ("nel_admissions", "Non Elective Admissions", URGENT, "count", "", "lower", "sum",
     "national", "monthly", "2015-16", "2019-20",
     "Non-elective (emergency) admissions to hospital, all ages."),
    ("nel_short_stay", "Non Elective Short Stay Admissions (length of stay 0 days)", URGENT,
     "count", "", "lower", "sum", "local", "monthly", "2015-16", "",
     "Non-elective admissions discharged the same day."),
    ("nel_super_stranded",
     "Non Elective Super Stranded Admissions (length of stay 21 days or more)", DISCHARGE,
     "count", "", "lower", "sum", "local", "monthly", "2015-16", "",
     "Non-elective admissions with a length of stay of 21 days or more."),
    ("dtoc_delayed_days", "Delayed Transfers of Care: delayed days (18+)", DISCHARGE, "days",
     "", "lower", "sum", "national", "monthly", "2015-16", "2019-20",
     "Days on which patients aged 18+ ready to leave hospital were delayed, all providers."),
    ("dtoc_rate", "Delayed Transfers of Care: % of occupied bed days", DISCHARGE, "percent", "",
     "lower", "latest", "national", "monthly", "2015-16", "2019-20",
     "Delayed days as a percentage of occupied bed days in the month (a snapshot)."),
    ("dtoc_avg_daily_delays", "Delayed Transfers of Care: average daily delays", DISCHARGE,
     "rate", "population aged 18+", "lower", "latest", "national", "monthly", "2015-16",
     "2019-20",
     "Delayed days per day in the month per 100,000 population aged 18+; broken down by "
     "attribution (NHS, Adult Social Care, Joint)."),
    ("res_admissions_65",
     "Permanent admissions of people aged 65+ to residential and nursing care", DISCHARGE,
     "count", "", "lower", "sum", "national", "monthly", "2015-16", "",
     "Council-supported permanent admissions to residential and nursing care homes."),
    ("reablement_91",
     "Older people (65+) still at home 91 days after discharge into reablement", DISCHARGE,
     "percent", "", "higher", "latest", "national", "monthly", "2015-16", "",
     "Proportion of people aged 65+ discharged from hospital into reablement or "
     "rehabilitation who are still at home 91 days later."),
    ("falls_injuries_65", "Injuries due to falls, people aged 65+", PREVENTION, "count", "",
     "lower", "sum", "local", "monthly", "2015-16", "",
     "Emergency admissions for injuries due to falls among residents aged 65+."),
    ("avoidable_admissions", "Avoidable admissions (chronic ambulatory care sensitive "
     "conditions)", URGENT, "rate", "population", "lower", "latest", "national", "quarterly",
     "2021-22", "2024-25",
     "Unplanned hospitalisation for chronic ambulatory care sensitive conditions, "
     "indirectly standardised rate per 100,000 population."),
    ("discharge_usual_residence", "Discharge to usual place of residence", DISCHARGE,
     "percent", "", "higher", "latest", "national", "monthly", "2021-22", "2024-25",
     "Proportion of people discharged from acute hospital to their usual place of residence."),
    ("falls_admissions_65_rate", "Emergency admissions due to falls, people aged 65+ (rate)",
     PREVENTION, "rate", "population aged 65+", "lower", "latest", "national", "annual",
     "2023-24", "2024-25",
     "Emergency hospital admissions due to falls among people aged 65+, per 100,000."),
]


def load_catalogue(apps, schema_editor):
    Metric = apps.get_model("metrics", "Metric")
    for order, row in enumerate(CATALOGUE, start=1):
        (code, name, group, unit, population, direction, ytd_rule, scope, frequency, first,
         last, description) = row
        Metric.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "group": group,
                "unit": unit,
                "rate_population": population,
                "direction": direction,
                "ytd_rule": ytd_rule,
                "scope": scope,
                "frequency": frequency,
                "first_year": first,
                "last_year": last,
                "description": description,
                "amber_above": Decimal(0),
                "red_from": Decimal(10),
                "display_order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("metrics", "0001_initial")]

    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
