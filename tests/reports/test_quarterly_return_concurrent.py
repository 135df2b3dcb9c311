"""Two analysts saving the same quarter's return at the same moment, the first save of the
quarter for both (each thread with its own database connection, as two requests have): neither
fails, there is one return, and it holds one analyst's whole save, never half of each."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from bettercare.periods import parse_quarter
from bettercare.roles import Role
from reports.models import QuarterlyReturn, ReturnMetric
from reports.selectors import quarterly_return
from reports.services import ReturnMetricEntry, quarterly_return_save

pytestmark = pytest.mark.django_db(transaction=True)

Q2 = parse_quarter("2018-19-Q2")


def test_two_analysts_saving_at_once_one_whole_save_wins(make_user, area):
    area.current_quarter = Q2
    area.save()
    people = [make_user(f"analyst-{n}", Role.ANALYST, [area]) for n in (1, 2)]
    metrics = quarterly_return(area=area, quarter=Q2).metrics
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def save(user):
        try:
            start.wait(timeout=10)
            quarterly_return_save(
                area=area,
                quarter=Q2,
                contact_phone=user.username,
                entries=[
                    ReturnMetricEntry(
                        code=row.metric.code,
                        assessment=row.worked_out.value,
                        challenges=f"Written by {user.username}",
                    )
                    for row in metrics
                ],
                user=user,
            )
        except BaseException as error:  # reported below, with the thread's error
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    record = QuarterlyReturn.objects.get(area=area, quarter=Q2)
    rows = ReturnMetric.objects.filter(quarterly_return=record)
    texts = set(rows.values_list("challenges", flat=True))
    assert texts == {f"Written by {record.contact_phone}"}
    assert record.updated_by.username == record.contact_phone
    assert ReturnMetric.objects.filter(quarterly_return=record).count() == len(metrics)
