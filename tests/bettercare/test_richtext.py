"""The safe Markdown subset of the texts people write: paragraphs, line breaks, bullet lists,
lists numbered 1., (i) and I., bold and italics; nothing else becomes markup. No database."""

import pytest

from bettercare.richtext import blocks, render, roman_value
from reports.paragraphs import number_paragraphs, text_paragraphs


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("", ""),
        ("One\nline two", "<p>One<br>\nline two</p>"),
        ("**bold** and *italic*", "<p><strong>bold</strong> and <em>italic</em></p>"),
        ("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
        ("1. a\n2. b", "<ol>\n<li>a</li>\n<li>b</li>\n</ol>"),
        ("(i) a\n(ii) b\n(iii) c", '<ol type="i">\n<li>a</li>\n<li>b</li>\n<li>c</li>\n</ol>'),
        ("(iv) a\n(v) b", '<ol start="4" type="i">\n<li>a</li>\n<li>b</li>\n</ol>'),
        ("I. a\nII. b", '<ol type="I">\n<li>a</li>\n<li>b</li>\n</ol>'),
        ("(a) lettered\n(c) not roman", "<p>(a) lettered<br>\n(c) not roman</p>"),
        # Raw HTML, links, images, headings, quotes and code stay as typed.
        ('<b onclick="x()">hi</b>', '<p>&lt;b onclick="x()"&gt;hi&lt;/b&gt;</p>'),
        ("[a link](https://example.org)", "<p>[a link](https://example.org)</p>"),
        ("![x](https://example.org/x.png)", "<p>![x](https://example.org/x.png)</p>"),
        ("# Not a heading", "<p># Not a heading</p>"),
        ("> not a quote", "<p>&gt; not a quote</p>"),
        ("`code` <!-- comment -->", "<p>`code` &lt;!-- comment --&gt;</p>"),
    ],
)
def test_the_subset_and_nothing_else(text, html):
    assert render(text) == html


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("i", 1), ("iv", 4), ("ix", 9), ("xiv", 14), ("iiii", None), ("vx", None)],
)
def test_roman_numerals(numeral, value):
    assert roman_value(numeral) == value


def test_a_list_belongs_to_the_paragraph_that_leads_into_it():
    text = "The board is asked to:\n(i) note;\n(ii) agree.\n\nA second paragraph."
    assert [block.kind for block in blocks(text)] == ["paragraph", "list", "paragraph"]
    html = str(text_paragraphs(text))
    assert html.count('<div class="pack-para">') == 2
    alone = str(text_paragraphs("- a list alone\n\nThen a paragraph"))
    assert alone.count('<div class="pack-para">') == 2  # a list first is a paragraph of its own
    # Numbered on through the documents: 4 and 5 in the first, 6 and 7 in the second.
    numbered = list(number_paragraphs([html, html], start=4))
    numbers = [
        part.split("</span>")[0]
        for document in numbered
        for part in document.split('"pack-para__number">')[1:]
    ]
    assert numbers == ["4.", "5.", "6.", "7."]
