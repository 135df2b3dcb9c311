"""Laying out the pack's HTML as a PDF with WeasyPrint, safely and without keeping its memory.

WeasyPrint may fetch only two kinds of resource: the site's own static files (the print
stylesheet) and `data:` URIs. Anything else, an `http://` image above all, is refused before any
connection is made, so text typed by a person can never make the server fetch a URL (and it is
escaped anyway, so it never becomes an element).

WeasyPrint does not give its memory back to the operating system after a render. A build run
by an RQ worker is in a process forked for that job alone, which ends with it, so it lays out
in-process (`InProcessLayout`), WeasyPrint loaded and its fonts read by the worker before it
forked. A build run in a thread of a web process (no Redis) lays out each PDF in a short-lived
process of its own (`PdfWorker`, running `reports.pdf_worker`), reading its progress line by
line as it goes; that process is given the static files' folders as plain data and does not set
Django up, which halves its start-up, and is started before the HTML is ready, so that its
start-up overlaps the reading of the pack and the drawing of its charts. Both report the same
progress: (document, message, pages laid out so far).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import logging
import mimetypes
import posixpath
import queue
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings

# The document's relative and root-relative URLs ({% static %} gives /static/...) resolve
# against this base, so that they arrive at the fetcher as file:///static/... .
BASE_URL = "file:///"
WORKER_TIMEOUT_SECONDS = 180
PDF_VARIANT = "pdf/ua-1"


class URLRefused(ValueError):
    """WeasyPrint asked for something other than a static file or a data: URI."""


class PdfRenderingFailed(RuntimeError):
    """The PDF could not be laid out; the message says why, for the person waiting."""


@dataclass(frozen=True)
class StaticFiles:
    """Where the site's static files are: their URL prefix (`/static/`) and the folders they
    are found in, as (name prefix, folder) pairs searched in order, the way Django's
    staticfiles finders search them. Plain data, so that the worker process needs no Django."""

    url: str
    roots: tuple[tuple[str, str], ...]

    @classmethod
    def from_settings(cls) -> StaticFiles:
        from django.contrib.staticfiles import finders

        roots: list[tuple[str, str]] = []
        for finder in finders.get_finders():
            # Finders that serve whole folders; others (plotly.js from its package) serve
            # single files that print never needs, and are reachable once collected.
            if isinstance(finder, finders.FileSystemFinder | finders.AppDirectoriesFinder):
                for storage in finder.storages.values():
                    roots.append((getattr(storage, "prefix", None) or "", str(storage.location)))
        if settings.STATIC_ROOT:
            # Collected, content-hashed names ({% static %} under the manifest storage).
            roots.append(("", str(settings.STATIC_ROOT)))
        return cls(url="/" + settings.STATIC_URL.strip("/") + "/", roots=tuple(roots))

    def path(self, url: str) -> Path | None:
        """The file for a file:///static/... URL if it is a static file; None for any other
        path (no other file of the server may be read)."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc or not parts.path.startswith(self.url):
            return None
        name = posixpath.normpath(unquote(parts.path[len(self.url) :]))
        if name.startswith(("..", "/")) or name == ".":
            return None
        for prefix, folder in self.roots:
            if prefix and not name.startswith(prefix + "/"):
                continue
            root = Path(folder).resolve()
            candidate = (root / name.removeprefix(prefix + "/" if prefix else "")).resolve()
            if candidate.is_relative_to(root) and candidate.is_file():
                return candidate
        return None


def _url_fetcher_class():
    # Imported lazily: importing WeasyPrint costs half a second, which pages that never make
    # a PDF should not pay.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnlyURLFetcher(URLFetcher):
        """WeasyPrint 70's fetcher API: a URLFetcher subclass whose `fetch` returns a
        URLFetcherResponse. Allows data: URIs and the site's static files, nothing else."""

        def __init__(self, static_files: StaticFiles | None = None):
            super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
            self.static_files = static_files or StaticFiles.from_settings()

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            path = self.static_files.path(url) if scheme == "file" else None
            if path is None:
                raise URLRefused(f"Refused to fetch {url}: only static files and data: URIs.")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticFilesOnlyURLFetcher


def url_fetcher(static_files: StaticFiles | None = None):
    """A new fetcher that allows only static files and data: URIs."""
    return _url_fetcher_class()(static_files)


@dataclass(frozen=True)
class PdfResult:
    pdf: bytes
    pages: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


