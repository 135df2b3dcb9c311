"""Shared fixtures: an area with its partners, one person per role, and logged-in clients."""

import sys

import pytest

from bettercare.models import Partner
from bettercare.roles import Role
from bettercare.services import user_with_role_save
from schemes.services import scheme_lead_assign

from .factories import AreaFactory, PartnerFactory, SchemeFactory
from .smtp import after_commit, smtp_down, smtp_server  # noqa: F401 (fixtures for every test)

# A real Redis and RQ workers, for the tests that run jobs through the queue.
pytest_plugins = ["tests.queue_fixtures"]


@pytest.fixture
def area(db):
    southampton = AreaFactory(code="E06000045", name="Southampton")
    PartnerFactory(area=southampton, code="CCG", name="Southampton City CCG", kind=Partner.Kind.NHS)
    PartnerFactory(
        area=southampton, code="SCC", name="Southampton City Council", kind=Partner.Kind.COUNCIL
    )
    return southampton


@pytest.fixture
def other_area(db):
    portsmouth = AreaFactory(code="E06000044", name="Portsmouth")
    PartnerFactory(area=portsmouth, code="CCG", name="Portsmouth CCG", kind=Partner.Kind.NHS)
    return portsmouth


@pytest.fixture
def make_user(db):
    def make(username: str, role: Role, areas=(), email: str | None = None):
        return user_with_role_save(
            username=username, role=role, areas=areas, password="bettercare-test",
            first_name=username.title(), last_name="Tester",
            email=f"{username}@example.org" if email is None else email,
        )

    return make


@pytest.fixture
def analyst(make_user, area):
    return make_user("analyst", Role.ANALYST, [area])


@pytest.fixture
def secretary(make_user, area):
    return make_user("secretary", Role.BOARD_SECRETARY, [area])


@pytest.fixture
def administrator(make_user, area):
    return make_user("administrator", Role.ADMINISTRATOR, [area])


@pytest.fixture
def carers(area):
    return SchemeFactory(area=area, number=1, name="Carers", host=area.partners.get(code="SCC"))


@pytest.fixture
def clusters(area):
    return SchemeFactory(area=area, number=2, name="Clusters", host=area.partners.get(code="CCG"))


@pytest.fixture
def lead(make_user, area, carers):
    """The lead of scheme 1 (Carers) only."""
    user = make_user("lead-carers", Role.SCHEME_LEAD, [area])
    scheme_lead_assign(scheme=carers, user=user)
    return user


@pytest.fixture
def login(client):
    """`login(user)` logs the test client in as that user and returns the client."""

    def log_in(user):
        client.force_login(user)
        return client

    return log_in


@pytest.fixture(autouse=True)
def _close_the_shared_chart_renderer():
    """Opening a Draft pack's page starts the process's Chromium in the background (see
    reports.views.pack_detail); close it after each test, so that no test leaves a browser
    running under the next one's timings."""
    yield
    drawing = sys.modules.get("reports.drawing")  # not imported at all by most tests
    if drawing is not None and drawing._shared is not None:
        drawing._shared.close()

