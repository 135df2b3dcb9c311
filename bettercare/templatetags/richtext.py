"""`{{ text|richtext }}`: text people wrote, as its paragraphs and lists (see
`bettercare.richtext`); nothing else of it is ever markup."""

from django import template
from django.utils.safestring import mark_safe

from bettercare import richtext as rich

register = template.Library()


@register.filter
def richtext(text) -> str:
    # Safe: `rich.render` escapes everything typed and nh3 lets only its few tags through.
    return mark_safe(rich.render(str(text or "")))  # noqa: S308
