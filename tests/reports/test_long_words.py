"""A long word (a pasted URL, a reference with no spaces) breaks at the page's edge in the
PDF instead of running off it, in a paragraph and in a table cell, with the pack's own print
stylesheet."""

from weasyprint import HTML
from weasyprint.formatting_structure.boxes import TextBox

from reports.pdf import BASE_URL, url_fetcher

WORD = "https://example.org/" + "averyveryverylongpathwithoutanyspace" * 12


def _text_boxes(box):
    if isinstance(box, TextBox):
        yield box
    for child in getattr(box, "children", []):
        yield from _text_boxes(child)


def test_a_long_word_stays_inside_the_page_in_prose_and_in_tables():
    html = (
        '<html lang="en-GB"><head><link rel="stylesheet" '
        'href="file:///static/reports/pack-print.css"></head><body>'
        f"<p>See {WORD} for the detail.</p>"
        "<table><thead><tr><th>Scheme</th><th>Narrative</th></tr></thead>"
        f"<tbody><tr><td>Carers</td><td>{WORD}</td></tr></tbody></table>"
        "</body></html>"
    )
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher()).render()
    page = document.pages[0]
    boxes = list(_text_boxes(page._page_box))
    assert "".join(box.text for box in boxes).count("averyvery") == 24  # all of it laid out
    right_edge = page.width
    for box in boxes:
        assert box.position_x + box.width <= right_edge, box.text[:40]
    # The word was broken over several lines, twice (the paragraph and the cell).
    assert sum("averyvery" in box.text for box in boxes) > 4
