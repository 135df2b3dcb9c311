"""The Making Data Count icons: drawn by the product as SVG, one shape and colour per reading,
with the words beside them wherever they are shown."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal as D

import pytest
from django.template.loader import render_to_string

from metrics.rag import Direction
from metrics.spc import Assurance, Variation, xmr
from metrics.spc_icons import BLUE, GREY, ORANGE, assurance_icon, variation_icon

SVG = "{http://www.w3.org/2000/svg}"


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (the product's own markup)


def colours(element: ET.Element) -> set[str]:
    return {
        value
        for node in element.iter()
        for key, value in node.attrib.items()
        if key in {"fill", "stroke"} and value.startswith("#")
    }


def letters(element: ET.Element) -> list[str]:
    """The letters drawn (as strokes, so there is no text in the drawing to read out)."""
    assert not list(element.iter(f"{SVG}text"))
    return [node.get("data-letter") for node in element.iter(f"{SVG}path")]


@pytest.mark.parametrize(
    ("variation", "colour", "letter"),
    [
        (Variation.COMMON_CAUSE, GREY, []),
        (Variation.IMPROVEMENT_HIGH, BLUE, ["H"]),
        (Variation.IMPROVEMENT_LOW, BLUE, ["L"]),
        (Variation.CONCERN_HIGH, ORANGE, ["H"]),
        (Variation.CONCERN_LOW, ORANGE, ["L"]),
    ],
)
def test_variation_icons_have_their_colour_and_letter(variation, colour, letter):
    icon = parsed(variation_icon(variation))
    assert icon.get("aria-hidden") == "true" and icon.get("data-icon") == variation.value
    ring = icon.find(f"{SVG}circle")
    assert ring.get("stroke") == colour
    assert letters(icon) == letter
    # seven points joined by a line; special cause colours the last three
    points = icon.findall(f"{SVG}circle")[1:]
    assert len(points) == 7
    expected = [GREY] * 7 if variation == Variation.COMMON_CAUSE else [GREY] * 4 + [colour] * 3
    assert [point.get("fill") for point in points] == expected


def test_high_and_low_icons_point_their_way():
    def last_heights(variation):
        points = parsed(variation_icon(variation)).findall(f"{SVG}circle")[1:]
        return [float(point.get("cy")) for point in points[-3:]]

    high, low = last_heights(Variation.CONCERN_HIGH), last_heights(Variation.CONCERN_LOW)
    assert high == sorted(high, reverse=True)  # rising (y grows downwards)
    assert low == sorted(low)


@pytest.mark.parametrize(
    ("assurance", "colour", "letter"),
    [
        (Assurance.PASS, BLUE, "P"),
        (Assurance.FAIL, ORANGE, "F"),
        (Assurance.HIT_AND_MISS, GREY, "?"),
    ],
)
def test_assurance_icons_have_their_colour_and_letter(assurance, colour, letter):
    icon = parsed(assurance_icon(assurance))
    assert icon.find(f"{SVG}circle").get("stroke") == colour
    assert letters(icon) == [letter]


def test_every_icon_is_different():
    drawings = [variation_icon(v) for v in Variation] + [assurance_icon(a) for a in Assurance]
    assert len(set(drawings)) == len(drawings)


def test_the_include_draws_icons_with_their_words():
    result = xmr(
        [(i, D(v)) for i, v in enumerate([10, 12] * 6 + [30])],
        direction=Direction.LOWER,
        target=D(40),
    )
    html = render_to_string("metrics/includes/spc_icons.html", {"result": result})
    assert 'data-icon="concern_high"' in html and 'data-icon="pass"' in html
    assert "Special cause variation: concern (higher)" in html
    assert "Consistently passes the target" in html
    # the old letters-in-circles are gone
    assert '<text x="12"' not in html


def test_the_dashboard_and_the_metric_page_draw_the_icons_with_their_words(
    login, analyst, board_figures
):
    """Drawn by the product as SVG, each beside its words: on the dashboard's SPC column and
    on the metric page (the pack's headlines are read from the PDF in the reports tests). The
    drawing is the background of a hidden span: decoration, never read out, and never an
    untagged figure in the PDF."""
    import base64

    from django.urls import reverse

    client = login(analyst)
    dashboard = client.get(reverse("metrics:index")).content.decode()
    metric = client.get(reverse("metrics:metric", args=["nel_admissions"])).content.decode()
    for html in (dashboard, metric):
        icons = re.findall(
            r'data-testid="spc-variation"><span class="bc-spc-icon" data-icon="([a-z_]+)" '
            r"aria-hidden=\"true\" style=\"background-image: url\('data:image/svg\+xml;base64,"
            r"([A-Za-z0-9+/=]+)'\)\"></span><span>([^<]+)</span>",
            html,
        )
        assert icons, "no variation icon drawn"
        for kind, data, words in icons:
            drawing = base64.b64decode(data).decode()
            assert drawing.startswith("<svg") and f'data-icon="{kind}"' in drawing
            assert words.startswith(("Common cause", "Special cause"))
        assert '<text x="12"' not in html  # no letters in circles
