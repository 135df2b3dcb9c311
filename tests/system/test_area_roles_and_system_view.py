"""A role per area, and the system view: an analyst of one area who is a viewer of another
does in each what that area's role allows; the system view shows the areas a person holds,
side by side, with the figures each area's own pages show, in queries that do not grow with
the number of areas."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from bettercare.models import AreaMembership
from bettercare.money import format_full
from bettercare.periods import FinancialYear, Month, Quarter
from bettercare.permissions import area_role, holds
from bettercare.roles import Role
from bettercare.services import user_with_role_save
from finance import permissions as finance_permissions
from finance.selectors import finance_position, pooled_fund
from finance.services import finance_file_import, pooled_fund_save
from metrics import permissions as metrics_permissions
from metrics.models import MetricImport
from metrics.selectors import rag_summary
from metrics.services import metric_catalogue_ensure, metric_file_import
from reports import permissions as reports_permissions
from schemes import permissions as schemes_permissions

from ..factories import AreaFactory, CouncilFactory, PartnerFactory, SchemeFactory

pytestmark = pytest.mark.django_db
QUARTER = Quarter(FinancialYear(2018), 2)
MONTH = Month(2018, 8)
CODES = {
    "E06000045": "Southampton",
    "E06000044": "Portsmouth",
    "E06000046": "Isle of Wight",
    "E10000014": "Hampshire",
}


def _area_with_figures(code: str, size: int):
    """An area with two schemes, metric figures for August 2018 and the year before, a pooled
    fund and Month 5 forecasts: `size` makes the areas' figures differ."""
    area = AreaFactory(code=code, name=CODES[code])
    nhs = PartnerFactory(area=area, code="CCG")
    CouncilFactory(area=area, code="LA")
    SchemeFactory(area=area, number=1, host=nhs)
    SchemeFactory(area=area, number=2, host=nhs)
    metric_catalogue_ensure()
    rows = ["area,metric,period,series,value,breakdown,status,note"]
    for month in range(4, 9):
        rows.append(f"{code},nel_admissions,2018-{month:02d},actual,{100 * size + month},,,")
        rows.append(f"{code},nel_admissions,2018-{month:02d},plan,{100 * size},,,")
        rows.append(f"{code},nel_admissions,2017-{month:02d},actual,{100 * size - 5},,,")
    metric_file_import(
        content="\n".join(rows).encode(),
        file_name="figures.csv",
        via=MetricImport.Via.DEMO,
        only_area=area,
    )
    pooled_fund_save(
        area=area,
        financial_year=FinancialYear(2018),
        national_minimum=Decimal("1000.00") * size,
        contributions={(nhs, "nhs_minimum"): Decimal("1500.25") * size},
    )
    finance = [
        "area,financial_year,scheme,partner,kind,month,amount",
        f"{code},2018-19,1,CCG,budget,,{1200 * size}.00",
        f"{code},2018-19,1,CCG,forecast,2018-08,{1300 * size}.10",
    ]
    finance_file_import(data="\n".join(finance).encode(), file_name="finance.csv", area=area)
    return area


@pytest.fixture
def four_areas(db):
    return [_area_with_figures(code, size) for size, code in enumerate(CODES, start=1)]


def test_a_person_holds_a_different_role_in_each_area(four_areas):
    southampton, portsmouth, *_ = four_areas
    person = user_with_role_save(
        username="two-hats",
        role=Role.ANALYST,
        areas=[southampton],
        roles_by_area={portsmouth: Role.VIEWER},
    )
    person = get_user_model().objects.get(pk=person.pk)
    assert area_role(person, southampton) == Role.ANALYST
    assert area_role(person, portsmouth) == Role.VIEWER
    assert area_role(person, four_areas[2]) is None
    # Loading figures, the pool and rating schemes: Southampton's analyst, not Portsmouth's.
    for question in (
        metrics_permissions.may_import_metrics,
        finance_permissions.may_import_finance,
        reports_permissions.may_rate_schemes,
        schemes_permissions.may_set_timetable,
    ):
        assert question(person, southampton), question.__name__
        assert not question(person, portsmouth), question.__name__
    # Reading is the viewer's everywhere they hold it.
    for question in (
        metrics_permissions.may_view_metrics,
        finance_permissions.may_view_finance,
        reports_permissions.may_see_full_packs,
        schemes_permissions.may_see_overview,
    ):
        assert question(person, portsmouth), question.__name__
        assert not question(person, four_areas[3]), question.__name__
    # The groups are the roles held anywhere: the admin site is not theirs.
    assert set(person.groups.values_list("name", flat=True)) == {"Analysts", "Viewers"}
    assert not person.is_staff


