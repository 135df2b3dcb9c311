"""Template filters drawing the Making Data Count icons (see `metrics.spc_icons`).

Each icon is the product's own SVG, shown as the background image of an empty, hidden span:
it is decoration (the words beside it say what it means), so it must not be read out, and in
the tagged PDF it must not be a figure without alternative text, which an image or inline SVG
always is in WeasyPrint (PDF/UA requires every figure to have one). A background is neither.
"""

import base64

from django import template
from django.utils.html import format_html

from metrics import spc_icons

register = template.Library()


def _decorative(svg: str, *, kind: str):
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return format_html(
        '<span class="bc-spc-icon" data-icon="{}" aria-hidden="true" '
        "style=\"background-image: url('data:image/svg+xml;base64,{}')\"></span>",
        kind,
        data,
    )


@register.filter
def variation_icon(variation):
    """The variation icon, drawn; the markup is the product's own, never user text."""
    return _decorative(spc_icons.variation_icon(variation), kind=variation.value)


@register.filter
def assurance_icon(assurance):
    return _decorative(spc_icons.assurance_icon(assurance), kind=assurance.value)