class _InlineSvgStyleNoise(logging.Filter):
    """WeasyPrint reads the style attributes of inline SVG elements with its HTML stylesheet
    parser too, and warns that `fill`, `stroke`... are unknown CSS properties, once per
    element of every chart; the SVG itself is drawn correctly. Those warnings alone are
    dropped, so that a real mistake in the print stylesheet still shows."""

    pattern = re.compile(
        r"^Ignored `(fill|stroke|vector-effect|shape-rendering|paint-order|stop-)[\w-]*: "
        r".*unknown property\.$"
    )

    def filter(self, record: logging.LogRecord) -> bool:
        return not self.pattern.match(record.getMessage())


_svg_noise = _InlineSvgStyleNoise()


def load_weasyprint_in_background() -> None:
    """Import WeasyPrint (half a second) in a thread of its own while the caller reads the pack
    and draws its charts; `render_pdf` then finds it loaded, or waits for the import to end
    (Python lets one thread import a module at a time). For builds laid out in-process."""
    if "weasyprint" not in sys.modules:
        threading.Thread(
            target=importlib.import_module,
            args=("weasyprint",),
            name="load-weasyprint",
            daemon=True,
        ).start()


def render_pdf(html: str, *, fetcher=None) -> PdfResult:
    """Lay out the HTML in this process. `fetcher` defaults to the static-files-only one."""
    from weasyprint import HTML

    weasyprint_logger = logging.getLogger("weasyprint")
    if _svg_noise not in weasyprint_logger.filters:
        weasyprint_logger.addFilter(_svg_noise)

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher or url_fetcher()).render()
    # PDF/UA-1: a tagged PDF (a structure tree of headings, paragraphs, lists, tables with
    # their header cells and figures with their alternative text), its title shown by readers,
    # its language from <html lang>. Public bodies must publish accessible documents.
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    return PdfResult(pdf=pdf, pages=len(document.pages))


def page_of(weasyprint_step: str) -> int | None:
    """The page WeasyPrint is laying out, from its progress line; None for other steps."""
    prefix = "Step 5 - Creating layout - Page "
    if not weasyprint_step.startswith(prefix):
        return None
    number = weasyprint_step.removeprefix(prefix).split(" ")[0]
    return int(number) if number.isdigit() else None


def progress_message(weasyprint_step: str, *, checking: bool = False) -> str | None:
    """WeasyPrint's progress log line in words for the person waiting; None for steps too
    small to mention. After the first pass WeasyPrint lays the pages out again to settle the
    page numbers (the contents, "Page N of M"): `checking` says so."""
    if weasyprint_step.startswith("Step 5 - Creating layout - Page "):
        page = weasyprint_step.removeprefix("Step 5 - Creating layout - Page ").split(" ")[0]
        return f"Checking the page numbers: page {page}" if checking else f"Laying out page {page}"
    if weasyprint_step.startswith("Step 6"):
        return "Writing the PDF file"
    return None


class _ProgressHandler(logging.Handler):
    def __init__(self, report: Callable[[str], None]):
        super().__init__(level=logging.INFO)
        self.report = report

    def emit(self, record: logging.LogRecord) -> None:
        self.report(record.getMessage())


def report_weasyprint_progress(report: Callable[[str], None]) -> None:
    """Send WeasyPrint's own progress lines to `report` (the worker prints them)."""
    logger = logging.getLogger("weasyprint.progress")
    logger.setLevel(logging.INFO)
    logger.addHandler(_ProgressHandler(report))


