"""Drawing the pack's charts as SVG for print: each figure once, and quickly.

The charts are the plotly figures of the web pages, drawn as vector SVG by kaleido through the
system Chromium. Starting Chromium costs far more than drawing a chart once it runs, and a
pack's charts can take as long as WeasyPrint's whole layout (the README's benchmarks give the
times), so:

- `ChartRenderer` keeps one Chromium for a long-running process (the web application): started
  when a build first needs a drawing, kept for the next build, and closed after `IDLE_SECONDS`
  without use so that its memory goes back to the system. It has two tabs, so that one chart is
  drawn while the other tab resets. A one-off process (`build_pack`) has a renderer of its own,
  closed when it is done.
- `ChartDrawings` keeps every drawing in the database (`ChartDrawing`) under a checksum of what was
  drawn (the figure's JSON, its size and the versions of plotly and kaleido) and draws only what
  is not kept: a Final build after its draft, or `build_pack` after the page's build, starts no
  browser at all.
- plotly.js names each drawing's clip paths, and each trace, with random ids; the traces are
  given ids made from the checksum before drawing (`SvgJob.drawn_figure`) and `stable_ids`
  replaces the drawing's own, so that a figure always gives the same SVG, drawn now or kept, and
  the same pack gives the same PDF either way.
- Each drawing carries its own accessible title and description (`<title>`, `<desc>`: the
  metric's name, what the chart shows in words), written into the SVG when it is drawn and kept
  with it. The pack takes a chart's alternative text from its drawing, never from a list beside
  it, so the text under a heading always names the chart actually drawn there.

A build gets its drawings back in the order of its jobs, whichever were kept and whichever
drawn now. (They once came back kept ones first: as soon as a pack's charts were not all kept or
all new, say after ticking one SPC chart, the charts shifted under the wrong metrics.)

MathJax is turned off: kaleido would otherwise load it from a CDN into every tab it resets, and
with no network each chart could wait seconds for that request to fail. No chart has LaTeX.
"""

from __future__ import annotations

import asyncio
import atexit
import hashlib
import html
import json
import logging
import re
import shutil
import threading
from collections.abc import Sequence
from concurrent.futures import CancelledError, Future, wait
from dataclasses import dataclass
from functools import cached_property, partial
from importlib.metadata import version

import plotly.graph_objects as go
from plotly.utils import PlotlyJSONEncoder

from bettercare.charts import ChartRenderingUnavailable

from .selectors import chart_drawings_kept
from .services import chart_drawings_keep, chart_drawings_mark_used

logger = logging.getLogger(__name__)

IDLE_SECONDS = 600  # a web process closes its browser after ten minutes without a build
START_TIMEOUT = 60  # seconds for Chromium to start, on a busy machine
DRAW_TIMEOUT = 120  # seconds for one build's drawings
SOFTWARE = f"plotly {version('plotly')}, kaleido {version('kaleido')}"


