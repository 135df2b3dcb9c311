"""Shared fixtures: an area with its partners, one person per role, and logged-in clients; and
the whole Southampton demo, loaded once for each module whose tests ask for it (`demo`)."""

import sys

import pytest
from django.db import transaction

from bettercare.demo import load_demo
from bettercare.models import Area, Partner
from bettercare.roles import Role
from bettercare.services import scheme_lead_assign, user_with_role_save

from .factories import AreaFactory, PartnerFactory, SchemeFactory
from .smtp import after_commit, smtp_down, smtp_server, smtp_silent  # noqa: F401 (fixtures)

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


@pytest.fixture(autouse=True, scope="module")
def _close_the_shared_chart_renderer():
    """Builds draw their charts with the process's Chromium (`reports.drawing.shared_renderer`),
    as the web application does: kept between a module's tests (starting it costs more than
    drawing), closed when the module is done so that no module leaves a browser running under
    the next one."""
    yield
    drawing = sys.modules.get("reports.drawing")  # not imported at all by most tests
    if drawing is not None and drawing._shared is not None:
        drawing._shared.close()



# --- Data made once per module -------------------------------------------------------------

MODULE_DATA: set[str] = set()  # the names of the fixtures made with `module_data`


def module_data(make):
    """A module-scoped fixture of data that many of a module's tests read: `make()` runs once,
    in a transaction each of those tests runs inside (each test still rolls back its own
    changes), rolled back when the module is done. The tests that ask for it run after the
    module's other tests (`pytest_collection_modifyitems`), so no other test ever sees it.

        @module_data
        def demo_pack_pdf():
            return build(Pack.objects.get(...))
    """

    @pytest.fixture(scope="module", name=make.__name__)
    def fixture(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                made = make()
            except BaseException:
                outer.__exit__(None, None, None)
                raise
        yield made
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)

    fixture.__doc__ = make.__doc__
    MODULE_DATA.add(make.__name__)
    return fixture


@module_data
def demo_database():
    """The whole Southampton demo, loaded once for a module's tests that ask for `demo`."""
    load_demo(log=lambda line: None)


@pytest.fixture
def demo(demo_database, db) -> Area:
    """Southampton, with the whole demo loaded (users, schemes, reports, metrics, finance, the
    Draft JCB pack for Q2 2018/19)."""
    return Area.objects.get(code="E06000045")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    """Within each module's run of tests (pytest-django has already put the database tests
    first and the transactional ones after them, as Django does), the tests on data made once
    per module (`module_data`) run last: that data stays from the first such test to the end of
    the run."""
    run_start, previous = {}, None
    for index, item in enumerate(items):
        if item.module is not previous:
            start, previous = index, item.module
        run_start[item.nodeid] = start
    items.sort(
        key=lambda item: (
            run_start[item.nodeid],
            bool(MODULE_DATA.intersection(item.fixturenames)),
        )
    )
