"""Roles as groups with permissions, and the demo data set."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from bettercare.models import Area, AreaMembership, Scheme
from bettercare.roles import GROUP_NAMES, Role, primary_role, roles_sync, user_roles

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= set(GROUP_NAMES.values())


def test_roles_sync_gives_each_group_the_permissions_its_apps_ask_for():
    administrators = Group.objects.get(name=GROUP_NAMES[Role.ADMINISTRATOR])
    administrators.permissions.clear()
    roles_sync()
    codenames = set(administrators.permissions.values_list("codename", flat=True))
    assert {"change_area", "add_scheme", "change_user"} <= codenames
    analysts = Group.objects.get(name=GROUP_NAMES[Role.ANALYST])
    assert "add_scheme" not in set(analysts.permissions.values_list("codename", flat=True))


def test_primary_role_is_the_widest(make_user, area):
    user = make_user("both", Role.SCHEME_LEAD, [area])
    user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.ANALYST]))
    user = get_user_model().objects.get(pk=user.pk)
    assert user_roles(user) == [Role.ANALYST, Role.SCHEME_LEAD]
    assert primary_role(user) == Role.ANALYST


def test_administrators_get_the_admin_site(administrator, analyst):
    assert administrator.is_staff
    assert not analyst.is_staff


def _demo_snapshot():
    return (
        list(Area.objects.values_list("code", "name", "current_quarter")),
        sorted(Scheme.objects.values_list("number", "name", "host__code", "pooled")),
        sorted(AreaMembership.objects.values_list("user__username", "area__code")),
        sorted(
            (scheme.number, lead.username)
            for scheme in Scheme.objects.prefetch_related("leads")
            for lead in scheme.leads.all()
        ),
    )


def test_load_demo_builds_southampton_and_is_idempotent():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _demo_snapshot()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _demo_snapshot() == first

    southampton = Area.objects.get(code="E06000045")
    assert southampton.name == "Southampton"
    assert set(southampton.partners.values_list("code", "kind")) == {
        ("CCG", "nhs"),
        ("SCC", "council"),
    }
    schemes = {s.number: s for s in Scheme.objects.filter(area=southampton)}
    assert len(schemes) == 10
    assert schemes[1].name == "Carers" and schemes[1].host.code == "SCC"
    assert schemes[2].name == "Clusters" and schemes[2].host.code == "CCG"
    assert not schemes[9].pooled and schemes[9].host_label.startswith("Budgets not pooled")
    leads = {(number, username) for number, username in first[3]}
    # A lead for every scheme.
    assert {number for number, _ in leads} == set(range(1, 11))
    assert {(1, "lead-carers"), (2, "lead-clusters")} <= leads

    User = get_user_model()
    for username in ("admin", "analyst", "secretary", "lead-carers", "lead-clusters"):
        assert User.objects.get(username=username).check_password("bettercare-demo")
    assert User.objects.get(username="admin").is_superuser
    assert primary_role(User.objects.get(username="secretary")) == Role.BOARD_SECRETARY