@dataclass(frozen=True)
class SvgJob:
    """A figure to draw at a size, in pixels, with the accessible title and description its
    drawing carries (empty for a drawing without)."""

    figure: go.Figure
    width: int
    height: int
    title: str = ""
    description: str = ""

    @cached_property
    def key(self) -> str:
        """The checksum of what is drawn: the same key always gives the same drawing."""
        what = {
            "figure": self.figure.to_plotly_json(),
            "width": self.width,
            "height": self.height,
            "title": self.title,
            "description": self.description,
            "software": SOFTWARE,
        }
        text = json.dumps(what, cls=PlotlyJSONEncoder, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def drawn_figure(self) -> dict:
        """The figure as kaleido draws it. plotly.js names each trace (in its class) with a
        random id unless it has one: each is given one made from the key, so that the same
        figure gives the same SVG."""
        figure = self.figure.to_dict()
        key = self.key
        for index, trace in enumerate(figure.get("data", [])):
            trace.setdefault("uid", f"k{key[:12]}t{index}")
        return figure


# plotly.js gives each drawing a random six-digit hex id, used in the ids of its <defs> and clip
# paths and in the references to them: defs-1a2b3c, clip1a2b3cxyplot, url(#legend1a2b3c).
_RANDOM_ID = re.compile(r'<defs id="defs-([0-9a-f]{6})"')


def with_accessible_text(svg: str, *, title: str, description: str) -> str:
    """The drawing with its accessible title and description as the first children of its
    root element, where SVG puts them (an image's own name, read back with `accessible_text`)."""
    if not (title or description):
        return svg
    opening = re.search(r"<svg\b[^>]*>", svg)
    if opening is None:
        return svg
    parts = []
    if title:
        parts.append(f"<title>{html.escape(title, quote=False)}</title>")
    if description:
        parts.append(f"<desc>{html.escape(description, quote=False)}</desc>")
    return svg[: opening.end()] + "".join(parts) + svg[opening.end() :]


_TITLE = re.compile(r"<svg\b[^>]*>\s*<title>([^<]*)</title>(?:\s*<desc>([^<]*)</desc>)?")


def accessible_text(svg: str) -> tuple[str, str]:
    """The (title, description) a drawing carries; empty strings when it has none."""
    found = _TITLE.match(svg.lstrip())
    if found is None:
        return "", ""
    return html.unescape(found.group(1)), html.unescape(found.group(2) or "")


def stable_ids(svg: str, key: str) -> str:
    """The drawing with plotly's random id replaced by one made from its key. It stays unique
    within a pack (two charts of a page must not share clip path ids) and never changes."""
    found = _RANDOM_ID.search(svg)
    if found is None:
        return svg
    return re.sub(
        rf'(id="(?:top)?defs-|["#](?:clip|legend)){found.group(1)}',
        lambda match: f"{match.group(1)}k{key[:12]}",
        svg,
    )


class ChartRenderer:
    """A Chromium driven by kaleido in a thread of its own, drawing figures as SVG. Safe to use
    from several threads (requests) at once; a build waits only for its own drawings."""

    def __init__(self, *, tabs: int = 2, idle_seconds: float | None = IDLE_SECONDS):
        self.tabs = tabs
        self.idle_seconds = idle_seconds
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._browser: Future | None = None  # resolves to the open kaleido.Kaleido
        self._busy = 0  # batches of drawings under way
        self._broken = False  # a drawing failed: the next batch starts another browser
        self._idle_timer: threading.Timer | None = None

    def __enter__(self) -> ChartRenderer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @property
    def running(self) -> bool:
        return self._browser is not None

    def start(self) -> None:
        """Start Chromium without waiting for it: it is ready by the time the drawings are
        asked for, or sooner than if started then. Left unused, it closes after its idle time
        like a browser that has drawn."""
        with self._lock:
            self._start()
            if not self._busy:
                self._schedule_close(self.idle_seconds)

    def _start(self) -> None:
        if self._browser is not None:
            return
        if not (shutil.which("chromium") or shutil.which("chromium-browser")):
            raise ChartRenderingUnavailable(
                "Charts cannot be drawn: Chromium is not installed (run `make install`)."
            )
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="chart-renderer", daemon=True)
        thread.start()
        self._loop, self._thread, self._broken = loop, thread, False
        self._browser = asyncio.run_coroutine_threadsafe(self._open(), loop)

    async def _open(self):
        import kaleido

        browser = kaleido.Kaleido(n=self.tabs, mathjax=False)
        await browser.open()
        return browser

    def draw_async(self, jobs: Sequence[SvgJob]) -> list[Future]:
        """Start drawing the jobs and return at once: a future per job, in order, resolving to
        its SVG. They are drawn as far as possible in parallel (one per tab)."""
        if not jobs:
            return []
        with self._lock:
            if self._broken and not self._busy:
                # A browser that failed once is not trusted again. (While another build still
                # draws with it, that build's end closes it; this batch shares it meanwhile.)
                self._detach_and_close_later()
            self._start()
            self._busy += 1
            self._cancel_idle_timer()
            browser, loop = self._browser, self._loop
        futures = [
            asyncio.run_coroutine_threadsafe(self._draw_one(browser, job), loop) for job in jobs
        ]
        remaining = [len(futures)]

        def finished(future: Future) -> None:
            with self._lock:
                if _problem(future) is not None:
                    self._broken = True
                remaining[0] -= 1
                if not remaining[0]:
                    self._busy -= 1
                    if not self._busy:
                        # A broken browser goes at once; a sound one after its idle time. (A
                        # timer, not here: this runs on the browser's own thread.)
                        self._schedule_close(0 if self._broken else self.idle_seconds)

        for future in futures:
            future.add_done_callback(finished)
        return futures

    @staticmethod
    async def _draw_one(browser: Future, job: SvgJob) -> str:
        opened = await asyncio.wait_for(asyncio.wrap_future(browser), START_TIMEOUT)
        svg = await asyncio.wait_for(
            opened.calc_fig(
                job.drawn_figure(),
                opts={"format": "svg", "width": job.width, "height": job.height, "scale": 1},
            ),
            DRAW_TIMEOUT,
        )
        return svg.decode("utf-8")

    def draw(self, jobs: Sequence[SvgJob]) -> list[str]:
        """The SVG of each job, in order, waiting for them."""
        futures = self.draw_async(jobs)
        try:
            return [future.result(timeout=START_TIMEOUT + DRAW_TIMEOUT) for future in futures]
        except Exception as error:
            raise self.failure(futures) from error

    def failure(self, futures: Sequence[Future]) -> ChartRenderingUnavailable:
        """After a drawing failed: let the batch end, close the browser if nothing else is
        using it (the next build starts another), and say what went wrong."""
        wait(futures, timeout=START_TIMEOUT + DRAW_TIMEOUT)
        problems = [_problem(future) for future in futures if future.done()]
        logger.error("Drawing the charts failed", exc_info=next((p for p in problems if p), None))
        self.close()
        return ChartRenderingUnavailable(
            "The charts could not be drawn. Try again; if it happens again, tell your "
            "administrator."
        )

    def _schedule_close(self, seconds: float | None) -> None:
        """Close the browser after `seconds` unless a build uses it meanwhile (None: never).
        Called with the lock held."""
        if seconds is None or self._browser is None:
            return
        self._cancel_idle_timer()
        self._idle_timer = threading.Timer(seconds, self._close_if_idle)
        self._idle_timer.daemon = True
        self._idle_timer.start()

    def _cancel_idle_timer(self) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None

    def _close_if_idle(self) -> None:
        if not self._busy:
            self.close()

    def close(self) -> None:
        """Close Chromium (waiting for it to finish starting, if it is) and the thread; not
        while a build is drawing with it (its end schedules the close)."""
        with self._lock:
            if self._busy:
                return
            detached = self._detach()
        _shut_down(*detached)

    def _detach(self) -> tuple:
        """Forget the browser, so that the next batch starts another; called with the lock
        held. Returns what `_shut_down` needs."""
        detached = (self._browser, self._loop, self._thread)
        self._browser = self._loop = self._thread = None
        self._cancel_idle_timer()
        return detached

    def _detach_and_close_later(self) -> None:
        # Shut down in a thread of its own: the caller holds the lock and a build is waiting.
        threading.Thread(
            target=_shut_down, args=self._detach(), name="chart-renderer-close", daemon=True
        ).start()


