"""The metric catalogue: the national BCF metrics of 2015-20 and 2021-25 and Southampton's
local monitoring measures, as the boards measure them.

Migrations load it into a new database (0002 the catalogue as first published, 0004 its
correction: average daily delays as delayed patients per day with a separate rate per 100,000
aged 18+, reablement yearly, super-stranded admissions under Urgent Care Demand, and the rates
of permanent admissions and falls injuries); administrators edit it afterwards in the admin.
Codes are stable because import files and the board pack use them. Every metric is rated Green
up to 0% worse, Red from 10% worse, until an administrator says otherwise.

A rate with `rate_of` is worked out from that metric's figures and the area's population of
`age_group` (per 100,000), never loaded: see `metrics.rates`.
"""

from decimal import Decimal

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
        "description": (
            "Non-elective (emergency) admissions to hospital, all ages; broken down by age band "
            "(children and young people, working age adults, older people)."
        ),
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
        "group": URGENT,
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
            "Delayed days as a percentage of occupied bed days in the month (a snapshot); "
            "broken down by provider, each against its own plan."
        ),
    },
    {
        "code": "dtoc_avg_daily_delays",
        "name": "Delayed Transfers of Care: average daily delays",
        "group": DISCHARGE,
        "unit": "per_day",
        "rate_population": "",
        "direction": "lower",
        "ytd_rule": "latest",
        "scope": "national",
        "frequency": "monthly",
        "first_year": "2015-16",
        "last_year": "2019-20",
        "description": (
            "Delayed patients per day: the month's delayed days divided by its days; broken "
            "down by attribution (NHS, Adult Social Care, Joint). The measure of the 2018/19 "
            "national DTOC expectations."
        ),
    },
    {
        "code": "dtoc_delays_per_100k_18",
        "name": "Delayed Transfers of Care: delayed days per day per 100,000 population aged 18+",
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
            "Average daily delays per 100,000 population aged 18+, worked out from the average "
            "daily delays and the area's population."
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
            "worked out from the admissions and the area's population; the year to date adds "
            "up the months."
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
        "frequency": "annual",
        "first_year": "2015-16",
        "last_year": "",
        "description": (
            "Proportion of people aged 65+ discharged from hospital into reablement or "
            "rehabilitation who are still at home 91 days later; an annual measure, one "
            "figure a year."
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
            "Emergency admissions for injuries due to falls among residents aged 65+, directly "
            "age-standardised rate per 100,000, as published yearly (it needs the figures by "
            "age, so it is loaded, not worked out)."
        ),
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
CODES = [entry["code"] for entry in CATALOGUE]


def catalogue_fields(order: int, entry: dict) -> dict:
    """A catalogue entry as Metric field values, the code and the metric a rate is worked out
    from (`rate_of`, a code: set once both metrics exist) apart."""
    fields = {key: value for key, value in entry.items() if key not in {"code", "rate_of"}}
    fields.setdefault("age_group", "")
    fields.update(amber_above=Decimal(0), red_from=Decimal(10), display_order=order * 10)
    return fields
