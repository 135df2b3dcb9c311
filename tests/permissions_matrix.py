"""The people and records every app's permission table is checked against.

Six people, all belonging to one area: an administrator, an analyst, a board secretary, the
lead of that area's scheme 1, someone with no role, and a Django superuser. Three records to act
on: the lead's own scheme (scheme 1), another scheme of the same area (scheme 2), and a scheme
of another area none of them belongs to (the lead is still named as its lead, without
belonging). An app's table gives, for each action and each person, the answer for those three
as a word of Y and N: "YYN" is allowed on both schemes of their area and refused in the other
area.
"""

from dataclasses import dataclass

import pytest

from bettercare.roles import Role
from tests.factories import AreaFactory, CouncilFactory, PartnerFactory, SchemeFactory, UserFactory

PEOPLE = ("administrator", "analyst", "board_secretary", "scheme_lead", "no_role", "superuser")
RECORDS = ("own scheme", "other scheme", "other area")


@dataclass
class World:
    people: dict
    schemes: dict  # by RECORDS

    def answers(self, check) -> dict[str, str]:
        """{person: "YYN"}: `check(user, scheme)` for each person and record."""
        return {
            person: "".join("Y" if check(user, self.schemes[record]) else "N" for record in RECORDS)
            for person, user in self.people.items()
        }


@pytest.fixture
def world(db) -> World:
    home, away = AreaFactory(name="Southampton"), AreaFactory(name="Portsmouth")
    for area in (home, away):
        PartnerFactory(area=area)
        CouncilFactory(area=area)
    people = {
        role.value: UserFactory(username=role.value, role=role, areas=[home]) for role in Role
    }
    people["no_role"] = UserFactory(username="no-role", areas=[home])
    people["superuser"] = UserFactory(username="root", areas=[home], is_superuser=True)
    lead = people[Role.SCHEME_LEAD.value]
    schemes = {
        "own scheme": SchemeFactory(area=home, number=1, leads=[lead]),
        "other scheme": SchemeFactory(area=home, number=2),
        "other area": SchemeFactory(area=away, number=1),
    }
    # The hostile case: still named as a lead of the other area's scheme after leaving that
    # area (a membership removed in the admin). Naming is not belonging: still refused there.
    schemes["other area"].leads.add(lead)
    return World(people={person: people[person] for person in PEOPLE}, schemes=schemes)


def table(**rows: str) -> dict[str, str]:
    """An action's expected answers; people not named are refused everywhere ("NNN")."""
    unknown = set(rows) - set(PEOPLE)
    assert not unknown, f"not people of the table: {unknown}"
    return {person: rows.get(person, "NNN") for person in PEOPLE}
