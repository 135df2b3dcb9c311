"""Report text shown as the template wrote it: paragraphs and bulleted lists, every character
escaped. No database needed."""

import pytest

from schemes.templatetags.highlight_reports import number, period_label, report_text


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("", ""),
        ("Underspend negligible", "<p>Underspend negligible</p>"),
        ("First line\nsecond line", "<p>First line<br>\nsecond line</p>"),
        ("One\n\nTwo", "<p>One</p>\n<p>Two</p>"),
        ("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
        ("• a\n* b\no c", "<ul>\n<li>a</li>\n<li>b</li>\n<li>c</li>\n</ul>"),
        (
            "Intro:\n- a\n  wrapped on\n- b",
            "<p>Intro:</p>\n<ul>\n<li>a<br>\nwrapped on</li>\n<li>b</li>\n</ul>",
        ),
        ("(i) first\n(ii) second", '<ol type="i">\n<li>first</li>\n<li>second</li>\n</ol>'),
        ("I. first\nII. second", '<ol type="I">\n<li>first</li>\n<li>second</li>\n</ol>'),
        (
            "1. first\n2. **second**",
            "<ol>\n<li>first</li>\n<li><strong>second</strong></li>\n</ol>",
        ),
        ("-not a bullet", "<p>-not a bullet</p>"),
    ],
)
def test_report_text_reads_paragraphs_lists_and_emphasis(text, html):
    assert str(report_text(text)) == html


def test_report_text_escapes_everything_typed():
    html = report_text('- <script>alert("x")</script>\n<img src=x onerror=alert(1)>')
    assert "<script>" not in html and "<img" not in html
    assert '<li>&lt;script&gt;alert("x")&lt;/script&gt;<br>' in html
    assert "&lt;img src=x onerror=alert(1)&gt;</li>" in html


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
