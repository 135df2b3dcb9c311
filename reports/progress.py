"""Pages that show a long job's progress as it happens.

Building a pack's PDFs takes seconds (more with charts and appendices). Rather than leaving the
person in front of a page that seems frozen, the response is the page itself, streamed: the
layout first, then one line per step as the job reports it ("Full version: laying out page
7"), then the outcome (a download link, or what went wrong). It needs no JavaScript and no
background worker; the job runs in the request, and the PDF layout itself in a process of its
own (see `reports.pdf`).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Generator
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from bettercare.charts import ChartRenderingUnavailable

from .pdf import PdfRenderingFailed

logger = logging.getLogger(__name__)

Job = Callable[[], Generator[str, None, dict[str, Any]]]


def _problem(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, PdfRenderingFailed | ChartRenderingUnavailable):
        return str(error)
    return "Something went wrong while building the PDF."


def progress_response(
    request: HttpRequest, *, title: str, job: Job, back_url: str, result_template: str
) -> StreamingHttpResponse:
    """Stream a page titled `title` showing `job`'s progress messages as they come, then
    `result_template` rendered with the dict the job returns (or the problem, if it fails;
    a failed job must have written nothing)."""
    token = secrets.token_hex(8)
    items_marker, result_marker = f"<!--items-{token}-->", f"<!--result-{token}-->"
    page = render_to_string(
        "reports/progress.html",
        {
            "title": title,
            "items_marker": mark_safe(items_marker),  # noqa: S308 (our own random token)
            "result_marker": mark_safe(result_marker),  # noqa: S308
        },
        request=request,
    )
    head, rest = page.split(items_marker)
    middle, tail = rest.split(result_marker)

    def stream():
        yield head
        steps = job()
        try:
            while True:
                message = next(steps)
                yield render_to_string("reports/includes/progress_item.html", {"message": message})
        except StopIteration as finished:
            outcome = render_to_string(result_template, finished.value, request=request)
        except Exception as error:
            if not isinstance(error, ValidationError | PdfRenderingFailed):
                logger.exception("Building a board pack failed")
            outcome = render_to_string(
                "reports/includes/progress_problem.html",
                {"problem": _problem(error), "back_url": back_url},
            )
        finally:
            steps.close()
        yield middle
        yield outcome
        yield tail

    response = StreamingHttpResponse(stream(), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # a proxy must pass each step on, not hold the page
    return response