def test_a_viewer_writes_nothing_through_the_services(four_areas, make_user):
    portsmouth = four_areas[1]
    viewer = make_user("viewer", Role.VIEWER, [portsmouth])
    assert not holds(viewer, "metrics.import_metricvalue", portsmouth)
    with pytest.raises(PermissionDenied):
        finance_file_import(
            data=b"area,financial_year,scheme,partner,kind,month,amount\n"
            b"E06000044,2018-19,1,CCG,budget,,1.00\n",
            file_name="finance.csv",
            user=viewer,
            area=portsmouth,
        )
    with pytest.raises(PermissionDenied):
        pooled_fund_save(
            area=portsmouth,
            financial_year=FinancialYear(2018),
            national_minimum=Decimal("1"),
            contributions={},
            user=viewer,
        )


def test_an_administrator_of_one_area_is_no_administrator_of_another(client, four_areas):
    southampton, portsmouth, *_ = four_areas
    person = user_with_role_save(
        username="admin-here-lead-there",
        role=Role.ADMINISTRATOR,
        areas=[portsmouth],
        roles_by_area={southampton: Role.SCHEME_LEAD},
        password="bettercare-test",
    )
    assert person.is_staff
    client.force_login(person)
    page = client.get("/admin/bettercare/scheme/").content.decode()
    schemes = southampton.schemes.all()
    assert all(f"/admin/bettercare/scheme/{s.pk}/change/" not in page for s in schemes)
    refused = (302, 403, 404)
    assert client.get(f"/admin/bettercare/scheme/{schemes[0].pk}/change/").status_code in refused
    assert client.get(f"/admin/bettercare/area/{southampton.pk}/change/").status_code in refused
    assert client.get(f"/admin/bettercare/area/{portsmouth.pk}/change/").status_code == 200


def test_existing_memberships_get_their_users_role(make_user, area):
    """The data migration's rule, as the service applies it to a membership with no role
    given: the person's role (their group) holds in the area they join."""
    secretary = make_user("sec", Role.BOARD_SECRETARY, [area])
    assert AreaMembership.objects.get(user=secretary, area=area).role == Role.BOARD_SECRETARY


