"""Template filters drawing the Making Data Count icons (see `metrics.spc_icons`)."""

from django import template
from django.utils.safestring import mark_safe

from metrics import spc_icons

register = template.Library()


@register.filter
def variation_icon(variation):
    """The variation icon's SVG; the markup is the product's own, never user text."""
    return mark_safe(spc_icons.variation_icon(variation))  # noqa: S308


@register.filter
def assurance_icon(assurance):
    return mark_safe(spc_icons.assurance_icon(assurance))  # noqa: S308
