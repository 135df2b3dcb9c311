"""Money and percentages in finance templates, formatted by `bettercare.money` and
`finance.wording` so a page writes every figure as the export and the pack do."""

from django import template

from bettercare.money import format_full, format_millions, format_percent, format_short

from ..wording import amount_words, variance_phrase

register = template.Library()


@register.filter
def millions(amount):
    """£0.14M; (£0.20M) when negative."""
    return "" if amount is None else format_millions(amount)


@register.filter
def pounds(amount):
    """£1,374,000; (£33,000) when negative."""
    return "" if amount is None else format_full(amount)


@register.filter
def short_money(amount):
    """£1.374m, £607k."""
    return "" if amount is None else format_short(amount)


@register.filter
def amount(amount):
    """£0.39M, or £4k when it would round to £0.00M."""
    return "" if amount is None else amount_words(amount)


@register.filter
def variance(amount):
    """£0.39M overspend, £0.33M underspend, on budget."""
    return "" if amount is None else variance_phrase(amount)


@register.filter
def percent(value, places=2):
    """A percentage rounded half up for display; n/a when there is none."""
    return format_percent(value, int(places))