class PdfWorker:
    """A layout process of its own (`reports.pdf_worker`), started before its documents are
    ready: it imports WeasyPrint and loads the fonts (half a second and more) while the pack is
    read and its charts are drawn. Lay documents out with `render`, at most once; `close` ends
    the process if it is still running (always call it: the worker is also ended if the person
    waiting goes away)."""

    def __init__(self):
        self._directory = tempfile.TemporaryDirectory(prefix="bettercare-pdf-")
        self.path = Path(self._directory.name)
        static_files = StaticFiles.from_settings()
        static = self.path / "static.json"
        static.write_text(json.dumps({"url": static_files.url, "roots": static_files.roots}))
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module, no shell)
            [sys.executable, "-m", "reports.pdf_worker", str(static)],
            cwd=settings.BASE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def render(
        self, documents: Sequence[tuple[str, str]]
    ) -> Generator[tuple[str, str, int | None], None, dict[str, PdfResult]]:
        """Lay out the (name, html) documents, in order. Yields (name, message, page) as the
        worker reports progress, with an empty message when it starts on a document; returns
        {name: PdfResult}. The worker's output is read line by line; it writes each PDF to a
        file, never to the pipe, so a large PDF cannot block it."""
        worker = self.process
        try:
            for index, (_, html) in enumerate(documents):
                source = self.path / f"{index}.html"
                source.write_text(html, encoding="utf-8")
                worker.stdin.write(f"{source}\t{self.path / f'{index}.pdf'}\n")
            worker.stdin.close()
        except BrokenPipeError:
            pass  # the worker ended early: its output says why
        # A layout that never ends (WeasyPrint has had such bugs) is stopped, not waited for.
        watchdog = threading.Timer(WORKER_TIMEOUT_SECONDS * len(documents), worker.kill)
        watchdog.start()
        pages: dict[int, int] = {}
        current, checking = 0, False
        log: list[str] = []
        try:
            for line in worker.stdout:
                line = line.rstrip("\n")
                if line.startswith("DOCUMENT "):
                    current, checking = int(line.removeprefix("DOCUMENT ")), False
                    yield documents[current][0], "", None
                elif line.startswith("PROGRESS "):
                    step = line.removeprefix("PROGRESS ")
                    checking = checking or "Repagination" in step
                    message = progress_message(step, checking=checking)
                    if message:
                        yield documents[current][0], message, None if checking else page_of(step)
                elif line.startswith("PAGES "):
                    pages[current] = int(line.removeprefix("PAGES "))
                elif line != "READY":
                    log.append(line)
            worker.wait()
        finally:
            watchdog.cancel()
        if worker.returncode != 0 or len(pages) != len(documents):
            detail = log[-1] if log else f"exit status {worker.returncode}"
            raise PdfRenderingFailed(f"The PDF could not be laid out ({detail}).")
        return {
            name: PdfResult(pdf=(self.path / f"{index}.pdf").read_bytes(), pages=pages[index])
            for index, (name, _) in enumerate(documents)
        }

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream and not stream.closed:
                # The worker may have gone with input unread: there is nothing left to flush.
                with contextlib.suppress(BrokenPipeError):
                    stream.close()
        self._directory.cleanup()


class InProcessLayout:
    """Lays documents out in this process, reporting the same progress as `PdfWorker`: for a
    process that ends after the build (an RQ job's). WeasyPrint runs in a thread of its own,
    its progress lines passed back through a queue, so that the caller can report each page
    as it is laid out."""

    def render(
        self, documents: Sequence[tuple[str, str]]
    ) -> Generator[tuple[str, str, int | None], None, dict[str, PdfResult]]:
        lines: queue.Queue = queue.Queue()
        results: dict[str, PdfResult] = {}
        failure: list[BaseException] = []
        handler = _ProgressHandler(lambda step: lines.put(("PROGRESS", step)))
        logger = logging.getLogger("weasyprint.progress")
        # Its lines are for the person waiting, through the handler, not for the log.
        saved = logger.level, logger.propagate
        logger.setLevel(logging.INFO)
        logger.propagate = False

        def lay_out() -> None:
            try:
                for name, html in documents:
                    lines.put(("DOCUMENT", name))
                    results[name] = render_pdf(html)
            except BaseException as error:
                failure.append(error)
            finally:
                lines.put(("END", None))

        logger.addHandler(handler)
        thread = threading.Thread(target=lay_out, name="pdf-layout", daemon=True)
        thread.start()
        try:
            current, checking = "", False
            while True:
                kind, value = lines.get(timeout=WORKER_TIMEOUT_SECONDS * len(documents))
                if kind == "END":
                    break
                if kind == "DOCUMENT":
                    current, checking = value, False
                    yield current, "", None
                    continue
                checking = checking or "Repagination" in value
                message = progress_message(value, checking=checking)
                if message:
                    yield current, message, None if checking else page_of(value)
        except queue.Empty:
            raise PdfRenderingFailed("The PDF took too long to lay out.") from None
        finally:
            logger.removeHandler(handler)
            logger.setLevel(saved[0])
            logger.propagate = saved[1]
        thread.join()
        if failure:
            logging.getLogger(__name__).error("Laying out a PDF failed", exc_info=failure[0])
            raise PdfRenderingFailed(
                f"The PDF could not be laid out ({type(failure[0]).__name__})."
            )
        return results

    def close(self) -> None:
        pass
