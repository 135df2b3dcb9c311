"""Report text shown as the template wrote it: paragraphs and bulleted lists, every character
escaped. No database needed."""

import pytest

from schemes.templatetags.highlight_reports import number, period_label, report_text, text_blocks


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        ("", []),
        ("Underspend negligible", [("p", ["Underspend negligible"])]),
        ("First line\nsecond line", [("p", ["First line", "second line"])]),
        ("One\n\nTwo", [("p", ["One"]), ("p", ["Two"])]),
        ("- a\n- b", [("ul", ["a", "b"])]),
        ("• a\n* b\no c", [("ul", ["a", "b", "c"])]),
        ("Intro:\n- a\n  wrapped on\n- b", [("p", ["Intro:"]), ("ul", ["a wrapped on", "b"])]),
        ("- a\nAfter", [("ul", ["a"]), ("p", ["After"])]),
        ("  - nested item", [("ul", ["nested item"])]),
        ("-not a bullet", [("p", ["-not a bullet"])]),
    ],
)
def test_text_blocks(text, blocks):
    assert text_blocks(text) == blocks


def test_report_text_escapes_everything_typed():
    html = report_text('- <script>alert("x")</script>\n<img src=x onerror=alert(1)>')
    assert "<script>" not in html and "<img" not in html
    assert "<li>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</li>" in html
    assert "<p>&lt;img src=x onerror=alert(1)&gt;</p>" in html


def test_paragraph_lines_keep_their_breaks():
    assert str(report_text("One\nTwo")) == "<p>One<br>Two</p>"


@pytest.mark.parametrize(
    ("stored", "label"),
    [("2017-18-Q4", "Q4 2017/18"), ("2017-18", "2017/18"), ("2017-06", "June 2017"), ("", "")],
)
def test_indicator_period_labels(stored, label):
    assert period_label(stored) == label


def test_numbers_without_trailing_zeros():
    from decimal import Decimal

    assert [number(Decimal(v)) for v in ("90.00", "1375.00", "62.27", "88.50")] == [
        "90",
        "1,375",
        "62.27",
        "88.5",
    ]
    assert number(None) == "—"
