"""The account takeover and the other holes the independent test found, each as it was tried:
an area administrator (the Administrators role, not a superuser) of Portsmouth against
Southampton, and against the records that no longer change."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from bettercare.models import AreaMembership, Scheme
from bettercare.roles import GROUP_NAMES, Role
from finance.models import Budget
from metrics.models import Metric
from reports.models import Pack

from ..factories import PartnerFactory, SchemeFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def southampton_superuser(make_user, area):
    user = make_user("soton-super", Role.ADMINISTRATOR, [area])
    user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def portsmouth_admin(make_user, other_area):
    return make_user("portsmouth-admin", Role.ADMINISTRATOR, [other_area])


@pytest.fixture
def intruder(client, portsmouth_admin):
    client.force_login(portsmouth_admin)
    return client


def _errors(response):
    """The form's and its inlines' errors, for a failing assertion's message."""
    inlines = response.context["inline_admin_formsets"]
    return response.context["adminform"].form.errors, [
        (inline.formset.non_form_errors(), inline.formset.errors) for inline in inlines
    ]


def _user_change_data(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": "administrator",
        "is_active": "on",
        "area_memberships-TOTAL_FORMS": "0",
        "area_memberships-INITIAL_FORMS": "0",
        "area_memberships-MIN_NUM_FORMS": "0",
        "area_memberships-MAX_NUM_FORMS": "1000",
    }
    memberships = list(user.area_memberships.all())
    data["area_memberships-TOTAL_FORMS"] = str(len(memberships))
    data["area_memberships-INITIAL_FORMS"] = str(len(memberships))
    for index, membership in enumerate(memberships):
        data[f"area_memberships-{index}-id"] = str(membership.pk)
        data[f"area_memberships-{index}-user"] = str(user.pk)
        data[f"area_memberships-{index}-area"] = str(membership.area_id)
    data.update(changes)
    return data


def test_the_user_list_shows_only_the_administrators_own_people(
    intruder, analyst, southampton_superuser, make_user, other_area
):
    make_user("portsmouth-analyst", Role.ANALYST, [other_area])
    page = intruder.get("/admin/auth/user/").content.decode()
    assert "portsmouth-analyst" in page
    assert "analyst</a>" not in page.replace("portsmouth-analyst</a>", "")
    assert "soton-super" not in page


def test_the_password_of_another_areas_superuser_cannot_be_set(intruder, southampton_superuser):
    url = f"/admin/auth/user/{southampton_superuser.pk}/password/"
    assert intruder.get(url).status_code == 404
    response = intruder.post(
        url, {"password1": "Taken-over-1", "password2": "Taken-over-1", "set_password": "1"}
    )
    assert response.status_code == 404
    southampton_superuser.refresh_from_db()
    assert southampton_superuser.check_password("bettercare-test")


def test_an_area_administrator_cannot_make_themselves_superuser_or_join_another_area(
    intruder, portsmouth_admin, area
):
    page = intruder.get(f"/admin/auth/user/{portsmouth_admin.pk}/change/").content.decode()
    for field in ("is_superuser", "is_staff", "user_permissions", 'name="groups"'):
        assert field not in page
    data = _user_change_data(
        portsmouth_admin,
        is_superuser="on",
        is_staff="on",
        groups=[str(group.pk) for group in Group.objects.all()],
        **{
            "area_memberships-TOTAL_FORMS": "2",
            "area_memberships-1-user": str(portsmouth_admin.pk),
            "area_memberships-1-area": str(area.pk),
        },
    )
    response = intruder.post(f"/admin/auth/user/{portsmouth_admin.pk}/change/", data)
    assert response.status_code == 200  # the form again, with the refusal
    assert "Select a valid choice" in response.content.decode()
    portsmouth_admin.refresh_from_db()
    assert not portsmouth_admin.is_superuser
    assert [a.code for a in portsmouth_admin.areas.all()] == ["E06000044"]

    # Without the foreign area the save goes through, and the flags posted are still ignored.
    data = _user_change_data(portsmouth_admin, is_superuser="on", first_name="Pat")
    response = intruder.post(f"/admin/auth/user/{portsmouth_admin.pk}/change/", data)
    assert response.status_code == 302
    portsmouth_admin.refresh_from_db()
    assert portsmouth_admin.first_name == "Pat"
    assert not portsmouth_admin.is_superuser
    assert list(portsmouth_admin.groups.values_list("name", flat=True)) == ["Administrators"]