def _shut_down(browser: Future | None, loop: asyncio.AbstractEventLoop | None, thread) -> None:
    """Close a detached browser and stop its loop and thread."""
    if loop is None:
        return

    async def shut_down():
        try:
            await (await asyncio.wrap_future(browser)).close()
        except Exception:  # it never opened, or died: nothing left to close
            logger.debug("Closing the chart renderer's browser", exc_info=True)

    try:
        asyncio.run_coroutine_threadsafe(shut_down(), loop).result(timeout=30)
    except Exception:
        logger.warning("The chart renderer's browser did not close in time", exc_info=True)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=10)
    if not thread.is_alive():
        loop.close()


_shared: ChartRenderer | None = None
_shared_lock = threading.Lock()


def shared_renderer() -> ChartRenderer:
    """The process's renderer, kept between builds (the web application's)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = ChartRenderer()
            atexit.register(_shared.close)
        return _shared


class ChartDrawings:
    """The drawings of one build, by key: those kept from earlier builds at once (one query),
    the others as the renderer draws them, so that the pages can be laid out meanwhile (the PDF
    asks for each chart by its key: see `reports.pdf.CHART_SCHEME`). `keep` stores the new
    ones for next time."""

    def __init__(self, jobs: Sequence[SvgJob], *, renderer: ChartRenderer):
        self.renderer = renderer
        keys = [job.key for job in jobs]
        self.keys = keys  # the jobs' order: `wait` gives the drawings back in it
        kept = chart_drawings_kept(keys=keys)
        chart_drawings_mark_used(keys=list(kept))
        self.futures: dict[str, Future] = {}
        for key, svg in kept.items():
            self.futures[key] = Future()
            self.futures[key].set_result(svg)
        missing = {key: job for key, job in zip(keys, jobs, strict=True) if key not in kept}
        self._new = list(missing)
        for (key, job), drawing in zip(
            missing.items(), renderer.draw_async(list(missing.values())), strict=True
        ):
            self.futures[key] = Future()
            drawing.add_done_callback(partial(_finish_drawing, job, self.futures[key]))

    @property
    def drawn(self) -> int:
        """How many are drawn for this build (the others were kept from before)."""
        return len(self._new)

    def wait(self) -> list[str]:
        """Every drawing in the order of the jobs (a figure asked for twice, twice), waiting
        for them; ChartRenderingUnavailable if one failed."""
        try:
            return [
                self.futures[key].result(timeout=START_TIMEOUT + DRAW_TIMEOUT)
                for key in self.keys
            ]
        except Exception as error:
            raise self.renderer.failure(list(self.futures.values())) from error

    def keep(self) -> None:
        """Keep the drawings made for this build (those finished) for later builds."""
        chart_drawings_keep(
            drawings={
                key: self.futures[key].result()
                for key in self._new
                if self.futures[key].done() and not _problem(self.futures[key])
            }
        )


def _problem(future: Future) -> BaseException | None:
    """What went wrong with a finished future, if anything."""
    if future.cancelled():
        return CancelledError()
    return future.exception()


def _finish_drawing(job: SvgJob, target: Future, drawing: Future) -> None:
    """A drawing as kept: stable ids, and the job's accessible title and description."""
    problem = _problem(drawing)
    if problem is not None:
        target.set_exception(problem)
    else:
        svg = stable_ids(drawing.result(), job.key)
        target.set_result(
            with_accessible_text(svg, title=job.title, description=job.description)
        )
