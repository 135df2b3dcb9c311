"""Writes of board packs, their versions and the portfolio ratings, against the database."""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError

from bettercare.periods import parse_quarter
from reports.defaults import CARRIED_FORWARD_FIELDS, default_text
from reports.models import (
    Board,
    FrozenRecordError,
    Pack,
    PackHighlight,
    PackVersion,
    PortfolioRating,
)
from reports.pdf import PdfResult
from reports.selectors import home_tasks, pack_highlights, portfolio_rows
from reports.services import (
    PackNotEditable,
    RatingEntry,
    pack_correction_start,
    pack_create,
    pack_text_save,
    pack_version_create,
    portfolio_ratings_save,
)
from tests.factories import SchemeFactory

pytestmark = pytest.mark.django_db

Q1, Q2, Q3 = (parse_quarter(f"2018-19-Q{n}") for n in (1, 2, 3))


@pytest.mark.parametrize(
    "board,board_name",
    [("JCB", "Joint Commissioning Board"), ("HWB", "Health and Wellbeing Board")],
)
def test_default_text_speaks_of_the_quarter_and_the_board(board, board_name):
    text = default_text(quarter=Q2, board_name=Board(board).label)
    assert text["recommendations"] == "To note Quarter Two 2018/19 performance for Better Care."
    assert "Quarter Two 2018/19" in text["brief_summary"]
    assert text["reasons"].startswith(f"The {board_name} receives")
    assert text["confidentiality"] == "None."
    assert set(CARRIED_FORWARD_FIELDS) <= set(text)
    assert "brief_summary" not in CARRIED_FORWARD_FIELDS  # the quarter's own text starts afresh


def test_a_boards_first_pack_has_default_text_its_creator_as_contact_and_a_highlight_per_priority(
    area, priorities, secretary
):
    pack = pack_create(area=area, board="JCB", quarter=Q2, user=secretary)
    assert pack.status == Pack.Status.DRAFT
    assert pack.recommendations == "To note Quarter Two 2018/19 performance for Better Care."
    assert pack.contact_name == "Secretary Tester"
    assert [item.priority for item in pack_highlights(pack=pack)] == priorities
    assert all(item.text == "" for item in pack_highlights(pack=pack))


def test_the_next_pack_carries_the_standing_text_forward_but_not_the_quarters_text(
    area, priorities, secretary
):
    first = pack_create(area=area, board="JCB", quarter=Q1, user=secretary)
    pack_text_save(
        pack=first,
        text={
            "report_of": "Director of Integration",
            "legal_implications": "Section 75 agreement of 2017.",
            "brief_summary": "Quarter One was quiet.",
        },
        highlights={priorities[0].pk: "Q1 news."},
    )
    other_board = pack_create(area=area, board="HWB", quarter=Q3)
    second = pack_create(area=area, board="JCB", quarter=Q2)

    assert second.report_of == "Director of Integration"
    assert second.legal_implications == "Section 75 agreement of 2017."
    assert second.contact_name == "Secretary Tester"
    assert second.brief_summary != "Quarter One was quiet."
    assert "Quarter Two 2018/19" in second.brief_summary
    assert all(item.text == "" for item in pack_highlights(pack=second))
    assert other_board.report_of == "Director of Quality and Integration"  # not the JCB's


def test_one_pack_per_board_and_quarter(area):
    pack_create(area=area, board="JCB", quarter=Q2)
    with pytest.raises(ValidationError, match="already a JCB pack for Q2 2018/19"):
        pack_create(area=area, board="JCB", quarter=Q2)
    with pytest.raises(ValidationError, match="board must be one of JCB, HWB"):
        pack_create(area=area, board="CPB", quarter=Q2)


def test_text_save_checks_everything_before_writing(pack, priorities, other_area):
    with pytest.raises(ValidationError, match="cannot be exempt: summary"):
        pack_text_save(pack=pack, text={"brief_summary": "Changed"}, exempt_sections=["summary"])
    with pytest.raises(ValidationError):
        pack_text_save(pack=pack, text={"contact_email": "not an address"})
    with pytest.raises(ValidationError, match="Not editable"):
        pack_text_save(pack=pack, text={"status": "final"})
    stranger = type(priorities[0]).objects.create(area=other_area, number=1, title="Elsewhere")
    with pytest.raises(ValidationError, match="area's priorities"):
        pack_text_save(pack=pack, text={"brief_summary": "Changed"}, highlights={stranger.pk: "x"})
    pack.refresh_from_db()
    assert pack.brief_summary == "Quarter Two went well for the Carers scheme."
    assert pack.exempt_sections == []


def test_text_save_records_history_only_for_real_changes(pack, priorities):
    before = pack.history.count(), PackHighlight.history.count()
    pack_text_save(
        pack=pack,
        text={"brief_summary": pack.brief_summary},
        highlights={priorities[0].pk: "Clusters now cover working age adults."},
    )
    assert (pack.history.count(), PackHighlight.history.count()) == before
    pack_text_save(pack=pack, text={"meeting_date": dt.date(2018, 11, 15)})
    assert pack.history.count() == before[0] + 1