def test_an_area_administrator_adds_a_person_with_a_role_in_their_own_area(
    intruder, other_area, area
):
    data = {
        "username": "new-lead",
        "usable_password": "true",
        "password1": "A-long-new-password-1",
        "password2": "A-long-new-password-1",
        "first_name": "New",
        "last_name": "Lead",
        "email": "",
        "role": "scheme_lead",
        "area_memberships-TOTAL_FORMS": "1",
        "area_memberships-INITIAL_FORMS": "0",
        "area_memberships-MIN_NUM_FORMS": "1",
        "area_memberships-MAX_NUM_FORMS": "1000",
        "area_memberships-0-area": str(area.pk),  # Southampton: refused
    }
    response = intruder.post("/admin/auth/user/add/", data)
    assert response.status_code == 200
    assert not User.objects.filter(username="new-lead").exists()

    data["area_memberships-0-area"] = str(other_area.pk)
    response = intruder.post("/admin/auth/user/add/", data)
    assert response.status_code == 302, _errors(response)
    person = User.objects.get(username="new-lead")
    assert [group.name for group in person.groups.all()] == [GROUP_NAMES[Role.SCHEME_LEAD]]
    assert not person.is_staff and not person.is_superuser
    assert [a.code for a in person.areas.all()] == ["E06000044"]

    # Someone must belong to an area: with none they would be nobody's to manage.
    data.update({"username": "nowhere", "area_memberships-TOTAL_FORMS": "0"})
    response = intruder.post("/admin/auth/user/add/", data)
    assert response.status_code == 200
    assert not User.objects.filter(username="nowhere").exists()


def test_history_pages_of_another_areas_records_are_not_found_and_their_revert_saves_nothing(
    intruder, area, other_area, carers
):
    carers.name = "Carers support"
    carers.save()
    version = carers.history.order_by("history_id").first().history_id
    base = f"/admin/bettercare/scheme/{carers.pk}"
    assert intruder.get(f"{base}/history/").status_code == 404
    assert intruder.get(f"{base}/history/{version}/").status_code == 404
    response = intruder.post(
        f"{base}/history/{version}/",
        {
            "number": "1", "name": "Moved", "area": str(other_area.pk), "first_year": "2017-18",
            "last_year": "", "_save": "Save",
        },
    )
    assert response.status_code == 404
    carers.refresh_from_db()
    assert (carers.area, carers.name) == (area, "Carers support")


def test_a_final_pack_cannot_be_reverted_even_in_its_own_area(client, make_user, area):
    administrator = make_user("soton-admin", Role.ADMINISTRATOR, [area])
    pack = Pack.objects.create(
        area=area, board="JCB", quarter="2018-19-Q2", data_month="2018-08", brief_summary="First"
    )
    pack.brief_summary, pack.status = "As made Final", Pack.Status.FINAL
    pack.save()
    first = pack.history.order_by("history_id").first().history_id
    client.force_login(administrator)
    url = f"/admin/reports/pack/{pack.pk}/history/{first}/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # no Revert button
    response = client.post(url, {"brief_summary": "Rewritten", "status": "draft", "_save": "1"})
    assert response.status_code == 403
    pack.refresh_from_db()
    assert (pack.status, pack.brief_summary) == ("final", "As made Final")


