"""The metric page: its plan revisions, how a worked-out rate is worked out, the breakdown lines
the pack's commentary opens with, and the analyst's SPC and commentary settings (analysts of the
area only)."""

import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from bettercare.periods import FinancialYear, Month
from bettercare.roles import Role
from metrics.models import AgeGroup, Metric, MetricSettings

from .factories import MetricValueFactory, PopulationFactory, revise_plans

pytestmark = pytest.mark.django_db
AUGUST = Month(2018, 8)


def text_of(html: str) -> str:
    html = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&amp;", "&").strip()


def page(client, code, month="2018-08"):
    response = client.get(reverse("metrics:metric", args=[code]) + f"?month={month}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def delays(area):
    metric = Metric.objects.get(code="dtoc_avg_daily_delays")
    for month in FinancialYear(2018).months()[:5]:
        MetricValueFactory(area=area, metric=metric, end_month=month, value=D(30))
        MetricValueFactory(area=area, metric=metric, end_month=month, series="plan", value=D(23))
    MetricValueFactory(
        area=area, metric=metric, breakdown="attribution:NHS", value=D(12), end_month=AUGUST
    )
    MetricValueFactory(
        area=area, metric=metric, breakdown="attribution:NHS", value=D(15),
        end_month=Month(2017, 8),
    )  # fmt: skip
    revise_plans(
        area, metric, {"2018-07": D("29.3"), "2018-08": D(28)}, effective=date(2018, 7, 19),
        reason="reset by national guidance from the Quarter 3 2017/18 position",
    )  # fmt: skip
    return metric


def test_the_page_lists_the_plan_revisions_and_rates_against_the_revised_plan(
    login, analyst, delays
):
    shown = page(login(analyst), delays.code)
    revisions = text_of(shown.split('data-testid="plan-revisions">')[1].split("</table>")[0])
    assert "2018/19 19 July 2018 reset by national guidance from the Quarter 3 2017/18" in (
        revisions
    )
    assert "command line or demo" in revisions
    against = text_of(shown.split('data-testid="metric-vs-plan">')[1].split("</dd>")[0])
    assert against.startswith("Slightly Off Track (30.0 vs. 28.0 target)")
    # the caveats say the target was revised
    assert "Target revised from 19 July 2018: reset by national guidance" in text_of(shown)


def test_a_worked_out_rate_says_how_and_lists_its_populations(login, analyst, area, delays):
    client = login(analyst)
    shown = text_of(page(client, "dtoc_delays_per_100k_18"))
    assert "Worked out, never loaded" in shown
    assert "No population aged 18+ is held for Southampton" in shown
    PopulationFactory(
        area=area, financial_year=FinancialYear(2018), age_group=AgeGroup.AGED_18_PLUS,
        people=200_800, source="ONS mid-2018 estimates",
    )  # fmt: skip
    shown = page(client, "dtoc_delays_per_100k_18")
    populations = text_of(shown.split('data-testid="populations">')[1].split("</table>")[0])
    assert "2018/19 200,800 ONS mid-2018 estimates" in populations
    against = text_of(shown.split('data-testid="metric-vs-plan">')[1].split("</dd>")[0])
    assert against.startswith("Slightly Off Track (14.9 vs. 13.9 target)")
    # the rate follows the revisions of the count it is worked out from
    assert "reset by national guidance" in text_of(shown.split('id="revisions"')[1])


def test_the_breakdown_lines_are_shown_as_the_pack_opens_its_commentary(login, analyst, delays):
    shown = page(login(analyst), delays.code)
    lines = text_of(shown.split('data-testid="breakdown-lines">')[1].split("</ul>")[0])
    assert lines == "NHS: 20% decrease year on year"


def test_an_analyst_saves_the_spc_options_and_the_commentary_choices(login, analyst, area, delays):
    client = login(analyst)
    url = reverse("metrics:settings_save", args=[delays.code])
    response = client.post(
        url,
        {
            "spc_baseline_points": "12",
            "spc_screen_moving_ranges": "on",
            "commentary_leaves_out": ["attribution"],
        },
    )
    assert response.status_code == 302 and response.url.endswith("#settings")
    settings = MetricSettings.objects.get(area=area, metric=delays)
    assert settings.spc_baseline_points == 12 and settings.spc_screen_moving_ranges
    assert settings.commentary_leaves_out == ["attribution"] and settings.updated_by == analyst
    assert settings.history.count() == 1
    shown = page(client, delays.code)
    assert "Limits: limits fixed from the first 12 points of each baseline; moving ranges" in (
        text_of(shown)
    )
    assert 'data-testid="breakdown-lines"' not in shown  # the only kind held is left out
    assert re.search(r'<input[^>]*value="12"[^>]*checked', shown)  # the form shows them
    # back to every point
    client.post(url, {"spc_baseline_points": ""})
    settings.refresh_from_db()
    assert settings.spc_baseline_points is None and settings.commentary_leaves_out == []


@pytest.mark.parametrize("points", ["11", "21", "twelve"])
def test_a_baseline_outside_twelve_to_twenty_is_refused_with_a_message(
    login, analyst, delays, points
):
    client = login(analyst)
    response = client.post(
        reverse("metrics:settings_save", args=[delays.code]),
        {"spc_baseline_points": points},
        follow=True,
    )
    assert "The settings were not saved" in response.content.decode()
    assert not MetricSettings.objects.exists()


def test_only_analysts_change_settings_and_only_in_their_area(
    login, make_user, area, other_area, delays, secretary, lead
):
    url = reverse("metrics:settings_save", args=[delays.code])
    for user in (secretary, lead):
        assert login(user).post(url, {"spc_baseline_points": "12"}).status_code == 403
        assert "SPC options and the commentary" not in page(login(user), delays.code)
    # an analyst of another area changes their own area's settings, never Southampton's
    theirs = make_user("analyst-portsmouth", Role.ANALYST, [other_area])
    login(theirs).post(url, {"spc_baseline_points": "12"})
    assert not MetricSettings.objects.filter(area=area).exists()
    assert MetricSettings.objects.get(area=other_area).spc_baseline_points == 12


def test_administrators_read_populations_revisions_and_settings_of_their_area_only(
    login, administrator, make_user, area, other_area, delays, analyst
):
    PopulationFactory(area=area, source="Southampton's estimate")
    PopulationFactory(area=other_area, source="Portsmouth's estimate")
    MetricSettings.objects.create(area=area, metric=delays, updated_by=analyst)
    revise_plans(
        other_area, delays, {"2018-08": D(1)}, effective=date(2018, 8, 1), reason="Portsmouth's"
    )
    theirs = make_user("admin-southampton", Role.ADMINISTRATOR, [area])
    client = login(theirs)
    for name in ("population", "planrevision", "metricsettings"):
        listing = client.get(reverse(f"admin:metrics_{name}_changelist"))
        assert listing.status_code == 200, name
        assert "Portsmouth" not in listing.content.decode(), name
    populations = client.get(reverse("admin:metrics_population_changelist")).content.decode()
    assert "Southampton&#x27;s estimate" in populations or "Southampton's estimate" in populations
    revision = delays.plan_revisions.get(area=area)
    shown = client.get(reverse("admin:metrics_planrevision_change", args=[revision.pk]))
    assert shown.status_code == 200 and "plans it replaced" in shown.content.decode().lower()
    other = delays.plan_revisions.get(area=other_area)
    assert client.get(
        reverse("admin:metrics_planrevision_change", args=[other.pk])
    ).status_code in (
        302,
        404,
    )
    # nothing is written here: imports and the metric page write, and record why
    assert client.get(reverse("admin:metrics_population_add")).status_code == 403
