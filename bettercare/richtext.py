"""Text people write, shown with a little structure and nothing else: paragraphs, line breaks,
bullet lists, numbered lists (1., (i), I.), bold and italics. Pure: no Django import.

Board packs and highlight reports are long answers typed into text boxes. A safe subset of
Markdown lets them hold the lists boards are used to, read the same on the page and in the PDF:

    The board is asked to:
    (i) note the position;
    (ii) agree the plan.

is a paragraph and a list numbered (i), (ii). Nothing else is read as markup: raw HTML stays
text (markdown-it-py with `html` off escapes it), headings, links, images and code are not
enabled, so they stay as typed, and nh3 (the Ammonia sanitiser) then lets only the few tags and
attributes below through, whatever the parser gave.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li"}
ALLOWED_ATTRIBUTES = {"ol": {"start", "type"}}

# CommonMark numbers lists 1. or 1); boards also number them (i), (ii) and I., II. Such lines
# are read as numbered items with the list's style kept (roman numerals of i, v and x: a list
# lettered (a), (b), (c) is not taken for roman one hundred).
_ROMAN_ITEM = re.compile(
    r"^(?P<indent> {0,3})(?:\((?P<lower>[ivx]{1,6})\)|(?P<upper>[IVX]{1,6})\.)(?=[ \t])", re.M
)
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}


def roman_value(numeral: str) -> int | None:
    """The value of a roman numeral of i, v and x (up to 39), or None if it is not one."""
    numeral = numeral.lower()
    total = 0
    for index, letter in enumerate(numeral):
        value = _ROMAN_VALUES[letter]
        following = _ROMAN_VALUES[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total if 0 < total < 40 and to_roman(total) == numeral else None


def to_roman(number: int) -> str:
    parts = []
    for value, letters in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while number >= value:
            parts.append(letters)
            number -= value
    return "".join(parts)


def _parser() -> MarkdownIt:
    # "zero" enables nothing but paragraphs and text; these rules add the subset. `breaks`: a
    # single line break typed in a text box stays a line break.
    return MarkdownIt("zero", {"breaks": True, "html": False}).enable(
        ["list", "emphasis", "newline", "escape"]
    )


_MARKDOWN = _parser()


def _with_roman_items(text: str) -> tuple[str, dict[int, str]]:
    """The text with (i) and I. items written as numbered items, and the style of each line
    changed ({line index: "i" or "I"})."""
    styles: dict[int, str] = {}
    lines = text.split("\n")
    for index, line in enumerate(lines):
        found = _ROMAN_ITEM.match(line)
        if not found:
            continue
        numeral = found.group("lower") or found.group("upper")
        value = roman_value(numeral)
        if value is None:
            continue
        lower = bool(found.group("lower"))
        styles[index] = "i" if lower else "I"
        # Each style its own delimiter, so that a (i) list and an I. list next to each other
        # stay two lists.
        marker = f"{found.group('indent')}{value}{'.' if lower else ')'}"
        lines[index] = marker + line[found.end() :]
    return "\n".join(lines), styles


@dataclass(frozen=True)
class Block:
    """One top-level block of a text: a paragraph or a list, as clean HTML."""

    kind: str  # "paragraph" or "list"
    html: str


def clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        link_rel=None,
        strip_comments=True,
    )


def blocks(text: str) -> Iterator[Block]:
    """The text's paragraphs and lists, in order, each rendered and cleaned."""
    source, styles = _with_roman_items((text or "").replace("\r\n", "\n").replace("\r", "\n"))
    tokens = _MARKDOWN.parse(source)
    start = None
    for index, token in enumerate(tokens):
        if token.level != 0:
            continue
        if token.type == "ordered_list_open" and token.map and token.map[0] in styles:
            token.attrSet("type", styles[token.map[0]])
        if token.nesting == 1:
            start = index
        elif token.nesting == -1 and start is not None:
            kind = "paragraph" if token.type == "paragraph_close" else "list"
            html = _MARKDOWN.renderer.render(tokens[start : index + 1], _MARKDOWN.options, {})
            yield Block(kind=kind, html=clean(html).strip())
            start = None


def render(text: str) -> str:
    """The whole text as clean HTML: paragraphs and lists."""
    return "\n".join(block.html for block in blocks(text))