def test_a_revert_changes_only_what_the_change_form_offers(client, make_user, area, carers):
    """An imported budget's amount is read-only: reverting its funding source to an earlier
    version keeps today's amount."""
    administrator = make_user("soton-admin", Role.ADMINISTRATOR, [area])
    budget = Budget.objects.create(
        area=area, financial_year="2018-19", scheme=carers, partner=area.partners.get(code="CCG"),
        amount=Decimal("1000.00"), funding_source="nhs",
    )
    budget.amount, budget.funding_source = Decimal("2500.00"), "ibcf"
    budget.save()
    first = budget.history.order_by("history_id").first().history_id
    client.force_login(administrator)
    response = client.post(
        f"/admin/finance/budget/{budget.pk}/history/{first}/",
        {"funding_source": "nhs", "_save": "Save"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    budget.refresh_from_db()
    assert (budget.funding_source, budget.amount) == ("nhs", Decimal("2500.00"))


def test_the_metric_catalogue_is_changed_by_superusers_only(
    intruder, southampton_superuser, client
):
    metric = Metric.objects.first()
    url = f"/admin/metrics/metric/{metric.pk}/change/"
    page = intruder.get(url)
    assert page.status_code == 200  # anyone with the admin may read the catalogue
    assert 'name="red_from"' not in page.content.decode()
    data = {"name": "Renamed by an area", "red_from": "99", "_save": "Save"}
    assert intruder.post(url, data).status_code == 403
    assert intruder.get("/admin/metrics/metric/add/").status_code == 403
    versions = metric.history.values_list("history_id", flat=True)
    if versions:
        assert intruder.post(f"{url.rsplit('/change/', 1)[0]}/history/{versions[0]}/", data)\
            .status_code == 403
    metric.refresh_from_db()
    assert metric.name != "Renamed by an area"

    superuser = Client()
    superuser.force_login(southampton_superuser)
    assert 'name="red_from"' in superuser.get(url).content.decode()


def test_pickers_offer_only_the_administrators_areas_records(
    intruder, area, other_area, lead, make_user
):
    portsmouth_lead = make_user("portsmouth-lead", Role.SCHEME_LEAD, [other_area])
    PartnerFactory(area=other_area, code="PCC", name="Portsmouth City Council")
    page = intruder.get("/admin/bettercare/scheme/add/").content.decode()
    assert "Portsmouth City Council" in page and "Southampton City" not in page
    assert "portsmouth-lead" in page and "lead-carers" not in page
    assert "Southampton" not in page
    listing = intruder.get("/admin/bettercare/partner/").content.decode()
    assert "Southampton" not in listing  # the area filter lists only Portsmouth

    scheme = SchemeFactory(area=other_area, number=7, host=other_area.partners.get(code="PCC"))
    data = {
        "number": "7", "name": "Renamed", "short_name": "", "area": str(other_area.pk),
        "host": str(area.partners.get(code="CCG").pk), "pooled": "on",
        "first_year": "2017-18", "last_year": "", "leads": [str(lead.pk), str(portsmouth_lead.pk)],
        "year_names-TOTAL_FORMS": "0", "year_names-INITIAL_FORMS": "0", "_save": "Save",
    }
    response = intruder.post(f"/admin/bettercare/scheme/{scheme.pk}/change/", data)
    assert response.status_code == 200
    scheme.refresh_from_db()
    assert scheme.host.area == other_area and not scheme.leads.exists()


def test_an_area_administrator_sees_and_lifts_only_their_own_peoples_login_locks(
    intruder, make_user, other_area, analyst
):
    from axes.models import AccessAttempt

    make_user("portsmouth-analyst", Role.ANALYST, [other_area])
    for username in ("portsmouth-analyst", "analyst"):
        for _ in range(5):
            Client().post(reverse("login"), {"username": username, "password": "wrong"})
    assert AccessAttempt.objects.count() == 2
    listing = intruder.get("/admin/axes/accessattempt/").content.decode()
    assert "portsmouth-analyst" in listing
    theirs = AccessAttempt.objects.get(username="analyst")
    mine = AccessAttempt.objects.get(username="portsmouth-analyst")
    assert intruder.get(f"/admin/axes/accessattempt/{theirs.pk}/delete/").status_code == 302
    assert intruder.post(f"/admin/axes/accessattempt/{theirs.pk}/delete/", {"post": "yes"})\
        .status_code == 302
    assert AccessAttempt.objects.filter(pk=theirs.pk).exists()
    response = intruder.post(f"/admin/axes/accessattempt/{mine.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(pk=mine.pk).exists()


def test_blank_optional_years_and_quarter_save_in_the_admin(client, make_user, area, carers):
    """As shipped, an administrator could not save a scheme with no last year (NOT NULL)."""
    administrator = make_user("soton-admin", Role.ADMINISTRATOR, [area])
    client.force_login(administrator)
    data = {
        "number": "1", "name": "Carers", "short_name": "", "area": str(area.pk),
        "host": str(carers.host_id), "pooled": "on", "first_year": "2017-18", "last_year": "",
        "year_names-TOTAL_FORMS": "0", "year_names-INITIAL_FORMS": "0", "_save": "Save",
    }
    response = client.post(f"/admin/bettercare/scheme/{carers.pk}/change/", data)
    assert response.status_code == 302, _errors(response)
    assert Scheme.objects.get(pk=carers.pk).last_year == ""
    data = {
        "code": area.code, "name": area.name, "current_quarter": "", "vision": "",
        "partners-TOTAL_FORMS": "0", "partners-INITIAL_FORMS": "0",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0", "_save": "Save",
    }
    response = client.post(f"/admin/bettercare/area/{area.pk}/change/", data)
    assert response.status_code == 302, _errors(response)
    assert AreaMembership.objects.filter(user=administrator, area=area).exists()
