"""bettercare 0005: roles move from the person to each of their areas. Every membership that
existed gets its user's role (the widest of their groups), so no one gains or loses a right."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_each_membership_gets_its_users_role(area, other_area, django_user_model):
    old = migrate([("bettercare", "0004_scheme_register")])
    try:
        Membership = old.get_model("bettercare", "AreaMembership")
        both = django_user_model.objects.create(username="two-groups")
        both.groups.add(Group.objects.get_or_create(name="Scheme leads")[0])
        both.groups.add(Group.objects.get_or_create(name="Analysts")[0])
        secretary = django_user_model.objects.create(username="secretary-old")
        secretary.groups.add(Group.objects.get_or_create(name="Board secretaries")[0])
        nobody = django_user_model.objects.create(username="no-group")
        for user in (both, secretary):
            for place in (area, other_area):
                Membership.objects.create(user_id=user.pk, area_id=place.pk)
        Membership.objects.create(user_id=nobody.pk, area_id=area.pk)
    finally:
        new = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    roles = sorted(
        new.get_model("bettercare", "AreaMembership").objects.values_list(
            "user__username", "area__code", "role"
        )
    )
    assert roles == [
        ("no-group", "E06000045", ""),
        ("secretary-old", "E06000044", "board_secretary"),
        ("secretary-old", "E06000045", "board_secretary"),
        ("two-groups", "E06000044", "analyst"),
        ("two-groups", "E06000045", "analyst"),
    ]
