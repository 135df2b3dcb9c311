"""Reading PDFs back as a person would: their text, page by page (poppler's pdftotext, which
keeps the reading order), and their outline (pypdf)."""

import subprocess
from io import BytesIO

from pypdf import PdfReader


def pdf_pages(pdf: bytes, *, layout: bool = False) -> list[str]:
    """Each page's text. `layout` keeps the page's physical layout (a table's row stays on one
    line, but for its cells' wrapped words) instead of the reading order."""
    options = ["-layout"] if layout else []
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *options, "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    return text.split("\f")[:-1]  # a form feed ends each page


def pdf_outline(pdf: bytes) -> list[tuple[int, str]]:
    """The bookmarks as (level, title), depth first."""
    reader = PdfReader(BytesIO(pdf))
    entries: list[tuple[int, str]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                entries.append((level, item.title))

    walk(reader.outline, 1)
    return entries


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces made single spaces."""
    return " ".join(text.split())
