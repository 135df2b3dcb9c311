"""The data the board pack benchmarks share: the demo, plus ten accepted 2018/19 Quarter 2
highlight reports, one per scheme, with the text of each scheme's Quarter 4 report, as an
analyst records paper reports (the demo's own reports are 2017/18 Quarter 4's). With them the
Southampton JCB pack for Q2 2018/19 is the issue's pack: ten scheme reports, the table of ten
metrics, eight charts, 55 pages. Import after Django is set up."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from bettercare.demo import read_fixture
from bettercare.models import Scheme
from reports.models import Pack
from schemes.demo import report_content
from schemes.services import highlight_report_record_paper


def record_quarter_two_reports(area) -> None:
    """Ten accepted 2018/19 Quarter 2 reports, one per scheme, with their Quarter 4 text."""
    quarter = Pack.objects.get(board="JCB").quarter
    analyst = get_user_model().objects.get(username="analyst")
    schemes = {scheme.number: scheme for scheme in Scheme.objects.in_area(area)}
    for item in read_fixture("highlight_reports.json")["reports"]:
        scheme = schemes[item["scheme"]]
        highlight_report_record_paper(
            scheme=scheme,
            quarter=quarter,
            user=analyst,
            content=report_content(item, scheme=scheme, report_date=dt.date(2018, 10, 12)),
            board_dates={},
            today=dt.date(2018, 10, 15),
            at=timezone.make_aware(dt.datetime(2018, 10, 12, 17)),
        )