def pdf(text: bytes) -> PdfResult:
    return PdfResult(pdf=b"%PDF-1.7 " + text, pages=3)


def test_making_final_stores_the_version_and_freezes_the_text(pack, secretary):
    version = pack_version_create(
        pack=pack,
        user=secretary,
        full=pdf(b"full"),
        public=pdf(b"public"),
        figures_json=b'{"a": 1}\n',
        number=1,
    )
    pack.refresh_from_db()
    assert pack.status == Pack.Status.FINAL
    assert version.full_sha256 == pdf(b"full").sha256
    assert version.figures_sha256 == hashlib.sha256(b'{"a": 1}\n').hexdigest()
    with pytest.raises(PackNotEditable):
        pack_text_save(pack=pack, text={"brief_summary": "Too late"})
    with pytest.raises(FrozenRecordError):
        version.save()
    with pytest.raises(FrozenRecordError):
        version.delete()


def test_a_correction_is_the_next_version_and_never_overwrites(pack, secretary):
    pack_version_create(
        pack=pack, user=secretary, full=pdf(b"v1"), public=pdf(b"v1p"), figures_json=b"{}", number=1
    )
    pack = pack_correction_start(pack=pack)
    assert pack.status == Pack.Status.DRAFT
    with pytest.raises(ValidationError, match="still a Draft"):
        pack_correction_start(pack=pack)
    pack_text_save(pack=pack, text={"brief_summary": "Corrected."})
    with pytest.raises(ValidationError, match="next version is 2"):
        pack_version_create(
            pack=pack,
            user=secretary,
            full=pdf(b"x"),
            public=pdf(b"x"),
            figures_json=b"{}",
            number=1,
        )
    pack_version_create(
        pack=pack, user=secretary, full=pdf(b"v2"), public=pdf(b"v2p"), figures_json=b"{}", number=2
    )
    stored = {v.number: bytes(v.full_pdf) for v in PackVersion.objects.filter(pack=pack)}
    assert stored == {1: b"%PDF-1.7 v1", 2: b"%PDF-1.7 v2"}


def test_portfolio_ratings_need_a_narrative_for_amber_and_red_and_save_all_or_nothing(
    area, carers, clusters, analyst
):
    with pytest.raises(ValidationError) as refused:
        portfolio_ratings_save(
            area=area,
            quarter=Q2,
            user=analyst,
            entries=[
                RatingEntry(scheme=carers, rag="green", narrative=""),
                RatingEntry(scheme=clusters, rag="red", narrative="  "),
            ],
        )
    assert refused.value.messages == ["Scheme 2: say in the narrative why it is red."]
    assert PortfolioRating.objects.count() == 0

    portfolio_ratings_save(
        area=area,
        quarter=Q2,
        user=analyst,
        entries=[
            RatingEntry(scheme=carers, rag="green"),
            RatingEntry(scheme=clusters, rag="red", narrative=" Admissions up. "),
        ],
    )
    rows = portfolio_rows(area=area, quarter=Q2)
    assert [(row.number, row.current.rag, row.current.narrative) for row in rows] == [
        (1, "green", ""),
        (2, "red", "Admissions up."),
    ]
    assert rows[1].current.updated_by == analyst

    portfolio_ratings_save(
        area=area, quarter=Q2, user=analyst, entries=[RatingEntry(scheme=carers, rag="")]
    )
    assert portfolio_rows(area=area, quarter=Q2)[0].current is None


def test_portfolio_ratings_refuse_another_areas_scheme(area, other_area, analyst):
    elsewhere = SchemeFactory(area=other_area, number=1, host=other_area.partners.get())
    with pytest.raises(ValidationError, match="not a scheme of Southampton"):
        portfolio_ratings_save(
            area=area,
            quarter=Q2,
            user=analyst,
            entries=[RatingEntry(scheme=elsewhere, rag="green")],
        )


def test_home_tasks_for_the_secretary_and_the_analyst(pack, secretary, analyst, lead):
    secretary_tasks = home_tasks(user=secretary, area=pack.area, quarter=Q2)
    assert [(task.title, task.status) for task in secretary_tasks] == [
        ("Joint Commissioning Board pack for Q2 2018/19", "todo"),
        ("Health and Wellbeing Board pack for Q2 2018/19", "todo"),
    ]
    assert secretary_tasks[0].detail.startswith("Draft")
    assert secretary_tasks[1].detail == "Not started yet."
    analyst_tasks = home_tasks(user=analyst, area=pack.area, quarter=Q2)
    assert [(task.title, task.detail) for task in analyst_tasks] == [
        ("Portfolio ratings for Q2 2018/19", "2 of 2 schemes rated.")
    ]
    assert analyst_tasks[0].status == "done"
    assert home_tasks(user=lead, area=pack.area, quarter=Q2) == []
