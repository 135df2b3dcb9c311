"""Reading PDFs back as a person would: their text, page by page (poppler's pdftotext, which
keeps the reading order), their outline (pypdf), and their tags: the structure tree a screen
reader follows (pikepdf for the tree, each element's alternative text and the document's
language and title; poppler's `pdfinfo -struct-text` for the text each element holds)."""

import difflib
import re
import subprocess
from dataclasses import dataclass, field
from io import BytesIO

import pikepdf
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


@dataclass
class Tag:
    """An element of the structure tree: its type (H2, P, Table, TH, Figure ...), its
    alternative text, its own text and its children, in reading order."""

    type: str
    alt: str = ""
    texts: list[str] = field(default_factory=list)
    children: list["Tag"] = field(default_factory=list)
    page: int | None = None  # 0-based, when the element names its page

    @property
    def text(self) -> str:
        """All the text inside the element, its children's included."""
        return flat(" ".join([*self.texts, *(child.text for child in self.children)]))

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, type_: str) -> list["Tag"]:
        return [tag for tag in self.walk() if tag.type == type_]


@dataclass
class TaggedPdf:
    root: Tag
    lang: str
    title: str
    author: str
    marked: bool
    ua_part: str  # the XMP metadata's PDF/UA part ("1"), empty when it is not claimed

    def in_order(self, *types: str) -> list[Tag]:
        """The elements of these types in reading order."""
        return [tag for tag in self.root.walk() if tag.type in types]

    def paragraph_numbers(self) -> list[int]:
        """The numbers of the report's numbered paragraphs, in reading order: each is a block
        whose first element is its number ("8.")."""
        numbers = []
        for tag in self.root.walk():
            if tag.type == "Div" and tag.children and tag.children[0].type == "Span":
                found = re.fullmatch(r"(\d+)\.", tag.children[0].text)
                if found:
                    numbers.append(int(found.group(1)))
        return numbers


def _pikepdf_tree(pdf: bytes) -> tuple[Tag, dict]:
    document = pikepdf.open(BytesIO(pdf))
    pages = {page.objgen: index for index, page in enumerate(document.pages)}
    catalog = document.Root

    def build(element) -> Tag:
        type_ = str(element.get("/S", "/NonStruct"))[1:]
        alt = element.get("/Alt")
        page = element.get("/Pg")
        tag = Tag(
            type=type_,
            alt=str(alt) if alt is not None else "",
            page=pages.get(page.objgen) if page is not None else None,
        )
        kids = element.get("/K", [])
        if not isinstance(kids, pikepdf.Array):
            kids = [kids]
        for kid in kids:
            # Structure elements (not marked-content ids, nor link annotations' references).
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                tag.children.append(build(kid))
        return tag

    root = Tag(type="StructTreeRoot")
    tree = catalog.get("/StructTreeRoot")
    if tree is not None:
        kids = tree.get("/K", [])
        if not isinstance(kids, pikepdf.Array):
            kids = [kids]
        root.children = [build(kid) for kid in kids]
    with document.open_metadata() as xmp:
        ua_part = xmp.get("pdfuaid:part", "") or ""
    info = {
        "lang": str(catalog.get("/Lang", "")),
        "title": str(document.docinfo.get("/Title", "")),
        "author": str(document.docinfo.get("/Author", "")),
        "marked": bool(catalog.get("/MarkInfo", {}).get("/Marked", False)),
        "ua_part": str(ua_part),
    }
    return root, info


def _poppler_texts(pdf: bytes) -> list[tuple[str, list[str]]]:
    """The structure elements in pre-order as poppler lists them, each with its own text."""
    output = subprocess.run(
        ["pdfinfo", "-struct-text", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    elements: list[tuple[str, list[str]]] = []
    for line in output.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("/"):
            continue  # attributes (/BBox, /Headers ...)
        if stripped.startswith('"'):
            if elements:
                elements[-1][1].append(stripped[1:-1] if stripped.endswith('"') else stripped[1:])
            continue
        elements.append((stripped.split()[0].rstrip(":"), []))
    return elements


def tagged_pdf(pdf: bytes) -> TaggedPdf:
    """The PDF's structure tree with the text and alternative text of every element."""
    root, info = _pikepdf_tree(pdf)
    ours = list(root.walk())[1:]  # without the tree root
    theirs = _poppler_texts(pdf)
    # Both list the same tree in the same order, but for the links of generated content (a
    # contents entry's page number), which poppler lists its own way: the two lists are
    # matched where they agree, which is everywhere else.
    matcher = difflib.SequenceMatcher(
        a=[tag.type for tag in ours], b=[type_ for type_, _ in theirs], autojunk=False
    )
    matched = 0
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            ours[block.a + offset].texts = theirs[block.b + offset][1]
        matched += block.size
    if matched < 0.9 * len(ours):
        raise AssertionError("pikepdf and poppler read different structure trees")
    return TaggedPdf(root=root, **info)
