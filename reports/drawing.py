"""Drawing the pack's charts as SVG for print: each figure once, and quickly.

The charts are the plotly figures of the web pages, drawn as vector SVG by kaleido through the
system Chromium. Starting Chromium costs about 1.5 s and each chart about 0.1 s, against a
second or two for WeasyPrint to lay the whole pack out, so:

- `ChartRenderer` keeps one Chromium for a long-running process (the web application): started
  when a build first needs a drawing, kept for the next build, and closed after `IDLE_SECONDS`
  without use so that its memory goes back to the system. It has two tabs, so that one chart is
  drawn while the other tab resets. A one-off process (`build_pack`) has a renderer of its own,
  closed when it is done.
- `draw_svgs` keeps every drawing in the database (`ChartDrawing`) under a checksum of what was
  drawn (the figure's JSON, its size and the versions of plotly and kaleido) and draws only what
  is not kept: a Final build after its draft, or `build_pack` after the page's build, starts no
  browser at all.
- plotly.js names each drawing's clip paths, and each trace, with random ids; the traces are
  given ids made from the checksum before drawing (`SvgJob.drawn_figure`) and `stable_ids`
  replaces the drawing's own, so that a figure always gives the same SVG, drawn now or kept, and
  the same pack gives the same PDF either way.

MathJax is turned off: kaleido would otherwise load it from a CDN into every tab it resets, and
with no network each chart could wait seconds for that request to fail. No chart has LaTeX.
"""

from __future__ import annotations

import asyncio
import atexit
import datetime as dt
import hashlib
import json
import logging
import re
import shutil
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from functools import cached_property
from importlib.metadata import version

import plotly.graph_objects as go
from django.utils import timezone
from plotly.utils import PlotlyJSONEncoder

from bettercare.charts import ChartRenderingUnavailable

from .models import ChartDrawing

logger = logging.getLogger(__name__)

IDLE_SECONDS = 600  # a web process closes its browser after ten minutes without a build
START_TIMEOUT = 60  # seconds for Chromium to start, on a busy machine
DRAW_TIMEOUT = 120  # seconds for one build's drawings
KEPT_FOR = dt.timedelta(days=30)  # drawings unused this long are removed
SOFTWARE = f"plotly {version('plotly')}, kaleido {version('kaleido')}"


@dataclass(frozen=True)
class SvgJob:
    """A figure to draw at a size, in pixels."""

    figure: go.Figure
    width: int
    height: int

    @cached_property
    def key(self) -> str:
        """The checksum of what is drawn: the same key always gives the same drawing."""
        what = {
            "figure": self.figure.to_plotly_json(),
            "width": self.width,
            "height": self.height,
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
        self._busy = 0
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
        asked for, or sooner than if started then."""
        with self._lock:
            self._start()

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
        self._loop, self._thread = loop, thread
        self._browser = asyncio.run_coroutine_threadsafe(self._open(), loop)

    async def _open(self):
        import kaleido

        browser = kaleido.Kaleido(n=self.tabs, mathjax=False)
        await browser.open()
        return browser

    def draw(self, jobs: Sequence[SvgJob]) -> list[str]:
        """The SVG of each job, in order, drawn as far as possible in parallel (one per tab)."""
        if not jobs:
            return []
        with self._lock:
            self._start()
            self._busy += 1
            self._cancel_idle_timer()
            browser, loop = self._browser, self._loop
        failed = False
        try:
            opened = browser.result(timeout=START_TIMEOUT)
            drawing = asyncio.run_coroutine_threadsafe(self._draw_all(opened, jobs), loop)
            return [svg.decode("utf-8") for svg in drawing.result(timeout=DRAW_TIMEOUT)]
        except Exception as error:
            failed = True
            logger.exception("Drawing the charts failed")
            raise ChartRenderingUnavailable(
                "The charts could not be drawn. Try again; if it happens again, tell your "
                "administrator."
            ) from error
        finally:
            with self._lock:
                self._busy -= 1
                idle = not self._busy
                if idle and not failed:
                    self._schedule_idle_close()
            if failed and idle:
                # A browser that failed once is not trusted again: the next build starts another.
                self.close()

    @staticmethod
    async def _draw_all(browser, jobs: Sequence[SvgJob]) -> list[bytes]:
        return await asyncio.gather(
            *(
                browser.calc_fig(
                    job.drawn_figure(),
                    opts={"format": "svg", "width": job.width, "height": job.height, "scale": 1},
                )
                for job in jobs
            )
        )

    def _schedule_idle_close(self) -> None:
        if self.idle_seconds is None or self._browser is None:
            return
        self._cancel_idle_timer()
        self._idle_timer = threading.Timer(self.idle_seconds, self._close_if_idle)
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
        """Close Chromium (waiting for it to finish starting, if it is) and the thread."""
        with self._lock:
            if self._busy:
                return  # a build is drawing: its end schedules the close
            browser, loop, thread = self._browser, self._loop, self._thread
            self._browser = self._loop = self._thread = None
            self._cancel_idle_timer()
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


@dataclass(frozen=True)
class Drawings:
    svgs: list[str]  # in the order asked for
    drawn: int  # how many had to be drawn now; the others were kept from before


def draw_svgs(jobs: Sequence[SvgJob], *, renderer: ChartRenderer) -> Drawings:
    """The SVG of each job: kept drawings first (one query), the others drawn by `renderer`
    and kept for next time."""
    keys = [job.key for job in jobs]
    kept = dict(ChartDrawing.objects.filter(key__in=keys).values_list("key", "svg"))
    now = timezone.now()
    if kept:
        ChartDrawing.objects.filter(key__in=list(kept)).update(used=now)
    missing = {key: job for key, job in zip(keys, jobs, strict=True) if key not in kept}
    if missing:
        drawn = {
            key: stable_ids(svg, key)
            for key, svg in zip(missing, renderer.draw(list(missing.values())), strict=True)
        }
        ChartDrawing.objects.filter(used__lt=now - KEPT_FOR).delete()
        ChartDrawing.objects.bulk_create(
            [ChartDrawing(key=key, svg=svg, created=now, used=now) for key, svg in drawn.items()],
            ignore_conflicts=True,  # another build drew the same figure meanwhile
        )
        kept.update(drawn)
    return Drawings(svgs=[kept[key] for key in keys], drawn=len(missing))
