"""The board pack's fixtures, for the builds run by a worker (the queue's own fixtures are the
plugin tests/queue_fixtures.py)."""

from tests.reports.conftest import pack, priorities, ratings  # noqa: F401
