"""Board pack pages: the list, the pack on screen, its text, its PDFs and versions, and the
portfolio ratings. Every pack is looked up within the request's area (404 otherwise) and every
action checks its permission on the server, for GET and POST alike."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bettercare.models import Job, Scheme
from bettercare.permissions import require
from bettercare.pickers import pick_period
from bettercare.selectors import reportable_quarters, reportable_years
from bettercare.spreadsheets import FormattedTableExport
from bettercare.views import area_required

from . import permissions
from .assembly import FULL, PUBLIC, SCREEN, PackAssembly, version_label
from .forms import (
    BuildForm,
    ConditionFormSet,
    FinaliseForm,
    PackCreateForm,
    PackTextForm,
    RatingFormSet,
    ReturnContactForm,
    ReturnMetricForms,
)
from .models import Pack
from .returns import return_file_name, return_workbook
from .selectors import (
    national_conditions_for,
    pack_build_get,
    pack_get,
    pack_highlights,
    pack_job_get,
    pack_jobs,
    pack_lacking,
    pack_list,
    pack_metric_choices,
    pack_metric_texts,
    pack_next_version_number,
    pack_plan_revisions,
    pack_risks,
    pack_version_get,
    pack_versions,
    portfolio_rows,
    priorities_for,
    quarter_scheme_risks,
    quarterly_return,
)
from .services import (
    ConditionEntry,
    RatingEntry,
    ReturnMetricEntry,
    national_conditions_save,
    pack_build_enqueue,
    pack_correction_start,
    pack_create,
    pack_finalise_enqueue,
    pack_text_save,
    portfolio_ratings_save,
    quarterly_return_save,
)
from .tables import PortfolioTable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _pack_or_404(request: HttpRequest, pk: int) -> Pack:
    pack = pack_get(area=request.area, pk=pk)
    if pack is None:
        raise Http404("There is no such board pack in your area.")
    return pack


def _draft_label(pack: Pack) -> str:
    return version_label(number=pack_next_version_number(pack=pack), final=False)


def _screen_label(pack: Pack) -> str:
    """The version the page shows: a Final pack's page reads today's figures, not the stored
    version's, and says so."""
    if pack.is_draft:
        return _draft_label(pack)
    number = pack_next_version_number(pack=pack) - 1
    return f"Version {number} is Final; this page shows today's figures"


