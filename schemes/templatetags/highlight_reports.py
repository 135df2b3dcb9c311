"""Filters that show a highlight report's words and figures the way the template writes them
(money is written by the shared `money` library).

User text is never trusted: it is read as a small safe Markdown subset (`bettercare.richtext`),
and a `<script>` typed into a report is shown as those characters.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from bettercare import richtext
from bettercare.periods import parse_period
from schemes.report_finance import format_share
from schemes.word_diff import EQUAL, changed, word_diff

register = template.Library()

# The Word template's bullets ("•", "▪", and "o" for its second level) and "*" written as "-",
# so that text pasted from the old reports keeps its lists, one list however they are mixed.
_WORD_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?:[•*\u2022\u25aa]|o(?=\s))(?=[ \t])", re.M)


def as_markdown(text: str) -> str:
    return _WORD_BULLET.sub(lambda found: f"{found.group('indent')}-", text or "")


@register.filter
def report_text(text: str) -> SafeString:
    """A report's long answer as its paragraphs and lists (the safe Markdown subset of
    `bettercare.richtext`, with the Word template's bullets read as bullets); everything else
    typed is text, escaped."""
    return mark_safe(richtext.render(as_markdown(text)))  # noqa: S308 (cleaned by nh3)


@register.filter
def share(value: Decimal | None) -> str:
    return format_share(value)


@register.filter
def number(value: Decimal | None) -> str:
    """A target or actual without trailing zeros: 90, 1,375, 88.5."""
    if value is None:
        return "—"
    text = f"{value.normalize():,f}"
    return text


@register.filter
def period_label(text: str) -> str:
    """A stored period (2018-19-Q1, 2018-06, 2018-19) as people write it."""
    if not text:
        return ""
    period = parse_period(text)
    return getattr(period, "short_label", None) or period.label


def _pieces_html(pieces, tag: str, words: str) -> SafeString:
    parts = []
    for piece in pieces:
        if piece.kind == EQUAL:
            parts.append(format_html("{}", piece.text))
        else:
            parts.append(
                format_html(
                    '<{} class="bc-diff bc-diff--{}"><span class="nhsuk-u-visually-hidden">'
                    '[{}: </span>{}<span class="nhsuk-u-visually-hidden">]</span></{}>',
                    mark_safe(tag),  # noqa: S308 (a fixed tag name, "ins" or "del")
                    piece.kind,
                    words,
                    piece.text,
                    mark_safe(tag),  # noqa: S308
                )
            )
    return mark_safe("".join(parts))  # noqa: S308 (every piece escaped above)


@register.simple_tag
def text_diff(before: str, after: str) -> dict:
    """The two texts with what changed marked word by word: removed words struck through in
    the first, added words marked in the second (and named for screen readers)."""
    left, right = word_diff(before or "", after or "")
    return {
        "before": _pieces_html(left, "del", "removed"),
        "after": _pieces_html(right, "ins", "added"),
        "changed": changed(left) or changed(right),
    }


@register.filter
def rows_text(report, kind: str) -> str:
    """A report's rows of one kind as plain text, one row to a line, to compare word by word."""
    if report is None:
        return ""
    lines = []
    if kind == "developments":
        for row in report.key_developments.all():
            aims = ", ".join(aim.label for aim in row.aims)
            lines.append(f"• {row.text}" + (f" (Supports: {aims})" if aims else ""))
    elif kind == "indicators":
        for row in report.indicators.all():
            line = f"• {row.indicator}"
            if row.progress:
                line += f": {row.progress}"
            if row.target is not None or row.actual is not None:
                line += f" (target {number(row.target)}, actual {number(row.actual)}"
                line += f", {period_label(row.measure_period)})" if row.measure_period else ")"
            lines.append(line)
    elif kind == "risks":
        for row in report.risks.all():
            lines.append(f"• {row.risk}. Mitigation: {row.mitigation or '—'}")
    return "\n".join(lines)
