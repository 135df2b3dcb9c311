"""Money in templates, written by `bettercare.money` so a page gives every figure as its export,
the command line and the board pack do. A figure not known yet shows as a dash.

    {{ amount|money }}            £1,374,000; (£33,000) when negative
    {{ amount|millions }}         £0.14M, as board reports write totals
    {{ amount|board }}            £0.39M, or £4k when it would round to £0.00M
    {{ variance|variance:"board" }}   £0.39M overspend, £0.33M underspend, on budget
    {{ variance|variance:"exact" }}   £607,000 overspend, (£33,000) underspend, on budget
    {{ value|percent:2 }}         a percentage rounded half up; n/a when there is none
"""

from django import template

from bettercare import money as amounts

register = template.Library()


def _known(format_amount):
    def shown(amount):
        return amounts.NOT_KNOWN if amount is None or amount == "" else format_amount(amount)

    shown.__doc__ = format_amount.__doc__
    return shown


register.filter("money", _known(amounts.format_full))
register.filter("millions", _known(amounts.format_millions))
register.filter("board", _known(amounts.format_board))


@register.filter
def variance(value, style: str) -> str:
    """The variance in the named style, "board" or "exact" (see `bettercare.money`)."""
    return amounts.format_variance(None if value == "" else value, style)


@register.filter
def percent(value, places=2) -> str:
    return amounts.format_percent(value, int(places))
