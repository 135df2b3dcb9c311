"""Southampton's demo board pack: the HWBB's six priorities, portfolio ratings for Quarters One
and Two 2018/19 (illustrative), the area's compliance with the 2018/19 national conditions, and
a Draft JCB pack for Quarter Two 2018/19 in the council's report template, with commentary on
each metric, six performance headlines (the national metrics; delayed days with its SPC chart)
and the programme's key risks.

Idempotent: everything is written through the services, which update what exists. A demo pack
someone has since made Final is left as it is (a Final pack's text never changes)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from bettercare.demo import read_fixture
from bettercare.models import Scheme
from bettercare.periods import parse_financial_year, parse_quarter
from metrics.models import Metric

from .models import Pack
from .selectors import pack_find
from .services import (
    ConditionEntry,
    MetricText,
    RatingEntry,
    RiskText,
    national_conditions_save,
    pack_create,
    pack_text_save,
    portfolio_ratings_save,
    priority_save,
)


def load(*, area, log) -> None:
    priorities = {
        item["number"]: priority_save(area=area, number=item["number"], title=item["title"])
        for item in read_fixture("priorities.json")["priorities"]
    }
    log(f"{len(priorities)} priorities of the Health and Wellbeing Board")

    portfolio = read_fixture("portfolio.json")
    analyst = get_user_model().objects.get(username=portfolio["rated_by"])
    schemes = {scheme.number: scheme for scheme in Scheme.objects.in_area(area)}
    for quarter_text, ratings in portfolio["ratings"].items():
        quarter = parse_quarter(quarter_text)
        portfolio_ratings_save(
            area=area,
            quarter=quarter,
            entries=[
                RatingEntry(
                    scheme=schemes[item["scheme"]], rag=item["rag"], narrative=item["narrative"]
                )
                for item in ratings
            ],
            user=analyst,
            # Rated near the end of their quarter, not on the day the demo is loaded.
            at=timezone.make_aware(
                dt.datetime.combine(quarter.end - dt.timedelta(days=3), dt.time(16))
            ),
        )
        log(f"Portfolio ratings for {quarter.short_label}: {len(ratings)} schemes")

    data = read_fixture("pack-jcb-2018-19-q2.json")
    conditions = data["national_conditions"]
    national_conditions_save(
        area=area,
        year=parse_financial_year(conditions["financial_year"]),
        entries=[ConditionEntry(**item) for item in conditions["conditions"]],
        user=get_user_model().objects.get(username=conditions["recorded_by"]),
    )
    log(f"National conditions for {conditions['financial_year']}: recorded by the analyst")
    quarter = parse_quarter(data["quarter"])
    secretary = get_user_model().objects.get(username="secretary")
    pack = pack_find(area=area, board=data["board"], quarter=quarter) or pack_create(
        area=area,
        board=data["board"],
        quarter=quarter,
        user=secretary,
        at=timezone.make_aware(dt.datetime.fromisoformat(data["created"])),
    )
    if pack.status != Pack.Status.DRAFT:
        log(f"{pack} is Final: left as it is")
        return
    metrics = Metric.objects.in_bulk(list(data["metrics"]), field_name="code")
    pack_text_save(
        pack=pack,
        text={**data["text"], "meeting_date": dt.date.fromisoformat(data["meeting_date"])},
        highlights={
            priorities[int(number)].pk: text for number, text in data["highlights"].items()
        },
        exempt_sections=[],
        metric_texts={
            metrics[code].pk: MetricText(**text) for code, text in data["metrics"].items()
        },
        risks=[
            RiskText(
                risk=item["risk"],
                mitigation=item["mitigation"],
                scheme=schemes.get(item["scheme"]),
            )
            for item in data["risks"]
        ],
    )
    log(f"Draft board pack: {pack}")
