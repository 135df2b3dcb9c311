"""Who sees which areas and schemes, the core of every app's answers (see
tests/permissions_matrix.py): everyone only their own areas, a scheme lead only their schemes."""

import pytest

from bettercare import permissions
from bettercare.selectors import schemes_visible_to
from tests.permissions_matrix import (
    table,
    world,  # noqa: F401 (the fixture)
)

TABLE = {
    "belong to the scheme's area": (
        lambda user, scheme: permissions.is_member(user, scheme.area),
        table(
            administrator="YYN",
            analyst="YYN",
            board_secretary="YYN",
            scheme_lead="YYN",
            no_role="YYN",
            superuser="YYN",
        ),
    ),
    "see the scheme": (
        permissions.may_see_scheme,
        table(
            administrator="YYN",
            analyst="YYN",
            board_secretary="YYN",
            scheme_lead="YNN",
            superuser="YYN",
        ),
    ),
    "find it among the schemes listed for its area": (
        lambda user, scheme: scheme in schemes_visible_to(user=user, area=scheme.area),
        table(
            administrator="YYN",
            analyst="YYN",
            board_secretary="YYN",
            scheme_lead="YNN",
            superuser="YYN",
        ),
    ),
}


@pytest.mark.parametrize("action", TABLE)
def test_who_may(world, action):  # noqa: F811
    check, expected = TABLE[action]
    assert world.answers(check) == expected


def test_only_administrators_get_the_admin_site():
    assert [role.value for role in permissions.Role if permissions.may_use_admin_site(role)] == [
        "administrator"
    ]
