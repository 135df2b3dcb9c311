"""Plan revisions and populations, loaded as every other file is: from the command line and
the upload pages, checked whole, refused with every bad row named, nothing half written."""

import io
import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from bettercare.models import StagedImport
from bettercare.periods import FinancialYear, Month
from metrics.models import MetricValue, PlanRevision, Population
from metrics.selectors import rag_summary

from .factories import figures_csv, monthly

pytestmark = pytest.mark.django_db
SOTON = "E06000045"
AUGUST, JUNE = Month(2018, 8), Month(2018, 6)
POPULATION_HEADER = ["area", "financial_year", "age_group", "population", "source"]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def write(tmp_path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def populations_csv(rows) -> bytes:
    return figures_csv(rows, header=POPULATION_HEADER)


@pytest.fixture
def planned(area, load):
    """Average daily delays planned at 23.4 a day for April to September 2018, actuals to
    August."""
    rows = monthly(SOTON, "dtoc_avg_daily_delays", Month(2018, 4), ["23.4"] * 6, series="plan")
    rows += monthly(SOTON, "dtoc_avg_daily_delays", Month(2018, 4), [33, 31, 30, 29.5, 28.6])
    load(figures_csv(rows))
    return area


REVISED = figures_csv(
    [
        (SOTON, "dtoc_avg_daily_delays", "2018-07", "plan", "29.3"),
        (SOTON, "dtoc_avg_daily_delays", "2018-08", "plan", "28.0"),
        (SOTON, "dtoc_avg_daily_delays", "2018-09", "plan", "26.6"),
        (SOTON, "dtoc_avg_daily_delays", "2018-09", "plan", "11.3", "attribution:NHS"),
        (SOTON, "nel_admissions", "2018-08", "actual", "2400"),  # not a plan: no revision
    ]
)
REASON = "Reset by national guidance from the Quarter 3 2017/18 position"


def test_a_revision_from_the_command_line_is_recorded_with_its_reason(planned, tmp_path):
    out = io.StringIO()
    call_command(
        "import_metrics",
        write(tmp_path, "revised.csv", REVISED),
        "--reason",
        REASON,
        "--effective",
        "2018-07-19",
        stdout=out,
    )
    printed = out.getvalue()
    assert "revised.csv: 2 new, 3 replaced, 0 unchanged; 1 plan revision recorded." in printed
    assert "Target revised from 19 July 2018: Reset by national guidance" in printed
    (revision,) = PlanRevision.objects.all()
    assert (revision.metric.code, revision.financial_year) == (
        "dtoc_avg_daily_delays",
        FinancialYear(2018),
    )
    assert revision.effective == date(2018, 7, 19) and revision.reason == REASON
    assert revision.created_by is None and revision.file_name == "revised.csv"
    replaced = {(p.period, p.breakdown): p.value for p in revision.superseded.all()}
    assert replaced == {
        ("2018-07", ""): D("23.4"),
        ("2018-08", ""): D("23.4"),
        ("2018-09", ""): D("23.4"),
        ("2018-09", "attribution:NHS"): None,  # there was no plan before
    }

    def rated(month):
        return next(
            row
            for row in rag_summary(area=planned, month=month).rows
            if row.code == "dtoc_avg_daily_delays"
        )

    assert rated(AUGUST).vs_plan.phrase == "Slightly Off Track (28.6 vs. 28.0 target)"
    assert rated(JUNE).vs_plan.phrase == "Off Track (30.0 vs. 23.4 target)"


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_revision_without_a_reason_is_refused_and_nothing_is_written(planned, tmp_path, reason):
    before = sorted(MetricValue.objects.values_list("period", "series", "breakdown", "value"))
    with pytest.raises(CommandError) as refused:
        call_command("import_metrics", write(tmp_path, "revised.csv", REVISED), "--reason", reason)
    message = str(refused.value)
    assert message.startswith("revised.csv was not imported: This file revises plans")
    assert "Delayed Transfers of Care: average daily delays, 2018/19: 3 plans changed" in message
    assert "--reason" in message
    assert sorted(MetricValue.objects.values_list("period", "series", "breakdown", "value")) == (
        before
    )
    assert not PlanRevision.objects.exists()


def test_plans_added_or_unchanged_are_not_revisions(planned, tmp_path, load):
    extended = figures_csv(
        [
            (SOTON, "dtoc_avg_daily_delays", "2018-08", "plan", "23.4"),  # unchanged
            (SOTON, "dtoc_avg_daily_delays", "2018-10", "plan", "23.4"),  # added
            (SOTON, "dtoc_avg_daily_delays", "2018-08", "plan", "4", "attribution:NHS"),  # added
        ]
    )
    call_command("import_metrics", write(tmp_path, "more.csv", extended), stdout=io.StringIO())
    assert not PlanRevision.objects.exists()
    # a caveat added to a plan does not change the plan
    noted = figures_csv(
        [(SOTON, "dtoc_avg_daily_delays", "2018-08", "plan", "23.4", "", "", "Agreed in May")]
    )
    call_command("import_metrics", write(tmp_path, "noted.csv", noted), stdout=io.StringIO())
    assert not PlanRevision.objects.exists()


def test_a_revision_cannot_take_effect_before_one_recorded(planned, tmp_path):
    path = write(tmp_path, "revised.csv", REVISED)
    call_command("import_metrics", path, "--reason", REASON, "--effective", "2018-07-19")
    again = figures_csv([(SOTON, "dtoc_avg_daily_delays", "2018-08", "plan", "27")])
    with pytest.raises(CommandError, match="a revision taking effect on 19 July 2018 is already"):
        call_command(
            "import_metrics",
            write(tmp_path, "again.csv", again),
            "--reason",
            "Second thoughts",
            "--effective",
            "2018-07-01",
        )
    with pytest.raises(CommandError, match="--effective must be a date like 2018-07-19"):
        call_command("import_metrics", path, "--reason", "x", "--effective", "19/07/2018")
    assert PlanRevision.objects.count() == 1


def test_a_rate_worked_out_from_a_count_is_never_loaded(area, refusal):
    refused = refusal(
        figures_csv(
            [
                (SOTON, "dtoc_delays_per_100k_18", "2018-08", "actual", "14.2"),
                (SOTON, "res_admissions_65_rate", "2018-08", "plan", "60"),
            ]
        )
    )
    report = refused.report()
    assert (
        "Line 2: dtoc_delays_per_100k_18 is worked out from dtoc_avg_daily_delays and the "
        "population aged 18+, never loaded: load dtoc_avg_daily_delays (and the populations) "
        "instead" in report
    )
    assert "Line 3: res_admissions_65_rate is worked out from res_admissions_65" in report


def test_the_upload_page_asks_why_the_plans_change_and_keeps_what_was_typed(
    login, analyst, planned
):
    client = login(analyst)
    upload = io.BytesIO(REVISED)
    upload.name = "revised.csv"
    response = client.post(reverse("metrics:import"), {"file": upload})
    url = response["Location"]
    page = client.get(url).content.decode()
    revisions = text_of(page.split('data-testid="plan-revisions"')[1].split("</div>")[0])
    assert "This file revises plans already held" in revisions
    assert "Delayed Transfers of Care: average daily delays, 2018/19: 3 plans changed, 1 added" in (
        revisions
    )
    assert 'name="revision_reason"' in page and 'type="date"' in page
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', page).group(1)

    # no reason: refused with a message, the date kept, nothing applied
    refused = client.post(
        url, {"fingerprint": fingerprint, "revision_reason": "", "revision_effective": "2018-07-19"}
    )
    assert refused.status_code == 400
    shown = refused.content.decode()
    assert "Give the reason the plans change" in shown
    assert 'value="2018-07-19"' in shown
    assert not PlanRevision.objects.exists() and StagedImport.objects.get().applied is None

    applied = client.post(
        url,
        {"fingerprint": fingerprint, "revision_reason": REASON, "revision_effective": "2018-07-19"},
        follow=True,
    )
    assert "1 plan revision recorded" in applied.content.decode()
    revision = PlanRevision.objects.get()
    assert revision.created_by == analyst and revision.effective == date(2018, 7, 19)
    # the metric page lists it
    metric = client.get(reverse("metrics:metric", args=["dtoc_avg_daily_delays"]))
    assert REASON in metric.content.decode()


def test_an_upload_that_revises_nothing_asks_nothing(login, analyst, planned):
    client = login(analyst)
    upload = io.BytesIO(figures_csv([(SOTON, "nel_admissions", "2018-08", "actual", "1")]))
    upload.name = "a.csv"
    url = client.post(reverse("metrics:import"), {"file": upload})["Location"]
    page = client.get(url).content.decode()
    assert 'data-testid="plan-revisions"' not in page
    assert 'type="hidden" name="revision_reason"' in page
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', page).group(1)
    assert client.post(url, {"fingerprint": fingerprint}).status_code == 302


# --- Populations ---------------------------------------------------------------------------

GOOD = populations_csv(
    [
        (SOTON, "2018-19", "all", "252,800", "ONS mid-2018 estimates"),
        (SOTON, "2018/19", "18+", "200800", "ONS mid-2018 estimates"),
        (SOTON, "2018-19", "Aged 65+", "34134", "ONS mid-2018 estimates"),
    ]
)


def test_populations_from_the_command_line_and_the_rates_they_give(area, tmp_path, load):
    out = io.StringIO()
    call_command("import_populations", write(tmp_path, "people.csv", GOOD), stdout=out)
    assert "Imported people.csv: 3 new, 0 replaced, 0 unchanged." in out.getvalue()
    held = {p.age_group: p for p in Population.objects.all()}
    assert held["all"].people == 252_800 and held["65+"].source == "ONS mid-2018 estimates"
    assert not held["18+"].illustrative
    load(figures_csv([(SOTON, "res_admissions_65", "2018-04", "actual", "20")]))
    (row,) = [
        r for r in rag_summary(area=area, month=Month(2018, 4)).rows if r.code.endswith("rate")
    ]
    assert row.actual == D(20) * 100_000 / 34_134
    # loaded again with one figure changed: replaced, and the old one kept in its history
    changed = GOOD.replace(b"34134", b"34200")
    call_command("import_populations", write(tmp_path, "people.csv", changed), stdout=out)
    assert "0 new, 1 replaced, 2 unchanged" in out.getvalue()
    older = Population.objects.get(age_group="65+")
    assert older.people == 34_200
    assert [record.people for record in older.history.order_by("history_date")] == [34_134, 34_200]


def test_a_bad_populations_file_is_refused_whole_with_every_row_named(area, tmp_path):
    bad = populations_csv(
        [
            (SOTON, "2018-19", "all", "252800", "ONS"),
            (SOTON, "2018-19", "", "200800", "ONS"),  # no age group
            (SOTON, "2018-19", "65+", "-34134", "ONS"),  # negative
            (SOTON, "2018-19", "over 75", "20000", "ONS"),
            (SOTON, "2018-13", "18+", "200800", "ONS"),
            (SOTON, "2017-18", "18+", "2.5", ""),
            ("E06000999", "2018-19", "18+", "1", "ONS"),
            (SOTON, "2018-19", "all", "252801", "ONS"),  # repeats line 2
        ]
    )
    with pytest.raises(CommandError) as refused:
        call_command("import_populations", write(tmp_path, "bad.csv", bad))
    report = str(refused.value)
    assert report.startswith("bad.csv was not imported: 7 rows have problems.")
    for expected in (
        "Line 3: the age group is empty: give all, 18+ or 65+",
        "Line 4: the population -34134 is not a positive number of people",
        "Line 5: the age group must be all, 18+ or 65+, not “over 75”",
        "Line 7: the population “2.5” is not a whole number",
        "Line 7: the source is empty",
        "Line 8: unknown area “E06000999”",
        "Line 9: repeats line 2",
    ):
        assert expected in report, expected
    assert not Population.objects.exists()


def test_a_year_without_every_age_group_is_refused_unless_the_rest_are_held(area, tmp_path):
    partial = populations_csv(
        [
            (SOTON, "2018-19", "all", "252800", "ONS"),
            (SOTON, "2018-19", "65+", "34134", "ONS"),
        ]
    )
    with pytest.raises(CommandError) as refused:
        call_command("import_populations", write(tmp_path, "partial.csv", partial))
    report = str(refused.value)
    assert "Line 2: E06000045 2018/19 has no population aged 18+ (lines 2, 3 give the others" in (
        report
    )
    assert "Line 3:" in report and not Population.objects.exists()
    # once a year is held whole, one age group can be corrected alone
    call_command("import_populations", write(tmp_path, "good.csv", GOOD), stdout=io.StringIO())
    one = populations_csv([(SOTON, "2018-19", "65+", "34200", "ONS mid-2018, revised")])
    call_command("import_populations", write(tmp_path, "one.csv", one), stdout=io.StringIO())
    assert Population.objects.get(age_group="65+").people == 34_200


def test_populations_upload_preview_apply_for_the_analysts_area_only(
    login, analyst, secretary, area, other_area
):
    client = login(analyst)
    upload = io.BytesIO(GOOD)
    upload.name = "people.csv"
    response = client.post(reverse("metrics:populations_import"), {"file": upload})
    assert response.status_code == 302
    url = response["Location"]
    assert url == reverse(
        "metrics:populations_import_preview", args=[StagedImport.objects.get().pk]
    )
    page = client.get(url).content.decode()
    changes = text_of(page.split('data-testid="import-changes"')[1].split("</table>")[0])
    assert "New 2018/19 Aged 65+ \u2013 34,134 ONS mid-2018 estimates" in changes
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', page).group(1)
    applied = client.post(url, {"fingerprint": fingerprint}, follow=True)
    assert "Imported people.csv: 3 new, 0 replaced, 0 unchanged populations." in (
        applied.content.decode()
    )
    assert Population.objects.filter(area=area).count() == 3

    # a row for another area is a bad row
    theirs = io.BytesIO(GOOD.replace(SOTON.encode(), other_area.code.encode()))
    theirs.name = "theirs.csv"
    refused = client.post(reverse("metrics:populations_import"), {"file": theirs})
    assert refused.status_code == 400 and "but this upload is for Southampton" in (
        refused.content.decode()
    )
    # secretaries read, but do not load
    assert login(secretary).get(reverse("metrics:populations_import")).status_code == 403
    assert not Population.objects.filter(area=other_area).exists()


def test_only_analysts_see_the_populations_button(login, analyst, secretary, area):
    assert "Upload populations" in login(analyst).get(reverse("metrics:index")).content.decode()
    assert "Upload populations" not in (
        login(secretary).get(reverse("metrics:index")).content.decode()
    )


# --- Plan revisions: what else a user would notice ----------------------------------------


def test_a_revision_records_who_and_when_and_the_plans_it_left(planned, tmp_path, analyst):
    """The command line records no user and the time it ran; the upload records its analyst.
    Held plans the file does not mention are left as they were, and the history says why."""
    from django.utils import timezone

    before = timezone.now()
    call_command(
        "import_metrics",
        write(tmp_path, "revised.csv", REVISED),
        "--reason",
        REASON,
        "--effective",
        "2018-07-19",
        stdout=io.StringIO(),
    )
    revision = PlanRevision.objects.get()
    assert before <= revision.created <= timezone.now()
    assert revision.area == planned and revision.created_by is None
    plans = dict(
        MetricValue.objects.filter(
            metric__code="dtoc_avg_daily_delays", series="plan", breakdown=""
        ).values_list("period", "value")
    )
    # April to June untouched, July to September as revised
    assert [plans[f"2018-0{month}"] for month in range(4, 10)] == [
        D("23.4"),
        D("23.4"),
        D("23.4"),
        D("29.3"),
        D("28.0"),
        D("26.6"),
    ]


def test_a_year_to_date_count_is_rated_against_the_plans_in_force_at_the_month(
    area, load, tmp_path
):
    """A revision that resets a whole year's plan of a summed count: a month before it takes
    effect is rated against the year's plans as they were; a month after, against the revised
    plans of every month so far (the board is told the targets now follow the revision)."""
    rows = monthly(SOTON, "nel_admissions", Month(2018, 4), [2370] * 12, series="plan")
    rows += monthly(SOTON, "nel_admissions", Month(2018, 4), [2400, 2350, 2420, 2460, 2390])
    load(figures_csv(rows))
    reset = monthly(SOTON, "nel_admissions", Month(2018, 4), [2450] * 12, series="plan")
    call_command(
        "import_metrics",
        write(tmp_path, "reset.csv", figures_csv(reset)),
        "--reason",
        "Plan reset at the half year review",
        "--effective",
        "2018-07-19",
        stdout=io.StringIO(),
    )

    def row(month):
        return next(
            r for r in rag_summary(area=area, month=month).rows if r.code == "nel_admissions"
        )

    june, august = row(JUNE), row(AUGUST)
    assert june.plan == 3 * 2370 and june.revisions == ()
    assert june.vs_plan.phrase == "Slightly Off Track (1% higher than target)"
    assert august.plan == 5 * 2450 and len(august.revisions) == 1
    assert august.vs_plan.phrase == "On Track (2% lower than target)"
    assert august.notes[-1] == (
        "Target revised from 19 July 2018: Plan reset at the half year review"
    )


def test_one_file_revising_two_metrics_records_a_revision_for_each(planned, tmp_path, load):
    load(figures_csv(monthly(SOTON, "nel_admissions", Month(2018, 4), [2370] * 6, "plan")))
    both = REVISED + b"\n".join([b"", b"E06000045,nel_admissions,2018-08,plan,2300,,,"]).lstrip(
        b"\n"
    )
    out = io.StringIO()
    call_command(
        "import_metrics",
        write(tmp_path, "both.csv", both),
        "--reason",
        REASON,
        "--effective",
        "2018-07-19",
        stdout=out,
    )
    assert "2 plan revisions recorded" in out.getvalue()
    assert sorted(PlanRevision.objects.values_list("metric__code", flat=True)) == [
        "dtoc_avg_daily_delays",
        "nel_admissions",
    ]
    nel = PlanRevision.objects.get(metric__code="nel_admissions")
    assert [(p.period, p.value) for p in nel.superseded.all()] == [("2018-08", D(2370))]


def test_a_revision_taking_effect_after_its_year_has_ended_is_refused(planned, tmp_path):
    """Every month of 2018/19 ends before 1 April 2019: a revision taking effect then (or
    today, the default) would rate no month against the revised plans. The analyst is told to
    give the date, and nothing is written."""
    before = sorted(MetricValue.objects.values_list("period", "series", "value"))
    path = write(tmp_path, "revised.csv", REVISED)
    for effective in (["--effective", "2019-04-01"], []):  # [] : today
        with pytest.raises(CommandError) as refused:
            call_command("import_metrics", path, "--reason", REASON, *effective)
        message = str(refused.value)
        assert message.startswith("revised.csv was not imported: ")
        assert "after 2018/19 ends (31 March 2019)" in message
        assert "no month of 2018/19 would be rated against the revised plans" in message
        assert "--effective" in message
    assert sorted(MetricValue.objects.values_list("period", "series", "value")) == before
    assert not PlanRevision.objects.exists()
    # the year's first day makes the revision apply to every month of the year
    call_command(
        "import_metrics", path, "--reason", REASON, "--effective", "2018-04-01",
        stdout=io.StringIO(),
    )  # fmt: skip
    assert PlanRevision.objects.get().effective == date(2018, 4, 1)


def test_the_current_years_revision_takes_effect_today_by_default(area, load, tmp_path):
    today = date.today()
    this_month = Month(today.year, today.month)
    load(figures_csv([(SOTON, "res_admissions_65", str(this_month), "plan", "21")]))
    revised = figures_csv([(SOTON, "res_admissions_65", str(this_month), "plan", "20")])
    call_command(
        "import_metrics",
        write(tmp_path, "now.csv", revised),
        "--reason",
        "Agreed at this month's board",
        stdout=io.StringIO(),
    )
    assert PlanRevision.objects.get().effective == today


def test_the_upload_refuses_an_earlier_revision_and_keeps_what_was_typed(
    login, analyst, planned, tmp_path
):
    call_command(
        "import_metrics",
        write(tmp_path, "revised.csv", REVISED),
        "--reason",
        REASON,
        "--effective",
        "2018-07-19",
        stdout=io.StringIO(),
    )
    client = login(analyst)
    upload = io.BytesIO(figures_csv([(SOTON, "dtoc_avg_daily_delays", "2018-08", "plan", "27")]))
    upload.name = "again.csv"
    url = client.post(reverse("metrics:import"), {"file": upload})["Location"]
    page = client.get(url).content.decode()
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', page).group(1)
    typed = "Second thoughts at the July board"
    for effective, message in (
        ("2018-07-01", "a revision taking effect on 19 July 2018 is already recorded"),
        ("2018-02-31", "Enter a valid date"),
        ("2019-05-01", "after 2018/19 ends (31 March 2019)"),
    ):
        refused = client.post(
            url,
            {"fingerprint": fingerprint, "revision_reason": typed, "revision_effective": effective},
        )
        assert refused.status_code == 400, effective
        shown = refused.content.decode()
        assert message in shown, effective
        assert typed in shown and f'value="{effective}"' in shown, effective
    assert PlanRevision.objects.count() == 1
    assert MetricValue.objects.get(
        metric__code="dtoc_avg_daily_delays", period="2018-08", series="plan", breakdown=""
    ).value == D("28.0")
    assert StagedImport.objects.get(file_name="again.csv").applied is None


def test_only_the_uploader_applies_and_only_an_analyst_uploads(
    login, analyst, secretary, make_user, planned
):
    from bettercare.roles import Role

    client = login(analyst)
    upload = io.BytesIO(REVISED)
    upload.name = "revised.csv"
    url = client.post(reverse("metrics:import"), {"file": upload})["Location"]
    fingerprint = re.search(
        r'name="fingerprint" value="([0-9a-f]+)"', client.get(url).content.decode()
    ).group(1)
    answers = {"fingerprint": fingerprint, "revision_reason": REASON}
    answers["revision_effective"] = "2018-07-19"
    colleague = make_user("analyst-2", Role.ANALYST, [planned])
    assert login(colleague).post(url, answers).status_code == 404
    assert login(secretary).post(url, answers).status_code == 403
    assert not PlanRevision.objects.exists()


# --- Populations: what else a user would notice --------------------------------------------


@pytest.mark.parametrize(
    "header,message",
    [
        (
            ["area", "financial_year", "age_group", "population"],
            "the header row (line 1) has missing column source",
        ),
        (
            ["area", "year", "age_group", "population", "source"],
            "missing column financial_year and unknown column year",
        ),
        (
            [*POPULATION_HEADER, "notes"],
            "unknown column notes",
        ),
    ],
)
def test_a_populations_file_without_its_columns_is_refused_whole(area, tmp_path, header, message):
    content = figures_csv(
        [(SOTON, "2018-19", "all", "252800", "ONS"), (SOTON, "2018-19", "18+", "200800", "ONS")],
        header=header,
    )
    with pytest.raises(CommandError) as refused:
        call_command("import_populations", write(tmp_path, "cols.csv", content))
    report = str(refused.value)
    assert message in report
    assert "The columns are: area,financial_year,age_group,population,source." in report
    assert not Population.objects.exists()


def test_populations_columns_in_any_case_and_order_and_from_xlsx(area, tmp_path):
    from .factories import figures_xlsx

    shuffled = ["Source", " AGE_GROUP ", "Population", "Financial_Year", "Area"]
    rows = [
        ("ONS mid-2018", "all", "252800", "2018-19", SOTON),
        ("ONS mid-2018", "18+", "200800", "2018-19", SOTON),
        ("ONS mid-2018", "65+", "34134", "2018-19", SOTON),
    ]
    call_command(
        "import_populations",
        write(tmp_path, "people.xlsx", figures_xlsx(rows, header=shuffled)),
        stdout=io.StringIO(),
    )
    assert dict(Population.objects.values_list("age_group", "people")) == {
        "all": 252_800,
        "18+": 200_800,
        "65+": 34_134,
    }


def test_a_bad_row_leaves_every_population_held_as_it_was(area, tmp_path):
    call_command("import_populations", write(tmp_path, "good.csv", GOOD), stdout=io.StringIO())
    held = sorted(Population.objects.values_list("age_group", "people", "source"))
    histories = Population.history.count()
    mixed = populations_csv(
        [
            (SOTON, "2018-19", "all", "260000", "ONS mid-2019"),  # good: would replace
            (SOTON, "2019-20", "all", "253000", "ONS mid-2019"),  # good: would be new
            (SOTON, "2019-20", "18+", "201000", "ONS mid-2019"),
            (SOTON, "2019-20", "65+", "0", "ONS mid-2019"),  # bad
        ]
    )
    with pytest.raises(CommandError) as refused:
        call_command("import_populations", write(tmp_path, "mixed.csv", mixed))
    assert str(refused.value).startswith("mixed.csv was not imported: 1 row has problems.")
    assert "Line 5: the population 0 is not a positive number of people" in str(refused.value)
    assert sorted(Population.objects.values_list("age_group", "people", "source")) == held
    assert Population.history.count() == histories


def test_the_populations_upload_names_every_bad_row_and_keeps_nothing(login, analyst, area):
    client = login(analyst)
    bad = io.BytesIO(
        populations_csv(
            [
                (SOTON, "2018-19", "all", "252800", "ONS"),
                (SOTON, "2018-19", "18+", "-5", "ONS"),
                (SOTON, "2018-19", "65 plus", "34134", "ONS"),
            ]
        )
    )
    bad.name = "bad.csv"
    response = client.post(reverse("metrics:populations_import"), {"file": bad})
    assert response.status_code == 400
    page = response.content.decode()
    problems = text_of(page.split('data-testid="import-problems"')[1].split("</table>")[0])
    assert "3 population The population -5 is not a positive number of people" in problems
    assert "4 age_group The age group must be all, 18+ or 65+, not “65 plus”" in problems
    assert "bad.csv was not imported: 2 rows have problems." in text_of(page)
    assert not Population.objects.exists() and not StagedImport.objects.exists()


def test_the_populations_preview_shows_what_a_figure_replaces(login, analyst, area, tmp_path):
    call_command("import_populations", write(tmp_path, "good.csv", GOOD), stdout=io.StringIO())
    client = login(analyst)
    upload = io.BytesIO(
        populations_csv([(SOTON, "2018-19", "65+", "34200", "ONS mid-2018, revised")])
    )
    upload.name = "one.csv"
    url = client.post(reverse("metrics:populations_import"), {"file": upload})["Location"]
    page = client.get(url).content.decode()
    changes = text_of(page.split('data-testid="import-changes"')[1].split("</table>")[0])
    assert "Replaced 2018/19 Aged 65+ 34,134 34,200 ONS mid-2018, revised" in changes
    assert Population.objects.get(age_group="65+").people == 34_134  # not until applied


def test_a_national_file_refused_for_its_reason_names_the_areas_and_counts_the_rest(
    area, other_area, load, tmp_path
):
    """A file for many areas revises plans in each: the refusal stays readable, naming the
    areas of the first few and counting the rest, instead of one line per area and metric."""
    metrics = ["nel_admissions", "ae_attendances", "nel_short_stay"]
    rows = [
        (code, metric, "2018-08", "plan", "100")
        for code in (SOTON, other_area.code)
        for metric in metrics
    ]
    load(figures_csv(rows))
    changed = [(*row[:4], "90") for row in rows]
    with pytest.raises(CommandError) as refused:
        call_command("import_metrics", write(tmp_path, "national.csv", figures_csv(changed)))
    message = str(refused.value)
    assert "(Southampton, Non Elective Admissions, 2018/19: 1 plan changed;" in message
    assert "Portsmouth, " in message
    assert "; and 1 more, in 2 areas in all)" in message
    assert message.count("plan changed") == 5


def test_a_worked_out_rate_has_its_months_figure_once_its_population_is_held(area, load, tmp_path):
    """The check before a pack is made Final lists the metrics without a figure at its data
    month: a rate worked out from a count is missing only while its population is."""
    from metrics.selectors import metrics_without_figure

    load(figures_csv([(SOTON, "res_admissions_65", "2018-08", "actual", "21")]))

    def missing():
        return {m.code for m in metrics_without_figure(area=area, month=AUGUST)}

    assert "res_admissions_65" not in missing() and "res_admissions_65_rate" in missing()
    call_command("import_populations", write(tmp_path, "good.csv", GOOD), stdout=io.StringIO())
    assert "res_admissions_65_rate" not in missing()
    assert "dtoc_delays_per_100k_18" in missing()  # its count has no August figure
