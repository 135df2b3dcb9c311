"""The Southampton demo board pack: priorities, ratings and the Draft JCB pack, idempotent."""

import pytest

from bettercare.demo import load_demo
from reports.models import Pack, PackHighlight, PortfolioRating, Priority
from reports.selectors import pack_highlights

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Priority, Pack, PackHighlight, PortfolioRating)
    } | {
        "pack history": Pack.history.count(),
        "rating history": PortfolioRating.history.count(),
        "highlight history": PackHighlight.history.count(),
    }


def test_demo_loads_the_priorities_ratings_and_a_draft_jcb_pack_once():
    load_demo(log=lambda line: None)
    first = counts()
    load_demo(log=lambda line: None)
    assert counts() == first
    assert first["Priority"] == 6 and first["Pack"] == 1 and first["PortfolioRating"] == 20

    pack = Pack.objects.get()
    assert (pack.board, str(pack.quarter), pack.status) == ("JCB", "2018-19-Q2", "draft")
    assert pack.meeting_date.isoformat() == "2018-11-15"
    assert (
        pack.recommendation_lines[0] == "To note Quarter Two 2018/19 performance for Better Care."
    )
    assert all(item.text for item in pack_highlights(pack=pack))
    assert Priority.objects.get(number=3).title.startswith("A more radical shift in the balance")
