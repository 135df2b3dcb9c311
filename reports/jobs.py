"""The board pack's background jobs (see bettercare.jobs): draft builds, making a pack Final,
and drawing the charts of an area's draft packs ahead of their builds.

Where they run decides how they use the machine:
- in an RQ worker, each job has a process forked for it alone, which ends with the job. It
  lays the PDFs out in-process (WeasyPrint loaded and its fonts read once by the worker before
  it forks: `prepare_worker`) and has a Chromium of its own for the charts, closed at the end;
- in a thread of a web process (no Redis), the PDFs are laid out in a process of their own so
  that WeasyPrint's memory goes back, and the charts are drawn by the process's Chromium,
  kept for ten minutes for the next build.
Either way, the page shows the job's step and page count as it goes (its `Progress`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth import get_user_model

from bettercare.charts import ChartRenderingUnavailable
from bettercare.jobs import JobFailed, Progress, background_job, enqueue
from bettercare.models import Area

from .assembly import FULL, PUBLIC, PackAssembly, Step, pack_pdfs_build, version_label
from .drawing import ChartDrawings, ChartRenderer, SvgJob, shared_renderer
from .models import Pack
from .pdf import PdfRenderingFailed
from .selectors import pack_next_version_number
from .services import pack_build_save, pack_version_create


def in_forked_job() -> bool:
    """True in the process an RQ worker forked for a job (RQ sets RQ_JOB_ID there)."""
    return bool(os.environ.get("RQ_JOB_ID"))


@contextlib.contextmanager
def chart_renderer() -> Iterator[ChartRenderer]:
    if in_forked_job():
        # The process ends with os._exit, which runs no clean-up: close Chromium here.
        with ChartRenderer(idle_seconds=None) as renderer:
            yield renderer
    else:
        yield shared_renderer()


def _built(pack: Pack, progress: Progress, **options):
    steps = pack_pdfs_build(pack, isolate=not in_forked_job(), **options)
    try:
        while True:
            step: Step = next(steps)
            progress(str(step), pages=step.pages)
    except StopIteration as finished:
        return finished.value
    except (PdfRenderingFailed, ChartRenderingUnavailable) as error:
        raise JobFailed(str(error)) from error
    finally:
        steps.close()


def _draft_pack(pack_id: int) -> Pack:
    pack = Pack.objects.select_related("area").filter(pk=pack_id).first()
    if pack is None:
        raise JobFailed("This pack no longer exists.")
    if not pack.is_draft:
        raise JobFailed("This pack was made Final meanwhile: download its stored versions.")
    return pack


@background_job
def pack_build(progress: Progress, *, pack_id: int, output: str, user_id: int) -> dict:
    """A draft PDF (full or public) of the pack as it is now, kept for a day for download."""
    pack = _draft_pack(pack_id)
    number = pack_next_version_number(pack=pack)
    with chart_renderer() as renderer:
        built = _built(
            pack,
            progress,
            version_label=version_label(number=number, final=False),
            outputs=[output],
            renderer=renderer,
        )
    suffix = "-public-draft.pdf" if output == PUBLIC else "-draft.pdf"
    progress("Keeping the PDF for you to download")
    build = pack_build_save(
        pack=pack,
        user=get_user_model().objects.filter(pk=user_id).first(),
        public=output == PUBLIC,
        file_name=pack.file_stem(number) + suffix,
        result=built.pdfs[output],
    )
    return {
        "build_id": build.pk,
        "file_name": build.file_name,
        "pages": build.pages,
        "sha256": build.sha256,
    }


@background_job
def pack_finalise(
    progress: Progress,
    *,
    pack_id: int,
    number: int,
    user_id: int,
    lacking: list[str] | None = None,
    reason: str = "",
) -> dict:
    """Make the pack Final as version `number`: both PDFs are laid out first (as Final: no
    DRAFT mark, a Final footer, although the pack is still a Draft while they are built), then
    the version is stored in one transaction (`pack_version_create`) with what the check before
    Final showed the secretary as lacking and her reason, so that a build stopped at any point
    leaves no version, half or whole, and the pack a Draft that can be made Final again."""
    pack = _draft_pack(pack_id)
    with chart_renderer() as renderer:
        built = _built(
            pack,
            progress,
            version_label=version_label(number=number, final=True),
            outputs=[FULL, PUBLIC],
            final=True,
            renderer=renderer,
        )
    progress(f"Storing version {number} with its checksums")
    version = pack_version_create(
        pack=pack,
        user=get_user_model().objects.get(pk=user_id),
        full=built.pdfs[FULL],
        public=built.pdfs[PUBLIC],
        figures_json=built.figures_json,
        number=number,
        lacking=lacking or [],
        reason=reason,
    )
    return {
        "number": version.number,
        "full_pages": version.full_pages,
        "full_sha256": version.full_sha256,
        "public_pages": version.public_pages,
        "public_sha256": version.public_sha256,
    }


@background_job
def charts_draw_ahead(progress: Progress, *, area_id: int) -> dict:
    """Draw and keep the print charts of every Draft pack of the area, as their figures are
    now, so that the next build finds them drawn (`ChartDrawings` keeps each under a checksum
    of its figure: a chart whose figures did not change is not drawn again)."""
    progress("Reading the draft packs' charts")
    jobs: dict[str, SvgJob] = {}
    packs = list(Pack.objects.filter(area_id=area_id, status=Pack.Status.DRAFT))
    for pack in packs:
        for job in PackAssembly(pack, version_label="").print_jobs():
            jobs.setdefault(job.key, job)
    if not jobs:
        return {"packs": len(packs), "charts": 0, "drawn": 0}
    with chart_renderer() as renderer:
        drawings = ChartDrawings(list(jobs.values()), renderer=renderer)
        if drawings.drawn:
            progress(f"Drawing {drawings.drawn} chart{'s' if drawings.drawn != 1 else ''}")
        try:
            drawings.wait()
        except ChartRenderingUnavailable as error:
            raise JobFailed(str(error)) from error
        drawings.keep()
    return {"packs": len(packs), "charts": len(jobs), "drawn": drawings.drawn}


def figures_changed(*, area_ids: list[int], source: str) -> None:
    """ReportsConfig.on_figures_changed: an import wrote an area's figures, so its draft packs'
    charts are drawn ahead (once the import commits). Off with REPORTS_DRAW_AHEAD = False."""
    if not settings.REPORTS_DRAW_AHEAD:
        return
    areas = Area.objects.filter(pk__in=area_ids, packs__status=Pack.Status.DRAFT).distinct()
    for area in areas:
        enqueue(
            charts_draw_ahead,
            description=f"Drawing the charts of {area.name}'s draft packs after a {source} "
            "import",
            area=area,
            area_id=area.pk,
        )


def prepare_worker() -> None:
    """Run by the RQ worker once, before it forks a process per job: load WeasyPrint and read
    the fonts the print stylesheet uses, so that no build pays for them."""
    from .pdf import StaticFiles, render_pdf, url_fetcher
    from .pdf_worker import WARM_UP

    static_files = StaticFiles.from_settings()
    render_pdf(WARM_UP.format(static=static_files.url), fetcher=url_fetcher(static_files))
    import kaleido  # noqa: F401 (imported once here, not in every job)
