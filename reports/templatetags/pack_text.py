"""Numbered paragraphs in the pack's templates (see `reports.paragraphs`):

    {{ pack.reasons|paragraphs }}            the secretary's text, a number per paragraph
    {% para %}At Month 5 ...{% endpara %}    a paragraph the pack writes, numbered
"""

from django import template

from reports.paragraphs import numbered, text_paragraphs

register = template.Library()


@register.filter
def paragraphs(text) -> str:
    return text_paragraphs(str(text or ""))


class _Paragraph(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context) -> str:
        # The body is rendered by the template, escaped as usual: it is safe HTML here.
        from django.utils.safestring import mark_safe

        return numbered(mark_safe(self.nodelist.render(context).strip()))  # noqa: S308


@register.tag
def para(parser, token):
    nodelist = parser.parse(("endpara",))
    parser.delete_first_token()
    return _Paragraph(nodelist)


@register.filter
def get_item(mapping, key):
    """`mapping|get_item:key`: a dictionary's value for a key the template holds."""
    return mapping.get(key) if mapping else None