def _cells(page: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">(.*?)</td>', page, re.S)
    assert match, testid
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def test_the_system_view_shows_each_area_as_its_own_pages_do(client, four_areas, make_user):
    icb = make_user("icb", Role.VIEWER, four_areas)
    client.force_login(icb)
    response = client.get(reverse("system:quarter", kwargs={"quarter": QUARTER}))
    assert response.status_code == 200
    page = response.content.decode()
    for area in four_areas:
        row = rag_summary(area=area, month=MONTH).rows[0]
        assert row.code == "nel_admissions"
        cell = _cells(page, f"rating-nel_admissions-{area.code}")
        # The label in words (never the colour alone) and the figure, as the dashboard has them.
        assert row.vs_plan.label in cell and row.actual_display in cell
        assert f'href="/metrics/nel_admissions/?area={area.code}&amp;month=2018-08"' in page
        pool = pooled_fund(area=area, year=QUARTER.year)
        position = finance_position(area=area, month=MONTH)
        finance = re.search(
            rf'data-testid="finance-{area.code}">(.*?)</tr>', page, re.S
        ).group(1)
        assert format_full(pool.total) in finance
        assert format_full(pool.national_minimum) in finance
        assert position.has_data and f"?area={area.code}&amp;month=2018-08" in finance
        assert "0 of 2 accepted" in page
    # Held areas only, in the order of the switcher (by name).
    headings = re.findall(r'<th class="nhsuk-table__header" scope="col">([^<]+)</th>', page)
    assert [h for h in headings if h in CODES.values()] == sorted(CODES.values())


def test_the_system_view_shows_only_the_areas_held(client, four_areas, make_user):
    southampton, portsmouth, iow, _ = four_areas
    person = make_user("two-areas", Role.ANALYST, [southampton, iow])
    client.force_login(person)
    page = client.get(reverse("system:quarter", kwargs={"quarter": QUARTER})).content.decode()
    assert "Southampton" in page and "Isle of Wight" in page
    assert "Portsmouth" not in page and "Hampshire" not in page
    assert f"rating-nel_admissions-{portsmouth.code}" not in page


def test_a_link_with_another_areas_code_switches_only_to_an_area_held(
    client, four_areas, make_user
):
    southampton, portsmouth, iow, _ = four_areas
    person = make_user("two-areas", Role.ANALYST, [southampton, iow])
    client.force_login(person)
    page = client.get(f"/finance/pool/?area={iow.code}").content.decode()
    assert re.search(r'data-testid="header-area">Isle of Wight<', page)
    # Not held: the page answers for the area the person is in, and the session stays there.
    page = client.get(f"/finance/pool/?area={portsmouth.code}").content.decode()
    assert re.search(r'data-testid="header-area">Isle of Wight<', page)
    assert "Portsmouth" not in page
    # A POST never switches the area.
    client.post(f"/area/?area={southampton.code}", {"area": "nonsense"})
    assert client.session["bettercare_area"] == iow.code


@pytest.mark.parametrize("held", [2, 4])
def test_the_system_views_queries_do_not_grow_with_the_areas(
    client, four_areas, make_user, django_assert_num_queries, held
):
    person = make_user("icb", Role.VIEWER, four_areas[:held])
    client.force_login(person)
    url = reverse("system:quarter", kwargs={"quarter": QUARTER})
    client.get(url)  # the session's first request writes it
    # Session, user, memberships, the current area's quarters, then: completeness 2,
    # metrics 4, pooled funds 4, positions 5.
    with django_assert_num_queries(19):
        response = client.get(url)
    assert response.content.decode().count('data-testid="finance-E') == held


def test_the_quarter_picker_moves_to_the_quarter_chosen(client, four_areas, make_user):
    client.force_login(make_user("icb", Role.VIEWER, four_areas))
    url = reverse("system:quarter", kwargs={"quarter": QUARTER})
    response = client.get(url, {"quarter": "2018-19-Q1"})
    assert response["Location"] == "/system/2018-19-Q1/"
    response = client.get(url, {"quarter": "2018-19-Q9"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert client.get("/system/2018-20-Q1/").status_code == 404


def test_someone_with_no_role_anywhere_is_told_so(client, four_areas):
    person = get_user_model().objects.create_user("member-only")
    AreaMembership.objects.create(user=person, area=four_areas[0])
    client.force_login(person)
    response = client.get(reverse("system:quarter", kwargs={"quarter": QUARTER}))
    assert response.status_code == 403
    assert "You hold no role in any area" in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/", "/metrics/", "/finance/pool/", "/schemes/", "/reports/", "/system/"]
)
def test_every_page_names_the_current_area_and_offers_the_switch(
    client, four_areas, make_user, url
):
    southampton, portsmouth, *_ = four_areas
    person = make_user("two-areas", Role.ANALYST, [southampton, portsmouth])
    client.force_login(person)
    client.get(f"/?area={portsmouth.code}")
    response = client.get(url, follow=True)
    page = response.content.decode()
    assert re.search(r"<title>[^<]*\u2013 Portsmouth \u2013 Better Care reporting</title>", page)
    assert re.search(r'data-testid="header-area">Portsmouth<', page)
    # The switch: a labelled list of the person's areas and a button, usable from the keyboard.
    assert 'for="area-switch">Area</label>' in page
    assert '<option value="E06000044" selected>Portsmouth (E06000044)</option>' in page
    assert re.search(r'<button class="nhsuk-button[^"]*" type="submit">Change area</button>', page)