def _attachment(
    content: bytes, *, file_name: str, content_type: str, sha256: str = ""
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    if sha256:
        response["ETag"] = f'"{sha256}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@area_required
def index(request: HttpRequest) -> HttpResponse:
    require(
        permissions.may_see_packs(request.user, request.area),
        "You do not have access to board packs.",
    )
    return _index_page(
        request,
        PackCreateForm(
            initial={"quarter": request.area.reporting_quarter()},
            quarters=reportable_quarters(area=request.area),
        ),
    )


def _index_page(request: HttpRequest, form: PackCreateForm, *, status: int = 200) -> HttpResponse:
    packs = list(pack_list(area=request.area, user=request.user))
    return render(
        request,
        "reports/index.html",
        {
            "packs": packs,
            "create_form": form
            if permissions.may_create_packs(request.user, request.area)
            else None,
            "full_access": permissions.may_see_full_packs(request.user, request.area),
            "may_see_conditions": permissions.may_see_national_conditions(
                request.user, request.area
            ),
            "may_record_conditions": permissions.may_record_national_conditions(
                request.user, request.area
            ),
            "may_see_portfolio": permissions.may_see_portfolio(request.user, request.area),
            "may_rate": permissions.may_rate_schemes(request.user, request.area),
            "may_see_return": permissions.may_see_returns(request.user, request.area),
            "may_write_return": permissions.may_write_returns(request.user, request.area),
            "quarter": request.area.reporting_quarter(),
        },
        status=status,
    )


@require_POST
@area_required
def pack_create_view(request: HttpRequest) -> HttpResponse:
    require(
        permissions.may_create_packs(request.user, request.area),
        "Only board secretaries can start a board pack.",
    )
    form = PackCreateForm(request.POST, quarters=reportable_quarters(area=request.area))
    if form.is_valid():
        try:
            pack = pack_create(
                area=request.area,
                board=form.cleaned_data["board"],
                quarter=form.cleaned_data["quarter"],
                meeting_date=form.cleaned_data["meeting_date"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"The {pack.get_board_display()} pack is ready to edit.")
            return redirect("reports:pack_detail", pk=pack.pk)
    return _index_page(request, form, status=400)


@require_GET
@area_required
def pack_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(
        permissions.may_see_full_packs(request.user, request.area),
        "You can download the published versions only.",
    )
    pack = _pack_or_404(request, pk)
    public = request.GET.get("version") == PUBLIC
    # Opening the page starts no Chromium (about 1 GB) in the web process: only a build does.
    assembly = PackAssembly(pack, version_label=_screen_label(pack))
    # No Chromium here: builds run as jobs (reports.jobs), in a worker, which draws the charts.
    return render(
        request,
        "reports/pack_detail.html",
        {
            "pack": pack,
            "public": public,
            "sections_html": assembly.render_sections(medium=SCREEN, public=public),
            "exempt": assembly.exempt_sections(),
            "has_charts": bool(assembly.charts),
            "versions": pack_versions(pack=pack),
            "next_version": pack_next_version_number(pack=pack),
            "may_edit": permissions.may_edit_packs(request.user, request.area),
            "may_finalise": permissions.may_finalise_packs(request.user, request.area),
            "jobs": [_job_view(pack, job) for job in pack_jobs(pack=pack)],
        },
    )


@require_http_methods(["GET", "POST"])
@area_required
def pack_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(
        permissions.may_edit_packs(request.user, request.area),
        "Only board secretaries can edit a board pack.",
    )
    pack = _pack_or_404(request, pk)
    if not pack.is_draft:
        messages.info(request, "This pack is Final. Start a correction to change its text.")
        return redirect("reports:pack_detail", pk=pack.pk)
    highlights = {item.priority.pk: item.text for item in pack_highlights(pack=pack)}
    priorities = priorities_for(area=pack.area)
    form = PackTextForm(
        request.POST if request.method == "POST" else None,
        instance=pack,
        priorities=priorities,
        highlights=highlights,
        metrics=pack_metric_choices(pack=pack),
        metric_texts=pack_metric_texts(pack=pack),
        risks=pack_risks(pack=pack),
        scheme_risks=quarter_scheme_risks(area=pack.area, quarter=pack.quarter),
        schemes={scheme.number: scheme for scheme in Scheme.objects.in_area(pack.area)},
    )
    action = request.POST.get("action", "save")
    if request.method == "POST" and action != "edit" and form.is_valid():
        try:
            if action == "preview":
                return _preview(request, pack, form)
            pack_text_save(
                pack=pack,
                text=form.text(),
                highlights=form.highlights(),
                exempt_sections=form.cleaned_data["exempt_sections"],
                metric_texts=form.metric_texts(),
                risks=form.risks(),
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The pack's text is saved.")
            return redirect("reports:pack_detail", pk=pack.pk)
    return render(
        request,
        "reports/pack_edit.html",
        {"pack": pack, "form": form, "plan_revisions": pack_plan_revisions(pack=pack)},
        status=400 if form.is_bound and form.errors else 200,
    )


def _preview(request: HttpRequest, pack: Pack, form: PackTextForm) -> HttpResponse:
    """The pack as it would be with the typed text, made by saving it through the service and
    rolling the save back: the preview shows exactly what saving will give, and keeps nothing."""
    with transaction.atomic():
        preview_pack = pack_text_save(
            pack=pack,
            text=form.text(),
            highlights=form.highlights(),
            exempt_sections=form.cleaned_data["exempt_sections"],
            metric_texts=form.metric_texts(),
            risks=form.risks(),
            user=request.user,
        )
        assembly = PackAssembly(preview_pack, version_label=_draft_label(preview_pack))
        sections_html = assembly.render_sections(medium=SCREEN, public=False)
        transaction.set_rollback(True)
    return render(
        request,
        "reports/pack_preview.html",
        {
            "pack": pack,
            "form": form,
            "sections_html": sections_html,
            "has_charts": bool(assembly.charts),
        },
    )


@require_POST
@area_required
def pack_build(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for a draft PDF (full or public): a job, built in the background; the answer is the
    job's page (or, asked for JSON, its status), at once."""
    require(
        permissions.may_see_full_packs(request.user, request.area),
        "You can download the published versions only.",
    )
    pack = _pack_or_404(request, pk)
    if not pack.is_draft:
        messages.info(request, "This pack is Final: download its stored versions below.")
        return redirect("reports:pack_detail", pk=pack.pk)
    form = BuildForm(request.POST)
    output = form.cleaned_data["output"] if form.is_valid() else FULL
    job = pack_build_enqueue(pack=pack, output=output, user=request.user)
    return _job_started(request, pack, job)


def _job_started(request: HttpRequest, pack: Pack, job: Job) -> HttpResponse:
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(_job_view(pack, job), status=202)
    if job.joined:
        messages.info(request, "This was already under way: its progress is below.")
    return redirect("reports:pack_job", pk=pack.pk, job_id=job.pk)


def _job_view(pack: Pack, job: Job) -> dict:
    """What the job page and its JSON show of a pack's job: its state, step and pages, and
    once done where its outcome is."""
    result = job.result or {}
    view = {
        "id": str(job.pk),
        "description": job.description,
        "state": job.state,
        "state_label": job.get_state_display(),
        "step": job.step,
        "pages": job.pages,
        "error": job.error,
        "created": job.created,
        "page_url": reverse("reports:pack_job", args=[pack.pk, job.pk]),
        "status_url": reverse("reports:pack_job_status", args=[pack.pk, job.pk]),
        "kind": "final" if job.key.endswith(":final") else "draft",
    }
    if job.state == Job.State.DONE and "build_id" in result:
        view["download_url"] = reverse(
            "reports:pack_build_download", args=[pack.pk, result["build_id"]]
        )
        view.update({name: result[name] for name in ("file_name", "sha256")})
        view["pages"] = result["pages"]
    elif job.state == Job.State.DONE and "number" in result:
        view["version"] = result["number"]
        view["pack_url"] = reverse("reports:pack_detail", args=[pack.pk])
    return view


def _pack_job_or_404(request: HttpRequest, pk: int, job_id) -> tuple[Pack, Job]:
    require(
        permissions.may_see_full_packs(request.user, request.area),
        "You can download the published versions only.",
    )
    pack = _pack_or_404(request, pk)
    job = pack_job_get(pack=pack, pk=job_id)
    if job is None:
        raise Http404("There is no such build of this pack.")
    return pack, job


@require_GET
@area_required
def pack_job(request: HttpRequest, pk: int, job_id) -> HttpResponse:
    """A build's page: its progress while it runs (the page polls `pack_job_status`), then its
    PDF or what went wrong. The same page after a reload, or from another machine."""
    pack, job = _pack_job_or_404(request, pk, job_id)
    view = _job_view(pack, job)
    version = None
    if view.get("version"):
        version = pack_version_get(pack=pack, number=view["version"])
    response = render(
        request,
        "reports/pack_job.html",
        {"pack": pack, "job": view, "active": job.is_active, "version": version},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@area_required
def pack_job_status(request: HttpRequest, pk: int, job_id) -> JsonResponse:
    """The build's state, step and page count, as JSON, for its page to poll."""
    pack, job = _pack_job_or_404(request, pk, job_id)
    response = JsonResponse(_job_view(pack, job))
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@area_required
def pack_build_download(request: HttpRequest, pk: int, build_pk: int) -> HttpResponse:
    require(
        permissions.may_see_full_packs(request.user, request.area),
        "You can download the published versions only.",
    )
    pack = _pack_or_404(request, pk)
    build = pack_build_get(pack=pack, pk=build_pk)
    if build is None:
        raise Http404("This PDF is no longer kept (drafts are kept for a day). Build it again.")
    return _attachment(
        bytes(build.pdf),
        file_name=build.file_name,
        content_type="application/pdf",
        sha256=build.sha256,
    )


@require_http_methods(["GET", "POST"])
@area_required
def pack_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    require(
        permissions.may_finalise_packs(request.user, request.area),
        "Only board secretaries can make a pack Final.",
    )
    pack = _pack_or_404(request, pk)
    if not pack.is_draft:
        messages.info(request, "This pack is already Final.")
        return redirect("reports:pack_detail", pk=pack.pk)
    number = pack_next_version_number(pack=pack)
    # The check before Final: what the pack lacks, listed; the secretary may still go on,
    # giving a reason that is kept with the version.
    lacking = pack_lacking(pack=pack)
    form = FinaliseForm(request.POST if request.method == "POST" else None, lacking=lacking)
    if request.method == "GET" or not form.is_valid():
        return render(
            request,
            "reports/pack_finalise.html",
            {"pack": pack, "form": form, "number": number, "lacking": lacking},
            status=400 if form.is_bound else 200,
        )
    job = pack_finalise_enqueue(
        pack=pack,
        number=number,
        user=request.user,
        lacking=lacking,
        reason=form.cleaned_data.get("reason", ""),
    )
    return _job_started(request, pack, job)


@require_POST
@area_required
def pack_correction(request: HttpRequest, pk: int) -> HttpResponse:
    require(
        permissions.may_finalise_packs(request.user, request.area),
        "Only board secretaries can correct a pack.",
    )
    pack = _pack_or_404(request, pk)
    try:
        pack_correction_start(pack=pack, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        number = pack_next_version_number(pack=pack)
        messages.success(
            request,
            f"The pack is a Draft again. Earlier versions are kept unchanged; making it Final "
            f"will store version {number}.",
        )
    return redirect("reports:pack_detail", pk=pack.pk)


VERSION_FILES = {
    # kind: (stored field, checksum field, file name suffix, content type, full access needed)
    "full": ("full_pdf", "full_sha256", ".pdf", "application/pdf", True),
    "public": ("public_pdf", "public_sha256", "-public.pdf", "application/pdf", False),
    "figures": ("figures_json", "figures_sha256", "-figures.json", "application/json", True),
}


@require_GET
@area_required
def pack_version_download(request: HttpRequest, pk: int, number: int, kind: str) -> HttpResponse:
    """A stored file of a Final version, byte for byte as it was stored, after checking it
    against its checksum."""
    require(
        permissions.may_download_versions(request.user, request.area, full=False),
        "You do not have access to board packs.",
    )
    if kind not in VERSION_FILES:
        raise Http404("There is no such file of a version.")
    field, checksum_field, suffix, content_type, full_access = VERSION_FILES[kind]
    if full_access:
        require(
            permissions.may_download_versions(request.user, request.area, full=True),
            "You can download the public version only.",
        )
    pack = _pack_or_404(request, pk)
    version = pack_version_get(pack=pack, number=number)
    if version is None:
        raise Http404(f"This pack has no version {number}.")
    content = bytes(getattr(version, field))
    checksum = getattr(version, checksum_field)
    if hashlib.sha256(content).hexdigest() != checksum:
        return render(
            request, "reports/version_damaged.html", {"pack": pack, "version": version}, status=500
        )
    return _attachment(
        content,
        file_name=pack.file_stem(number) + suffix,
        content_type=content_type,
        sha256=checksum,
    )


@require_GET
@area_required
def pack_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The pack's tables as one XLSX workbook, a sheet per table, read live like the page."""
    require(
        permissions.may_see_full_packs(request.user, request.area),
        "You can download the published versions only.",
    )
    pack = _pack_or_404(request, pk)
    public = request.GET.get("version") == PUBLIC
    assembly = PackAssembly(pack, version_label=_screen_label(pack))
    suffix = "-public" if public else ""
    return _attachment(
        assembly.workbook(public=public),
        file_name=f"{pack.area.code}-{pack.board}-{pack.quarter}-better-care-tables{suffix}.xlsx",
        content_type=XLSX,
    )


@require_GET
@area_required
def portfolio(request: HttpRequest) -> HttpResponse:
    require(
        permissions.may_see_portfolio(request.user, request.area),
        "You do not have access to the portfolio.",
    )
    quarter, form = _pick_quarter(request)
    table = None
    if quarter is not None:
        table = PortfolioTable(portfolio_rows(area=request.area, quarter=quarter), quarter=quarter)
        if request.GET.get("_export") == "xlsx":
            export = FormattedTableExport(
                FormattedTableExport.XLSX, table, dataset_kwargs={"title": "Portfolio"}
            )
            return _attachment(
                export.export(),
                file_name=f"portfolio-{request.area.code}-{quarter}.xlsx",
                content_type=XLSX,
            )
    return render(
        request,
        "reports/portfolio.html",
        {
            "form": form,
            "quarter": quarter,
            "table": table,
            "may_rate": permissions.may_rate_schemes(request.user, request.area),
        },
        status=400 if form.errors else 200,
    )


def _pick_quarter(request: HttpRequest):
    return pick_period(
        request,
        name="quarter",
        label="Quarter",
        periods=reportable_quarters(area=request.area),
        default=request.area.reporting_quarter(),
    )


@require_http_methods(["GET", "POST"])
@area_required
def portfolio_edit(request: HttpRequest) -> HttpResponse:
    require(
        permissions.may_rate_schemes(request.user, request.area),
        "Only analysts can set portfolio ratings.",
    )
    quarter, quarter_form = _pick_quarter(request)
    if quarter is None:
        return render(
            request,
            "reports/portfolio.html",
            {"form": quarter_form, "may_rate": True},
            status=400,
        )
    rows = portfolio_rows(area=request.area, quarter=quarter)
    rows_by_number = {row.number: row for row in rows}
    initial = [
        {
            "scheme": row.number,
            "rag": row.current.rag if row.current else "",
            "narrative": row.current.narrative if row.current else "",
        }
        for row in rows
    ]
    formset = RatingFormSet(request.POST if request.method == "POST" else None, initial=initial)
    problems: list[str] = []
    if request.method == "POST" and formset.is_valid():
        schemes = {
            scheme.number: scheme
            for scheme in Scheme.objects.in_area(request.area).active_in(quarter.year)
        }
        entries = []
        for form in formset:
            scheme = schemes.get(form.cleaned_data["scheme"])
            if scheme is None:
                raise Http404("One of the schemes is not a scheme of your area in that year.")
            entries.append(
                RatingEntry(
                    scheme=scheme,
                    rag=form.cleaned_data["rag"],
                    narrative=form.cleaned_data["narrative"],
                )
            )
        try:
            portfolio_ratings_save(
                area=request.area, quarter=quarter, entries=entries, user=request.user
            )
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(request, f"Portfolio ratings for {quarter.short_label} are saved.")
            return redirect(reverse("reports:portfolio") + f"?quarter={quarter}")
    return render(
        request,
        "reports/portfolio_edit.html",
        {
            "quarter": quarter,
            "formset": formset,
            "problems": problems,
            "forms_and_rows": [
                (form, rows_by_number.get(_as_number(form["scheme"].value()))) for form in formset
            ],
        },
        status=400 if formset.is_bound and (problems or not formset.is_valid()) else 200,
    )


def _as_number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_http_methods(["GET", "POST"])
@area_required
def conditions_edit(request: HttpRequest) -> HttpResponse:
    """The analyst's record of the area's compliance with the national conditions of a year,
    which the pack's legal implications state (and, later, the return to NHS England)."""
    require(
        permissions.may_see_national_conditions(request.user, request.area),
        "You do not have access to this page.",
    )
    may_edit = permissions.may_record_national_conditions(request.user, request.area)
    year, year_form = pick_period(
        request,
        name="year",
        label="Financial year",
        periods=reportable_years(area=request.area),
        default=request.area.reporting_quarter().year,
    )
    if year is None:
        return render(request, "reports/conditions.html", {"year_form": year_form}, status=400)
    conditions = national_conditions_for(area=request.area, year=year)
    initial = [
        {"code": item.code, "compliance": item.compliance, "note": item.note} for item in conditions
    ]
    require(
        request.method != "POST" or may_edit, "Only analysts can record the national conditions."
    )
    formset = ConditionFormSet(request.POST if request.method == "POST" else None, initial=initial)
    problems: list[str] = []
    if request.method == "POST" and formset.is_valid():
        try:
            national_conditions_save(
                area=request.area,
                year=year,
                entries=[
                    ConditionEntry(
                        code=form.cleaned_data["code"],
                        compliance=form.cleaned_data["compliance"],
                        note=form.cleaned_data["note"],
                    )
                    for form in formset
                ],
                user=request.user,
            )
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(request, f"The national conditions for {year.label} are saved.")
            return redirect(reverse("reports:conditions") + f"?year={year}")
    return render(
        request,
        "reports/conditions.html",
        {
            "year": year,
            "year_form": year_form,
            "formset": formset,
            "rows": list(zip(conditions, formset, strict=False)),
            "may_edit": may_edit,
            "problems": problems,
        },
        status=400 if formset.is_bound and (problems or not formset.is_valid()) else 200,
    )


# --- The quarterly return to NHS England ------------------------------------------------------


def _return_quarter(request: HttpRequest, template: str):
    """The quarter asked for (`?quarter=`), or the area's reporting quarter; a quarter the
    area does not report on answers the page with the picker's message (400)."""
    quarter, quarter_form = _pick_quarter(request)
    if quarter is None:
        return None, render(request, template, {"quarter_form": quarter_form}, status=400)
    return quarter, quarter_form


@require_GET
@area_required
def return_detail(request: HttpRequest) -> HttpResponse:
    """The quarter's return as NHS England will get it, with what it lacks, the workbook's
    download and, for analysts, the way to complete it."""
    require(
        permissions.may_see_returns(request.user, request.area),
        "You do not have access to the quarterly return.",
    )
    quarter, answer = _return_quarter(request, "reports/return.html")
    if quarter is None:
        return answer
    return render(
        request,
        "reports/return.html",
        {
            "quarter": quarter,
            "quarter_form": answer,
            "data": quarterly_return(area=request.area, quarter=quarter),
            "may_write": permissions.may_write_returns(request.user, request.area),
        },
    )


@require_GET
@area_required
def return_download(request: HttpRequest) -> HttpResponse:
    """The return as an XLSX workbook shaped like the national template."""
    require(
        permissions.may_see_returns(request.user, request.area),
        "You do not have access to the quarterly return.",
    )
    quarter, answer = _return_quarter(request, "reports/return.html")
    if quarter is None:
        return answer
    data = quarterly_return(area=request.area, quarter=quarter)
    return _attachment(return_workbook(data), file_name=return_file_name(data), content_type=XLSX)


@require_http_methods(["GET", "POST"])
@area_required
def return_edit(request: HttpRequest) -> HttpResponse:
    """The analyst's part of the quarter's return: each national metric's assessment of
    progress (changed from the worked-out one only with a reason) and its texts."""
    require(
        permissions.may_write_returns(request.user, request.area),
        "Only analysts can complete the quarterly return.",
    )
    quarter, answer = _return_quarter(request, "reports/return_edit.html")
    if quarter is None:
        return answer
    data = quarterly_return(area=request.area, quarter=quarter)
    posted = request.POST if request.method == "POST" else None
    contact_form = ReturnContactForm(
        posted, prefix="cover", initial={"contact_phone": data.contact_phone}
    )
    formset = ReturnMetricForms(
        posted,
        worked_out=[row.worked_out for row in data.metrics],
        initial=[
            {
                "code": row.metric.code,
                "assessment": row.assessment.value,
                "reason": row.reason,
                "challenges": row.challenges,
                "achievements": row.achievements,
                "support_needs": row.support_needs,
            }
            for row in data.metrics
        ],
    )
    problems: list[str] = []
    if posted is not None and contact_form.is_valid() and formset.is_valid():
        try:
            quarterly_return_save(
                area=request.area,
                quarter=quarter,
                contact_phone=contact_form.cleaned_data["contact_phone"],
                entries=[ReturnMetricEntry(**form.cleaned_data) for form in formset],
                user=request.user,
            )
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(request, f"The return for {quarter.short_label} is saved.")
            return redirect(reverse("reports:return") + f"?quarter={quarter}")
    rows = {row.metric.code: row for row in data.metrics}
    return render(
        request,
        "reports/return_edit.html",
        {
            "quarter": quarter,
            "data": data,
            "contact_form": contact_form,
            "formset": formset,
            "forms_and_rows": [(form, rows.get(form["code"].value())) for form in formset],
            "problems": problems,
        },
        status=400 if posted is not None else 200,
    )
