"""The compare page marks what changed between two revisions (or two quarters), word by word."""

import pytest

from schemes import services
from schemes.word_diff import ADDED, EQUAL, REMOVED, Piece, word_diff

from .conftest import full_content
from .pages import url


@pytest.mark.parametrize(
    ("before", "after", "left", "right"),
    [
        ("Same words", "Same words", [Piece(EQUAL, "Same words")], [Piece(EQUAL, "Same words")]),
        (
            "Carers identified: 400",
            "Carers identified: 455",
            [Piece(EQUAL, "Carers identified: "), Piece(REMOVED, "400")],
            [Piece(EQUAL, "Carers identified: "), Piece(ADDED, "455")],
        ),
        (
            "- one\n- two",
            "- one\n- two\n- three",
            [Piece(EQUAL, "- one\n- two")],
            [Piece(EQUAL, "- one\n- two\n"), Piece(ADDED, "- three")],
        ),
        ("", "New text", [], [Piece(ADDED, "New text")]),
        ("a  b", "a b", [Piece(EQUAL, "a  b")], [Piece(EQUAL, "a b")]),  # spaces are not words
    ],
)
def test_word_diff(before, after, left, right):
    assert word_diff(before, after) == (left, right)


def test_a_correction_is_compared_with_the_signed_off_revision(login, lead, analyst, signed_off):
    revision = services.highlight_report_correction_start(
        report=signed_off, user=analyst, reason="The priorities were mistyped"
    )
    services.highlight_report_save(
        report=revision,
        user=lead,
        expected_version=revision.version,
        content=full_content(priorities="- Whole family approach for every carer <b>"),
    )
    page = login(lead).get(url(revision, name="report_compare")).content.decode()
    assert "Q1 2018/19, revision 2 compared with Q1 2018/19, revision 1" in page
    assert (
        '<ins class="bc-diff bc-diff--added"><span class="nhsuk-u-visually-hidden">[added: '
        "</span>for every carer &lt;b&gt;" in page
    )
    assert "<b>" not in page.split('data-testid="report-compare"')[1]  # user text escaped
    assert "Unchanged" in page  # the sections that did not change say so
    other = login(lead).get(url(revision, name="report_compare") + "?with=previous-quarter")
    assert "compared with Q4 2017/18 report" in other.content.decode()
