"""Filters that show a highlight report's words and figures the way the template writes them
(money is written by the shared `money` library).

User text is never trusted: it is read as a small safe Markdown subset (`bettercare.richtext`),
and a `<script>` typed into a report is shown as those characters.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import template
from django.utils.safestring import SafeString, mark_safe

from bettercare import richtext
from bettercare.periods import parse_period
from schemes.report_finance import format_share

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
