"""The report's numbered paragraphs: 1, 2, 3 ... straight through the body, the same on the
page and in the PDF, in the full version and the public one (which skips the numbers of what
it leaves out), so that members can cite "paragraph 8".

Templates mark each numbered paragraph (`{% para %}` around a sentence the pack writes, the
`|paragraphs` filter on a text the secretary wrote); the assembler numbers the marks of the
whole document in order once every section is rendered (`number_paragraphs`). A mark is an
HTML comment, which text people type can never produce: it is escaped, or cleaned out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from bettercare.richtext import blocks

MARK = "<!--pack-para-->"
_MARK = re.compile(re.escape(MARK))


def numbered(body: str) -> SafeString:
    """A numbered paragraph around `body` (safe HTML), its number to come."""
    return format_html(
        '<div class="pack-para"><span class="pack-para__number">{}</span>'
        '<div class="pack-para__body">{}</div></div>',
        mark_safe(MARK),  # noqa: S308 (our own constant)
        body,
    )


def text_paragraphs(text: str) -> SafeString:
    """A text the secretary wrote as numbered paragraphs: each paragraph starts one, and a list
    belongs to the paragraph before it (the sentence that leads into it); a list with no
    paragraph before it is a paragraph of its own."""
    groups: list[list[str]] = []
    previous = None
    for block in blocks(text):
        if block.kind == "list" and previous == "paragraph":
            groups[-1].append(block.html)
        else:
            groups.append([block.html])
        previous = block.kind
    return mark_safe(  # noqa: S308 (each block is cleaned; `numbered` escapes nothing else)
        "".join(numbered(mark_safe("".join(group))) for group in groups)  # noqa: S308
    )


def number_paragraphs(documents: Sequence[str], start: int = 1) -> Iterator[str]:
    """The documents (sections' HTML, in order) with their paragraph marks numbered on from
    `start`."""
    counter = start

    def next_number(_match) -> str:
        nonlocal counter
        counter += 1
        return f"{counter - 1}."

    for document in documents:
        yield _MARK.sub(next_number, document)
