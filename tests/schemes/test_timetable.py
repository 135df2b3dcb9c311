"""The reporting timetable: which dates fit a quarter, where reports stand against it, and the
analyst's page that sets it."""

import datetime as dt

import pytest
from django.urls import reverse

from schemes.deadlines import (
    completeness,
    deadline_words,
    standing,
    timetable_problems,
)
from schemes.models import ReportingTimetable
from schemes.workflow import Status

d = dt.date.fromisoformat
Q2_END = d("2018-09-30")


@pytest.mark.parametrize(
    ("due", "jcb", "hwb", "problems"),
    [
        ("2018-10-12", "2018-11-15", "2018-12-05", {}),
        ("2018-09-30", None, None, {}),  # due on the quarter's last day
        ("2018-10-12", "2018-11-15", "2018-11-15", {}),  # both boards on one day
        ("2018-09-29", None, None, {"reports_due": "on or after 30 September 2018"}),
        ("2019-10-12", None, None, {"reports_due": "within three months"}),
        ("2018-10-12", "2018-10-11", None, {"jcb_meeting": "on or after the date reports"}),
        ("2018-10-12", "2018-09-15", None, {"jcb_meeting": "after the end of Q2 2018/19"}),
        ("2018-10-12", "2018-11-15", "2019-12-05", {"hwb_meeting": "within six months"}),
        ("2018-10-12", "2018-11-15", "2018-11-01", {"hwb_meeting": "the JCB signs"}),
    ],
)
def test_timetable_dates_are_checked_against_the_quarter(due, jcb, hwb, problems):
    found = timetable_problems(
        quarter_label="Q2 2018/19",
        quarter_end=Q2_END,
        reports_due=d(due),
        jcb_meeting=d(jcb) if jcb else None,
        hwb_meeting=d(hwb) if hwb else None,
    )
    assert set(found) == set(problems)
    for field, words in problems.items():
        assert words in found[field]


@pytest.mark.parametrize(
    ("status", "today", "label"),
    [
        (None, "2018-10-12", "Not started"),  # due today: not late yet
        (None, "2018-10-13", "Not started, overdue by 1 day"),
        (Status.DRAFT, "2018-10-15", "Draft, overdue by 3 days"),
        (Status.RETURNED, "2018-10-15", "Returned with comments, overdue by 3 days"),
        (Status.SUBMITTED, "2018-10-15", "Submitted"),  # with the analysts: not the lead's
        (Status.ACCEPTED, "2018-11-01", "Accepted"),
    ],
)
def test_where_a_report_stands_against_its_due_date(status, today, label):
    assert standing(status, d("2018-10-12"), d(today)).label == label


def test_completeness_reads_as_a_reporting_rate():
    due, today = d("2018-10-12"), d("2018-10-15")
    statuses = [Status.ACCEPTED] * 6 + [Status.SIGNED_OFF_BY_JCB] + [None, Status.DRAFT]
    statuses += [Status.SUBMITTED]
    result = completeness(standing(status, due, today) for status in statuses)
    assert result.summary == "7 of 10 accepted, 1 waiting for review, 2 overdue"
    early = completeness(standing(None, due, d("2018-10-01")) for _ in range(3))
    assert early.summary == "0 of 3 accepted, 3 still to submit"


@pytest.mark.parametrize(
    ("today", "words"),
    [
        ("2018-10-07", "Due 12 October 2018, in 5 days"),
        ("2018-10-11", "Due 12 October 2018, in 1 day"),
        ("2018-10-12", "Due today, 12 October 2018"),
        ("2018-10-14", "Was due 12 October 2018: overdue by 2 days"),
    ],
)
def test_a_lead_is_told_the_deadline_in_words(today, words):
    assert deadline_words(d("2018-10-12"), d(today)) == words


EDIT = reverse("schemes:timetable_edit", kwargs={"quarter": "2018-19-Q2"})


def parts(name, date):
    day, month, year = date.split("/")
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def test_an_analyst_sets_the_timetable_with_day_month_year_boxes(login, analyst, area):
    client = login(analyst)
    page = client.get(EDIT).content.decode()
    assert 'name="reports_due_day"' in page and 'name="hwb_meeting_year"' in page
    data = {**parts("reports_due", "12/10/2018"), **parts("jcb_meeting", "15/11/2018")}
    data |= parts("hwb_meeting", "5/12/2018")
    response = client.post(EDIT, data)
    assert response.status_code == 302
    timetable = ReportingTimetable.objects.get(area=area)
    assert (timetable.reports_due, timetable.jcb_meeting, timetable.hwb_meeting) == (
        d("2018-10-12"),
        d("2018-11-15"),
        d("2018-12-05"),
    )
    assert timetable.updated_by == analyst
    listing = client.get(reverse("schemes:timetable")).content.decode()
    assert "12 October 2018" in listing and "5 December 2018" in listing


def test_bad_timetable_dates_are_said_beside_each_box_and_kept(login, analyst, area):
    data = {**parts("reports_due", "31/9/2018"), **parts("jcb_meeting", "15/11/2018")}
    data |= {"hwb_meeting_day": "5", "hwb_meeting_month": "", "hwb_meeting_year": "2018"}
    response = login(analyst).post(EDIT, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "The date highlight reports are due must be a real date" in page
    assert "The Health and Wellbeing Board meeting must include a month" in page
    assert 'href="#id_reports_due_day"' in page  # the error summary links to the first box
    assert 'value="15"' in page  # what was typed is kept
    assert not ReportingTimetable.objects.exists()
    data = {**parts("reports_due", "12/10/2018"), **parts("jcb_meeting", "1/10/2018")}
    page = login(analyst).post(EDIT, data).content.decode()
    assert "must be on or after the date reports are due (12 October 2018)" in page


def test_only_analysts_of_the_area_set_it(login, lead, secretary, analyst, make_user, other_area):
    from bettercare.roles import Role

    for user in (lead, secretary):
        assert login(user).get(EDIT).status_code == 403
        assert login(user).post(EDIT, parts("reports_due", "12/10/2018")).status_code == 403
    outsider = make_user("analyst-portsmouth", Role.ANALYST, [other_area])
    login(outsider).post(EDIT, parts("reports_due", "12/10/2018"))
    assert not ReportingTimetable.objects.filter(area__code="E06000045").exists()
    assert login(secretary).get(reverse("schemes:timetable")).status_code == 200


def test_the_leads_home_page_shows_the_deadline(login, lead, area, monkeypatch):
    from django.utils import timezone

    from schemes.services import reporting_timetable_save
    from schemes.workflow import Status as _  # noqa: F401

    reporting_timetable_save(
        area=area, quarter=area.reporting_quarter(), reports_due=d("2018-10-12")
    )
    monkeypatch.setattr(timezone, "localdate", lambda *a: d("2018-10-07"))
    home = login(lead).get(reverse("home")).content.decode()
    assert "Not started yet. Due 12 October 2018, in 5 days." in home
    page = login(lead).get(reverse("schemes:index")).content.decode()
    assert "Due 12 October 2018, in 5 days" in page
