"""Filters that show a highlight report's words and figures the way the template writes them.

User text is only ever escaped (format_html), never trusted: a `<script>` typed into a report
is shown as those characters.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from bettercare.money import format_full, format_short
from bettercare.periods import parse_period
from schemes.report_finance import format_share, variance_label
from schemes.word_diff import EQUAL, changed, word_diff

register = template.Library()

# Lines written as bullets: "- text", "• text", "* text", "o text" (the Word template's
# second-level bullet), with any indentation.
_BULLET = re.compile(r"^\s*(?:[-•*\u2022\u25aa]|o(?=\s))\s+(?P<text>.*)$")


def text_blocks(text: str) -> list[tuple[str, list[str]]]:
    """Plain text as ("p", lines) and ("ul", items) blocks: blank lines separate paragraphs,
    lines starting with a dash or bullet are list items, other line breaks are kept."""
    blocks: list[tuple[str, list[str]]] = []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        bullet = _BULLET.match(line)
        kind, content = ("ul", bullet.group("text").strip()) if bullet else ("p", line.strip())
        last = blocks[-1] if blocks else None
        if not line.strip():
            blocks.append(("", []))  # a paragraph break
        elif kind == "p" and last and last[0] == "ul" and line.startswith(("  ", "\t")):
            last[1][-1] = f"{last[1][-1]} {content}"  # a bullet's wrapped continuation
        elif last and last[0] == kind:
            last[1].append(content)
        else:
            blocks.append((kind, [content]))
    return [block for block in blocks if block[0]]


@register.filter
def report_text(text: str) -> SafeString:
    """A report's section text as paragraphs and lists, every character escaped."""
    html = []
    for kind, lines in text_blocks(text):
        if kind == "ul":
            html.append(
                format_html(
                    "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((i,) for i in lines))
                )
            )
        else:
            html.append(
                format_html(
                    "<p>{}</p>", format_html_join(mark_safe("<br>"), "{}", ((i,) for i in lines))
                )
            )
    return format_html_join("\n", "{}", ((block,) for block in html))


@register.filter
def money(amount: Decimal | None) -> str:
    """£1,374,000; (£33,000) when negative; a dash when not given."""
    return "—" if amount is None else format_full(amount)


@register.filter
def money_short(amount: Decimal | None) -> str:
    return "—" if amount is None else format_short(amount)


@register.filter
def share(value: Decimal | None) -> str:
    return format_share(value)


@register.filter
def variance(value: Decimal | None) -> str:
    return variance_label(value)


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
