"""Template filters for the NHS.UK django-tables2 template."""

from django import template
from django_tables2.utils import AttributeDict

register = template.Library()


@register.filter
def with_class(attrs, css_class: str):
    """A table part's attributes (`row.attrs`, `column.attrs.td`) with the design system's class
    joined to its own in one class attribute: a second `class` attribute is ignored by browsers
    and by WeasyPrint, which lost the tables' right-aligned figures and bold totals."""
    merged = AttributeDict(attrs or {})
    merged["class"] = " ".join(part for part in (css_class, merged.get("class", "")) if part)
    return merged.as_html()
