"""The Making Data Count variation and assurance icons, drawn by this product as SVG.

Pure, no Django import. Each icon follows the shapes and colours people know from the NHS
Making Data Count materials: a ringed circle holding a small run of points; grey for common
cause, blue for improvement, orange for concern; the letter H or L says whether the special
cause is high or low. The assurance icon rings P (the target is consistently passed), F
(consistently failed) or ? (hit and miss) over the process limits and the target. The drawings
are self-contained (no stylesheet needed), so the web pages and WeasyPrint draw them alike; they
are decorative (`aria-hidden`): the words beside them say what they mean, so nothing is told by
shape or colour alone.
"""

from __future__ import annotations

from .spc import Assurance, Side, Variation

# The Making Data Count palette (as the NHS-R Community's reference package also uses it).
GREY = "#a6a6a6"
BLUE = "#00b0f0"
ORANGE = "#e46c0a"
INK = "#212b32"
TARGET = "#de1b1b"

VARIATION_COLOURS = {"common_cause": GREY, "improvement": BLUE, "concern": ORANGE}
ASSURANCE_COLOURS = {Assurance.PASS: BLUE, Assurance.FAIL: ORANGE, Assurance.HIT_AND_MISS: GREY}
ASSURANCE_LETTERS = {Assurance.PASS: "P", Assurance.FAIL: "F", Assurance.HIT_AND_MISS: "?"}

XS = (9, 13, 17, 21, 25, 29, 33)
# Heights of the seven points inside the circle (y grows downwards).
COMMON_CAUSE_YS = (23, 19, 25, 20, 24, 21, 23)
HIGH_YS = (27, 24, 28, 25, 19, 16, 13)  # the last three special cause, high
LOW_YS = (15, 18, 14, 17, 23, 26, 29)  # the last three special cause, low
SIZE = 40


def _svg(body: str, *, size: int, kind: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bc-spc-icon" data-icon="{kind}" '
        f'viewBox="0 0 {SIZE} {SIZE}" width="{size}" height="{size}" aria-hidden="true" '
        f'focusable="false">{body}</svg>'
    )


def _ring(colour: str) -> str:
    return f'<circle cx="20" cy="20" r="18" fill="#ffffff" stroke="{colour}" stroke-width="3"/>'


def _points(ys, colours) -> str:
    line = " ".join(f"{x},{y}" for x, y in zip(XS, ys, strict=True))
    dots = "".join(
        f'<circle cx="{x}" cy="{y}" r="2.2" fill="{colour}"/>'
        for x, y, colour in zip(XS, ys, colours, strict=True)
    )
    return f'<polyline points="{line}" fill="none" stroke="{GREY}" stroke-width="1.2"/>{dots}'


# The letters, drawn as strokes in a box 6 wide and 10 high (not as text, so that the icon
# reads the same in every font and a PDF's text holds only the words beside it).
GLYPHS = {
    "H": "M0 0V10M6 0V10M0 5H6",
    "L": "M0 0V10H6",
    "P": "M0 10V0H3.5A2.75 2.75 0 0 1 3.5 5.5H0",
    "F": "M6 0H0V10M0 5H4.5",
    "?": "M0.2 2.6A2.9 2.9 0 1 1 4.2 5.2C3 5.8 3 6.6 3 7.4M3 9.6V9.7",
}


def _letter(letter: str, *, x: float, y: float, colour: str, height: float) -> str:
    """The letter with its top left corner at (x, y)."""
    scale = height / 10
    return (
        f'<path data-letter="{letter}" d="{GLYPHS[letter]}" '
        f'transform="translate({x} {y}) scale({scale:g})" '
        f'fill="none" stroke="{colour}" stroke-width="{2 / scale:g}" stroke-linecap="round" '
        'stroke-linejoin="round"/>'
    )


def variation_icon(variation: Variation, *, size: int = 32) -> str:
    """The variation icon of the latest point: common cause, or improvement or concern, high
    or low."""
    colour = VARIATION_COLOURS[variation.kind]
    if variation == Variation.COMMON_CAUSE:
        body = _ring(GREY) + _points(COMMON_CAUSE_YS, [GREY] * 7)
    else:
        high = variation.side == Side.HIGH
        ys = HIGH_YS if high else LOW_YS
        body = (
            _ring(colour)
            + _points(ys, [GREY] * 4 + [colour] * 3)
            + _letter("H" if high else "L", x=11, y=6.5 if high else 24.5, colour=colour, height=8)
        )
    return _svg(body, size=size, kind=variation.value)


def assurance_icon(assurance: Assurance, *, size: int = 32) -> str:
    """The assurance icon: the target (the red line) against the process limits (the grey
    band), with its letter."""
    colour = ASSURANCE_COLOURS[assurance]
    # The band of the process limits, and where the target sits against it: clear of it on
    # one side for a consistent pass or fail, inside it for hit and miss.
    target_y = {Assurance.PASS: 31, Assurance.FAIL: 9, Assurance.HIT_AND_MISS: 20}[assurance]
    body = (
        _ring(colour)
        + '<rect x="7" y="14" width="26" height="12" fill="#e8edee"/>'
        + f'<line x1="6" y1="{target_y}" x2="34" y2="{target_y}" stroke="{TARGET}" '
        'stroke-width="1.5" stroke-dasharray="3 2"/>'
        + _letter(
            ASSURANCE_LETTERS[assurance],
            x=16.4,
            y=14,
            colour=INK if assurance == Assurance.HIT_AND_MISS else colour,
            height=12,
        )
    )
    return _svg(body, size=size, kind=assurance.value)
