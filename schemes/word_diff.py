"""What changed between two texts, word by word, for the compare page.

Pure Python (difflib), no Django. Texts are split into words and the spaces and line breaks
between them, so a change is marked on the words that changed and the layout is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

_TOKENS = re.compile(r"\s+|[^\s]+")

EQUAL, ADDED, REMOVED = "equal", "added", "removed"


@dataclass(frozen=True)
class Piece:
    kind: str  # EQUAL, ADDED or REMOVED
    text: str


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall((text or "").replace("\r\n", "\n"))


def word_diff(before: str, after: str) -> tuple[list[Piece], list[Piece]]:
    """The two texts as pieces: the first with the words `after` no longer has marked
    REMOVED, the second with its new words marked ADDED. Whitespace alone is never marked."""
    old, new = _tokens(before), _tokens(after)
    matcher = SequenceMatcher(a=old, b=new, autojunk=False)
    left: list[Piece] = []
    right: list[Piece] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            left.append(Piece(EQUAL, "".join(old[i1:i2])))
            right.append(Piece(EQUAL, "".join(new[j1:j2])))
            continue
        if i2 > i1:
            left.extend(_marked(old[i1:i2], REMOVED))
        if j2 > j1:
            right.extend(_marked(new[j1:j2], ADDED))
    return _merged(left), _merged(right)


def _marked(tokens: list[str], kind: str) -> list[Piece]:
    text = "".join(tokens)
    if not text.strip():
        return [Piece(EQUAL, text)]
    # Leading and trailing whitespace stays unmarked, so a mark wraps only the words.
    stripped = text.strip()
    start = text.index(stripped)
    pieces = [
        Piece(EQUAL, text[:start]),
        Piece(kind, stripped),
        Piece(EQUAL, text[start + len(stripped) :]),
    ]
    return [piece for piece in pieces if piece.text]


def _merged(pieces: list[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in pieces:
        if merged and merged[-1].kind == piece.kind:
            merged[-1] = Piece(piece.kind, merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return merged


def changed(pieces: list[Piece]) -> bool:
    return any(piece.kind != EQUAL for piece in pieces)
