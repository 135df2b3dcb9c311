"""Drawing the pack's charts quickly without changing them: stable SVG for the same figure,
drawings kept and reused (the same PDF either way), one browser kept between builds and closed
when idle or broken, and the PDF worker started ahead of its documents. All with the real
Chromium, kaleido and WeasyPrint."""

import datetime as dt
import re
import time

import plotly.graph_objects as go
import pytest
from django.urls import reverse
from django.utils import timezone

from bettercare.charts import ChartRenderingUnavailable, house_style
from reports import drawing
from reports.assembly import FULL, PUBLIC, pack_pdfs_build, run_to_end
from reports.drawing import ChartDrawings, ChartRenderer, SvgJob, stable_ids
from reports.models import ChartDrawing
from reports.pdf import PdfWorker, render_pdf

from .pdf_reading import flat, pdf_pages

pytestmark = pytest.mark.django_db


class CountingRenderer(ChartRenderer):
    """A real renderer that also counts the figures it is asked to draw."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.drawn = 0

    def draw_async(self, jobs):
        self.drawn += len(jobs)
        return super().draw_async(jobs)


@pytest.fixture
def renderer():
    with CountingRenderer(tabs=1, idle_seconds=None) as counting:
        yield counting


def busy_figure(title="Admissions") -> go.Figure:
    """Lines, bars, a shape and an annotation: every kind of clip path and def plotly makes."""
    figure = go.Figure(
        [
            go.Bar(x=["Apr", "May", "Jun"], y=[3, -1, 2], name="Variance"),
            go.Scatter(x=["Apr", "May", "Jun"], y=[2, 2.5, 1], name="Total"),
        ]
    )
    figure.add_vline(x=1, line={"dash": "dash"})
    figure.add_annotation(x=1, y=1, yref="paper", text="New model", showarrow=False)
    return house_style(figure, title=title, y_title="£M")


def test_the_same_figure_always_gives_the_same_svg(renderer):
    job = SvgJob(busy_figure(), 600, 300)
    first, second = renderer.draw([job, job])
    random_id = re.search(r'<defs id="defs-([0-9a-f]{6})"', first).group(1)
    assert first != second  # plotly names each drawing's clip paths at random...
    stable = stable_ids(first, job.key)
    assert stable == stable_ids(second, job.key)  # ...which the stable ids take out
    assert random_id not in stable
    references = re.findall(r"url\(#([^)]+)\)", stable)
    ids = set(re.findall(r'id="([^"]+)"', stable))
    assert references and set(references) <= ids  # every clip path still found
    assert f"k{job.key[:12]}" in stable
    # Another figure, or the same at another size, is another drawing.
    assert SvgJob(busy_figure("Delays"), 600, 300).key != job.key
    assert SvgJob(busy_figure(), 600, 320).key != job.key


def test_drawings_are_kept_and_reused_and_the_pdf_is_the_same(figures, pack, renderer):
    def build():
        return run_to_end(
            pack_pdfs_build(
                pack, version_label="Test", outputs=(FULL,), isolate=False, renderer=renderer
            )
        ).pdfs[FULL]

    first = build()
    assert renderer.drawn == 1  # the one headline with figures: non-elective admissions
    assert ChartDrawing.objects.count() == 1
    again = build()
    assert renderer.drawn == 1  # nothing drawn the second time
    assert again.pdf == first.pdf
    ChartDrawing.objects.all().delete()
    drawn_afresh = build()
    assert renderer.drawn == 2
    assert drawn_afresh.pdf == first.pdf  # drawn again, to the byte
    text = flat(" ".join(pdf_pages(first.pdf)))
    assert "Last year Plan Actual" in text  # vector text


def test_identical_figures_are_drawn_once_and_old_drawings_are_removed(renderer):
    stale = ChartDrawing.objects.create(
        key="0" * 64, svg="<svg/>", used=timezone.now() - dt.timedelta(days=31)
    )
    recent = ChartDrawing.objects.create(
        key="1" * 64, svg="<svg/>", used=timezone.now() - dt.timedelta(days=29)
    )
    job = SvgJob(busy_figure(), 600, 300)
    drawings = ChartDrawings([job, job], renderer=renderer)
    assert renderer.drawn == 1 and drawings.drawn == 1
    assert drawings.wait()[0].startswith("<svg")
    drawings.keep()
    assert not ChartDrawing.objects.filter(pk=stale.pk).exists()
    assert ChartDrawing.objects.filter(pk=recent.pk).exists()

    kept = ChartDrawing.objects.get(key=job.key)
    time.sleep(0.01)
    assert ChartDrawings([job], renderer=renderer).drawn == 0
    assert ChartDrawing.objects.get(key=job.key).used > kept.used  # still in use: kept longer


def test_one_browser_serves_build_after_build_and_closes_when_idle():
    renderer = ChartRenderer(tabs=2, idle_seconds=1)
    try:
        renderer.start()  # without waiting for Chromium
        assert renderer.running
        assert renderer.draw([SvgJob(busy_figure(), 400, 200)])[0].startswith("<svg")
        browser = renderer._browser
        renderer.draw([SvgJob(busy_figure("Delays"), 400, 200)])
        assert renderer._browser is browser  # the same Chromium, not started again
        deadline = time.monotonic() + 15
        while renderer.running and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not renderer.running  # closed after a second without use
        assert renderer.draw([SvgJob(busy_figure(), 400, 200)])[0].startswith("<svg")
    finally:
        renderer.close()


def test_a_browser_started_ahead_but_never_used_closes_when_idle():
    renderer = ChartRenderer(tabs=1, idle_seconds=1)
    try:
        renderer.start()  # e.g. a pack's page was opened, and no build followed
        assert renderer.running
        deadline = time.monotonic() + 30
        while renderer.running and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not renderer.running
    finally:
        renderer.close()


def test_a_renderer_that_fails_says_so_and_starts_afresh_next_time(monkeypatch):
    renderer = ChartRenderer(tabs=1, idle_seconds=None)
    try:
        monkeypatch.setattr(drawing, "DRAW_TIMEOUT", 0.001)  # no drawing is that quick
        with pytest.raises(ChartRenderingUnavailable, match="The charts could not be drawn"):
            renderer.draw([SvgJob(busy_figure(), 400, 200)])
        # Closed at once, by the failure or by the batch's end, whichever comes second.
        deadline = time.monotonic() + 15
        while renderer.running and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not renderer.running
        monkeypatch.setattr(drawing, "DRAW_TIMEOUT", 120)
        assert renderer.draw([SvgJob(busy_figure(), 400, 200)])[0].startswith("<svg")
    finally:
        renderer.close()


def test_the_worker_is_ready_before_its_documents_and_gives_the_same_pdfs():
    worker = PdfWorker()
    try:
        assert worker.process.stdout.readline().strip() == "READY"  # WeasyPrint loaded, warm
        documents = [(FULL, "<h2>Full</h2><p>One.</p>"), (PUBLIC, "<h2>Public</h2>")]
        steps, messages = worker.render(documents), []
        while True:
            try:
                messages.append(next(steps))
            except StopIteration as finished:
                results = finished.value
                break
    finally:
        worker.close()
    assert (FULL, "", None) in messages and (PUBLIC, "Writing the PDF file", None) in messages
    assert (PUBLIC, "Laying out page 1", 1) in messages
    for name, html in documents:
        assert pdf_pages(results[name].pdf) == pdf_pages(render_pdf(html).pdf)
    assert worker.process.poll() is not None and not worker.path.exists()


def test_a_worker_not_needed_after_all_is_ended():
    worker = PdfWorker()
    worker.close()  # e.g. the build failed while drawing, or the person went away
    assert worker.process.poll() is not None and not worker.path.exists()


@pytest.mark.parametrize("isolate", [True, False], ids=["worker", "in-process"])
def test_a_chart_that_cannot_be_drawn_fails_the_build_rather_than_leave_a_gap(
    figures, pack, monkeypatch, isolate
):
    monkeypatch.setattr(drawing, "DRAW_TIMEOUT", 0.001)  # no drawing is that quick
    with (
        ChartRenderer(tabs=1, idle_seconds=None) as renderer,
        pytest.raises(ChartRenderingUnavailable, match="The charts could not be drawn"),
    ):
        run_to_end(pack_pdfs_build(pack, version_label="Test", isolate=isolate, renderer=renderer))
    assert not ChartDrawing.objects.exists()


def test_opening_a_draft_pack_with_charts_starts_no_browser_in_the_web_process(
    figures, pack, login, secretary
):
    """A Chromium costs about 1 GB: merely looking at a pack must not start one (anyone who
    may see a draft could otherwise make the server start browsers)."""
    renderer = drawing.shared_renderer()
    renderer.close()
    response = login(secretary).get(reverse("reports:pack_detail", args=[pack.pk]))
    assert response.status_code == 200
    assert 'data-plotly-for="' in response.content.decode()  # the page has its charts
    assert "Build the draft PDF" in response.content.decode()
    assert not renderer.running
