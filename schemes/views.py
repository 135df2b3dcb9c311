"""Pages of schemes and their quarterly highlight reports.

Every report is found by the scheme's number within the user's area and the quarter, and only
among the schemes the user may see (a scheme lead: their own), so another area's or another
lead's report answers 404 to GET and POST alike. Writes go through services.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin
from django_tables2.export import ExportMixin

from bettercare.contributions import scheme_funding
from bettercare.models import Scheme
from bettercare.periods import Quarter
from bettercare.permissions import require, sees_every_scheme
from bettercare.spreadsheets import FormattedTableExport
from bettercare.views import AreaRequiredMixin, area_required
from notifications.services import emails_settle

from . import permissions, services
from .check_answers import check_answers_sections, section_anchor
from .filters import QuarterOverviewFilter
from .forms import (
    ROW_FORMSETS,
    AcceptForm,
    BoardDatesForm,
    CorrectionForm,
    ReminderForm,
    ReturnForm,
    TimetableForm,
    report_content,
    report_forms,
    with_extra_row,
)
from .report_finance import differences_from_finance, summarise
from .selectors import (
    highlight_report_earlier_revision,
    highlight_report_for_user,
    highlight_report_history,
    highlight_report_latest_return,
    highlight_report_previous,
    highlight_report_revisions,
    lead_deadline,
    quarter_completeness,
    quarter_overview,
    report_url,
    reporting_timetable,
    reporting_timetables,
    reports_of_lead,
    scheme_for_user,
    scheme_list,
)
from .submission import missing_sections
from .tables import LeadReportTable, QuarterOverviewTable, SchemeTable
from .workflow import Action, Status


@require_GET
@area_required
def index(request):
    """The app's landing page: a lead's reports and what is due, then the schemes."""
    table = SchemeTable(scheme_list(user=request.user, area=request.area))
    RequestConfig(request, paginate=False).configure(table)
    lead_table = None
    if permissions.has_reports_to_write(request.user, request.area):
        lead_table = LeadReportTable(reports_of_lead(user=request.user, area=request.area))
    return render(
        request,
        "schemes/index.html",
        {
            "table": table,
            "lead_table": lead_table,
            "area_wide": sees_every_scheme(request.user, request.area),
            "quarter": request.area.reporting_quarter(),
            "deadline": lead_deadline(area=request.area, quarter=request.area.reporting_quarter()),
        },
    )


# --- Finding a report -------------------------------------------------------------------------


def _not_found(number: int, quarter: Quarter) -> Http404:
    # The same words whether the report does not exist or is not the user's to see.
    return Http404(
        f"There is no highlight report for scheme {number} for {quarter.short_label} "
        "among the schemes you can see."
    )


def _report(request, number: int, quarter: Quarter, revision: int | None = None):
    require(
        permissions.may_see_reports(request.user, request.area),
        "Your role does not include highlight reports.",
    )
    report = highlight_report_for_user(
        user=request.user, area=request.area, number=number, quarter=quarter, revision=revision
    )
    if report is None:
        raise _not_found(number, quarter)
    return report


# --- Reading ----------------------------------------------------------------------------------


def _read_page(request, report, *, status=200, **bound_forms):
    """The report laid out like the template, with the steps this person may take."""
    actions = permissions.steps_open_to(request.user, report)
    context = {
        "report": report,
        "revisions": highlight_report_revisions(report=report),
        "latest_return": highlight_report_latest_return(report=report),
        "can_edit": report.is_current
        and report.is_editable
        and permissions.may_write_report(request.user, report),
        "return_form": bound_forms.get("return_form")
        or (ReturnForm() if Action.RETURN in actions else None),
        "accept_form": bound_forms.get("accept_form")
        or (AcceptForm() if Action.ACCEPT in actions else None),
        "board_dates_form": bound_forms.get("board_dates_form")
        or (
            BoardDatesForm(report=report)
            if actions & {Action.RECEIVE_BY_JCB, Action.SIGN_OFF_BY_JCB, Action.RECEIVE_BY_HWB}
            else None
        ),
        "correction_form": bound_forms.get("correction_form")
        or (CorrectionForm() if Action.START_CORRECTION in actions else None),
        # The steps open to the person are theirs in scope: a withdrawal is the report's lead's.
        "can_withdraw": Action.WITHDRAW in actions,
        **_finance_comparison(report),
    }
    return render(request, "schemes/report_detail.html", context, status=status)


def _finance_comparison(report) -> dict:
    """Finance's figures for the scheme at the month the quarter's board packs report (as
    finance hands them over: `bettercare.contributions.scheme_funding`), and where the lead's
    typed figures differ from them: shown beside the figures on the report page, the analyst's
    review and the edit page."""
    funding = scheme_funding(scheme=report.scheme, quarter=report.quarter)
    if funding is None:
        return {"funding": None, "finance_differences": [], "finance_month": None}
    lines = {line.label: (line.annual_value, line.projected_spend) for line in funding.lines}
    return {
        "funding": funding,
        "finance_differences": differences_from_finance(report.finance, lines),
        "finance_month": funding.month,
    }


@require_GET
@area_required
def report_detail(request, number: int, quarter: Quarter):
    require(
        permissions.may_see_reports(request.user, request.area),
        "Your role does not include highlight reports.",
    )
    report = highlight_report_for_user(
        user=request.user, area=request.area, number=number, quarter=quarter
    )
    if report is None:
        scheme = scheme_for_user(user=request.user, area=request.area, number=number)
        if scheme is None or not scheme.is_active_in(quarter.year):
            raise _not_found(number, quarter)
        return render(
            request,
            "schemes/report_not_started.html",
            {
                "scheme": scheme,
                "quarter": quarter,
                "scheme_name": scheme.name_in(quarter.year),
                "is_lead": permissions.may_start_report(request.user, scheme),
                "is_due": quarter <= request.area.reporting_quarter(),
                "deadline": lead_deadline(area=request.area, quarter=quarter),
            },
        )
    return _read_page(request, report)


@require_GET
@area_required
def report_revision(request, number: int, quarter: Quarter, revision: int):
    return _read_page(request, _report(request, number, quarter, revision))


@require_GET
@area_required
def report_history(request, number: int, quarter: Quarter):
    report = _report(request, number, quarter)
    return render(
        request,
        "schemes/report_history.html",
        {
            "report": report,
            "events": highlight_report_history(report=report),
            "revisions": highlight_report_revisions(report=report),
        },
    )


@require_GET
@area_required
def report_compare(request, number: int, quarter: Quarter):
    """The report beside an earlier one, changes marked word by word: an earlier revision of
    the same quarter (`?with=revision-1`, the default for a correction) or the scheme's report
    for the quarter before (`?with=previous-quarter`)."""
    report = _report(request, number, quarter)
    choices = [
        {"key": f"revision-{n}", "label": f"revision {n}", "revision": n}
        for n in range(report.revision - 1, 0, -1)
    ]
    choices.append({"key": "previous-quarter", "label": f"{quarter.previous().short_label}"})
    wanted = request.GET.get("with", choices[0]["key"])
    chosen = next((choice for choice in choices if choice["key"] == wanted), choices[0])
    for choice in choices:
        choice["current"] = choice is chosen
    if "revision" in chosen:
        previous = highlight_report_earlier_revision(report=report, revision=chosen["revision"])
        before_label = f"{quarter.short_label}, revision {chosen['revision']}"
        before_url = reverse(
            "schemes:report_revision",
            kwargs={"number": number, "quarter": quarter, "revision": chosen["revision"]},
        )
    else:
        previous = highlight_report_previous(report=report)
        before_label = f"{quarter.previous().short_label} report"
        before_url = report_url(report.scheme, quarter.previous())
    after_label = quarter.short_label + (
        f", revision {report.revision}" if report.revision > 1 else ""
    )
    return render(
        request,
        "schemes/report_compare.html",
        {
            "report": report,
            "previous": previous,
            "choices": choices,
            "before_label": before_label,
            "before_url": before_url,
            "after_label": after_label,
        },
    )


# --- Writing ----------------------------------------------------------------------------------


@require_POST
@area_required
def report_start(request, number: int, quarter: Quarter):
    scheme = scheme_for_user(user=request.user, area=request.area, number=number)
    if scheme is None:
        raise _not_found(number, quarter)
    try:
        report = services.highlight_report_start(scheme=scheme, quarter=quarter, user=request.user)
    except services.ReportError as error:
        messages.error(request, str(error))
        return redirect(report_url(scheme, quarter))
    funding = scheme_funding(scheme=scheme, quarter=quarter)
    filled = services.highlight_report_finance_prefill(
        report=report, user=request.user, funding=funding
    )
    started = f"Your {quarter.short_label} report is started"
    if filled:
        started += (
            f", its finance figures filled in from Finance's {funding.month.data_label} "
            f"position, the month the {quarter.short_label} board packs report"
        )
    messages.success(request, f"{started}: fill it in below.")
    return redirect(report_url(scheme, quarter, "report_edit"))


@require_POST
@area_required
def report_finance_fill(request, number: int, quarter: Quarter):
    """Replace the funding lines with Finance's latest figures for the quarter."""
    report = _report(request, number, quarter)
    require(
        permissions.may_write_report(request.user, report) and report.is_editable,
        "Only the scheme's lead can change this report's figures.",
    )
    funding = scheme_funding(scheme=report.scheme, quarter=quarter)
    if services.highlight_report_finance_prefill(report=report, user=request.user, funding=funding):
        messages.success(
            request,
            f"Finance figures filled in from Finance's {funding.month.data_label} position, "
            f"the month the {quarter.short_label} board packs report.",
        )
    else:
        messages.error(request, f"Finance has no figures for this scheme in {quarter.year.label}.")
    return redirect(report_url(report.scheme, quarter, "report_edit"))


def _edit_page(request, report, form, formsets, *, missing=(), status=200):
    missing_by_field: dict[str, list[str]] = {}
    for item in missing:
        missing_by_field.setdefault(item.field, []).append(item.message)
        if item.field in form.fields and item.field not in form.errors:
            form.add_error(item.field, item.message)
    return render(
        request,
        "schemes/report_form.html",
        {
            "report": report,
            "form": form,
            "formsets": formsets,
            "missing": missing,
            "missing_by_field": missing_by_field,
            "finance": _finance_preview(report, formsets["financial_lines"]),
            **_finance_comparison(report),
            "latest_return": highlight_report_latest_return(report=report),
            "deadline": lead_deadline(area=report.scheme.area, quarter=report.quarter),
        },
        status=status,
    )


def _finance_preview(report, formset):
    """The totals of the lines on the page when they are valid, else of the saved lines."""
    if formset.is_bound and formset.is_valid():
        return summarise(form.finance_line() for form in formset.live_forms())
    return report.finance


@require_http_methods(["GET", "POST"])
@area_required
def report_edit(request, number: int, quarter: Quarter):
    report = _report(request, number, quarter)
    require(
        permissions.may_write_report(request.user, report),
        "Only the scheme's lead can edit its highlight report.",
    )
    if not report.is_editable:
        if request.method == "POST":
            raise PermissionDenied(
                f"This report is “{report.status_label}”: it can no longer be changed."
            )
        messages.info(request, f"This report is “{report.status_label}”: it can only be read.")
        return redirect(report_url(report.scheme, report.quarter))

    if request.method == "GET":
        add_row = request.GET.get("add", "")
        form, formsets = report_forms(report, add_row=add_row if add_row in ROW_FORMSETS else "")
        return _edit_page(request, report, form, formsets)

    add_row = request.POST.get("add_row", "")
    add_row = add_row if add_row in ROW_FORMSETS else ""
    data = with_extra_row(request.POST, add_row) if add_row else request.POST
    form, formsets = report_forms(report, data)
    # Every part is checked (no short cut) so every error is shown at once.
    checks = [form.is_valid()] + [formset.is_valid() for formset in formsets.values()]
    if not all(checks):
        return _edit_page(request, report, form, formsets)
    try:
        report = services.highlight_report_save(
            report=report,
            user=request.user,
            expected_version=form.cleaned_data["version"],
            content=report_content(form, formsets),
        )
    except services.ReportStale as stale:
        messages.error(request, str(stale))
        report = _report(request, number, quarter)
        return _edit_page(request, report, form, formsets, status=409)
    except services.ReportError as error:
        raise PermissionDenied(str(error)) from error

    edit_url = report_url(report.scheme, report.quarter, "report_edit")
    if add_row:
        return HttpResponseRedirect(f"{edit_url}?add={add_row}#section-{add_row}")
    if request.POST.get("action") == "check":
        return redirect(report_url(report.scheme, report.quarter, "report_check"))
    if request.POST.get("action") == "submit":
        try:
            services.highlight_report_submit(report=report, user=request.user)
        except services.ReportIncomplete as incomplete:
            messages.warning(
                request, "Your draft is saved, but it cannot be submitted until it is complete."
            )
            report = _report(request, number, quarter)
            return _edit_page(request, report, form, formsets, missing=incomplete.missing)
        messages.success(request, "Your report is submitted. The analysts will review it.")
        return redirect(report_url(report.scheme, report.quarter))
    messages.success(request, "Your draft is saved.")
    return redirect(edit_url)


def _lead_report(request, number: int, quarter: Quarter):
    """The report, for its own lead while it can be changed; anyone else is refused."""
    report = _report(request, number, quarter)
    require(
        permissions.may_write_report(request.user, report),
        "Only the scheme's lead can change its highlight report.",
    )
    return report


def _bound_report_forms(request, report):
    form, formsets = report_forms(report, request.POST)
    checks = [form.is_valid()] + [formset.is_valid() for formset in formsets.values()]
    return form, formsets, all(checks)


@require_POST
@area_required
def report_autosave(request, number: int, quarter: Quarter):
    """The form page's autosave: the same checks, service and optimistic lock as "Save
    draft", answered in JSON. A save by someone else since is reported (409), never
    overwritten; answers that cannot be saved yet are said (400) and nothing is saved."""
    report = _lead_report(request, number, quarter)
    if not report.is_editable:
        return JsonResponse(
            {"message": f"This report is “{report.status_label}”: it can no longer be changed."},
            status=409,
        )
    form, formsets, valid = _bound_report_forms(request, report)
    if not valid:
        count = (
            len(form.errors)
            + sum(
                len(errors) for formset in formsets.values() for errors in formset.errors if errors
            )
            + sum(1 for formset in formsets.values() if formset.non_form_errors())
        )
        return JsonResponse(
            {
                "message": f"{count} answer{'s' if count != 1 else ''} to correct "
                "(press “Save draft” to see where)"
            },
            status=400,
        )
    try:
        report = services.highlight_report_save(
            report=report,
            user=request.user,
            expected_version=form.cleaned_data["version"],
            content=report_content(form, formsets),
        )
    except services.ReportStale as stale:
        return JsonResponse({"message": str(stale)}, status=409)
    except services.ReportError as error:
        return JsonResponse({"message": str(error)}, status=409)
    return JsonResponse(
        {"version": report.version, "saved_at": f"{timezone.localtime(report.updated):%H:%M}"}
    )


@require_POST
@area_required
def report_totals(request, number: int, quarter: Quarter):
    """The funding sources' totals as typed, worked out by the server (the one source of the
    figures) for the form page to show as the lead types; nothing is saved."""
    report = _lead_report(request, number, quarter)
    formset = ROW_FORMSETS["financial_lines"](
        request.POST,
        prefix="financial_lines",
        form_kwargs={"partners": list(report.scheme.area.partners.all())},
    )
    valid = formset.is_valid()
    finance = summarise(form.finance_line() for form in formset.live_forms()) if valid else None
    return render(
        request,
        "schemes/includes/finance_totals.html",
        {"finance": finance, "report": report, "typed": True, "unreadable": not valid},
    )


@require_GET
@area_required
def report_check(request, number: int, quarter: Quarter):
    """ "Check your answers": every section as it is saved, each with a link to change it, and
    what is still missing; the report is submitted from here."""
    report = _lead_report(request, number, quarter)
    if not report.is_editable:
        messages.info(request, f"This report is “{report.status_label}”.")
        return redirect(report_url(report.scheme, report.quarter))
    return render(
        request,
        "schemes/report_check.html",
        {
            "report": report,
            "sections": check_answers_sections(report),
            "missing": [
                {"label": item.label, "message": item.message, "anchor": section_anchor(item.field)}
                for item in missing_sections(report)
            ],
            "edit_url": report_url(report.scheme, report.quarter, "report_edit"),
            "deadline": lead_deadline(area=request.area, quarter=quarter),
        },
    )


@require_POST
@area_required
def report_submit(request, number: int, quarter: Quarter):
    report = _lead_report(request, number, quarter)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        services.highlight_report_submit(report=report, user=request.user, expected_version=version)
    except services.ReportStale as stale:
        messages.error(request, f"{stale} Check your answers again before you submit.")
        return redirect(report_url(report.scheme, report.quarter, "report_check"))
    except services.ReportIncomplete:
        return redirect(report_url(report.scheme, report.quarter, "report_check"))
    except (services.ReportError, ValueError) as error:
        messages.error(request, str(error))
        return redirect(report_url(report.scheme, report.quarter))
    messages.success(request, "Your report is submitted. The analysts will review it.")
    return redirect(report_url(report.scheme, report.quarter))


@require_POST
@area_required
def report_withdraw(request, number: int, quarter: Quarter):
    report = _lead_report(request, number, quarter)
    try:
        services.highlight_report_withdraw(report=report, user=request.user)
    except ValueError as error:  # WorkflowError: an analyst has acted meanwhile
        messages.error(request, str(error))
        return redirect(report_url(report.scheme, report.quarter))
    messages.success(
        request, "Your submission is withdrawn: the report is a draft again. Submit it when ready."
    )
    return redirect(report_url(report.scheme, report.quarter, "report_edit"))


def _step_view(request, number, quarter, action, form_class, form_name, apply):
    """A workflow step posted from the report page: errors come back beside the field."""
    report = _report(request, number, quarter)
    require(
        permissions.holds_step(request.user, action, request.area),
        f"Your role cannot take the step “{action.label}”.",
    )
    form = (
        form_class(request.POST, report=report)
        if form_class is BoardDatesForm
        else form_class(request.POST)
    )
    if form.is_valid():
        try:
            message = apply(report, form)
        except services.BoardDatesRefused as refused:
            for action, problem in refused.problems.items():
                field = services.BOARD_DATE_FIELDS[action]
                form.add_error(field if field in form.fields else None, problem)
        except services.ReportError as error:
            form.add_error(None, str(error))
        except ValueError as error:  # WorkflowError: the step does not fit the report now
            messages.error(request, str(error))
            return redirect(report_url(report.scheme, report.quarter))
        else:
            messages.success(request, message)
            return redirect(report_url(report.scheme, report.quarter))
    return _read_page(request, report, status=400, **{form_name: form})


@require_POST
@area_required
def report_return(request, number: int, quarter: Quarter):
    def apply(report, form):
        services.highlight_report_return(
            report=report, user=request.user, comment=form.cleaned_data["comment"]
        )
        return "The report is returned to its lead with your comments."

    return _step_view(request, number, quarter, Action.RETURN, ReturnForm, "return_form", apply)


@require_POST
@area_required
def report_accept(request, number: int, quarter: Quarter):
    def apply(report, form):
        services.highlight_report_accept(
            report=report, user=request.user, comment=form.cleaned_data["comment"]
        )
        return "The report is accepted: it now waits for the board dates."

    return _step_view(request, number, quarter, Action.ACCEPT, AcceptForm, "accept_form", apply)


@require_POST
@area_required
def report_board_dates(request, number: int, quarter: Quarter):
    def apply(report, form):
        report = services.highlight_report_board_dates_record(
            report=report, user=request.user, dates=form.dates()
        )
        return f"Board dates recorded: the report is “{report.status_label}”."

    return _step_view(
        request, number, quarter, Action.RECEIVE_BY_JCB, BoardDatesForm, "board_dates_form", apply
    )


@require_POST
@area_required
def report_correction(request, number: int, quarter: Quarter):
    def apply(report, form):
        revision = services.highlight_report_correction_start(
            report=report, user=request.user, reason=form.cleaned_data["reason"]
        )
        return (
            f"Revision {revision.revision} is open as a draft for the scheme lead to correct; "
            f"revision {report.revision} stays as it was signed off."
        )

    return _step_view(
        request, number, quarter, Action.START_CORRECTION, CorrectionForm, "correction_form", apply
    )


# --- The quarter overview ---------------------------------------------------------------------


@method_decorator(require_GET, name="dispatch")
class QuarterOverview(AreaRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    """Every scheme's report for a quarter, for analysts and board secretaries, filtered and
    exported (CSV or XLSX) exactly as shown."""

    template_name = "schemes/overview.html"
    filterset_class = QuarterOverviewFilter
    table_class = QuarterOverviewTable
    table_pagination = False
    export_formats = ("csv", "xlsx")
    # Cells that cannot run (SafeTableExport), figures as numbers in their formats.
    export_class = FormattedTableExport

    def get_dataset_kwargs(self):
        quarter = self.filterset.quarter_value
        return {"title": f"Highlight reports {quarter.short_label if quarter else ''}".strip()}

    def dispatch(self, request, *args, **kwargs):
        if request.area is not None and not permissions.may_see_overview(
            request.user, request.area
        ):
            raise PermissionDenied(
                "The quarter overview is for analysts and board secretaries: your own "
                "reports are on the Schemes page."
            )
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return Scheme.objects.in_area(self.request.area).order_by("number")

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = self.request.GET.copy()
        if not data.get("quarter"):
            data["quarter"] = str(self.request.area.reporting_quarter())
        kwargs["data"] = data
        return kwargs

    def get_table_data(self):
        # Read once per request: an export builds its table a second time.
        if not hasattr(self, "_rows"):
            quarter = self.filterset.quarter_value
            self._rows = (
                []
                if quarter is None
                else quarter_overview(
                    schemes=self.object_list,
                    quarter=quarter,
                    today=timezone.localdate(),
                    timetable=self.timetable,
                )
            )
        return self._rows

    @cached_property
    def timetable(self):
        quarter = self.filterset.quarter_value
        return reporting_timetable(area=self.request.area, quarter=quarter) if quarter else None

    @cached_property
    def can_remind(self) -> bool:
        return permissions.may_send_reminders(self.request.user, self.request.area)

    def get_table_kwargs(self):
        # "Send a reminder now" is the analysts' tool; secretaries see the same table without.
        return {} if self.can_remind else {"exclude": ("remind",)}

    def get_export_filename(self, export_format):
        quarter = self.filterset.quarter_value
        return f"highlight-reports-{self.request.area.code}-{quarter}.{export_format}"

    def render_to_response(self, context, **kwargs):
        export_format = self.request.GET.get(self.export_trigger_param)
        if export_format in self.export_formats and self.filterset.is_valid():
            return self.create_export(export_format)
        # An unknown format or invalid filters: the page, with the filters' errors shown.
        return super(ExportMixin, self).render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = context["table"].data.data if self.filterset.is_valid() else []
        quarter = self.filterset.quarter_value
        context["quarter"] = quarter
        context["statuses"] = Status
        if quarter is not None:
            context["timetable"] = self.timetable
            context["completeness"] = quarter_completeness(
                area=self.request.area,
                quarter=quarter,
                today=timezone.localdate(),
                timetable=self.timetable,
            )
        context["can_remind"] = self.can_remind
        # An analyst who may chase the leads may also set the timetable they are chased to.
        context["can_set_timetable"] = self.can_remind and permissions.may_set_timetable(
            self.request.user, self.request.area
        )
        context["outstanding"] = [row for row in rows if row.is_outstanding]
        context["not_started"] = [row for row in rows if row.report is None]
        return context


overview = QuarterOverview.as_view()


# --- The reporting timetable and reminders ----------------------------------------------------


@require_GET
@area_required
def timetable_list(request):
    """Each quarter's timetable for the area; analysts set them."""
    require(
        permissions.may_see_timetable(request.user, request.area),
        "Your role does not include the reporting timetable.",
    )
    timetables = {item.quarter: item for item in reporting_timetables(area=request.area)}
    reporting = request.area.reporting_quarter()
    quarters = sorted(set(timetables) | {reporting, reporting.next()}, reverse=True)
    return render(
        request,
        "schemes/timetable_list.html",
        {
            "rows": [(quarter, timetables.get(quarter)) for quarter in quarters],
            "can_set": permissions.may_set_timetable(request.user, request.area),
            "reporting_quarter": request.area.reporting_quarter(),
        },
    )


@require_http_methods(["GET", "POST"])
@area_required
def timetable_edit(request, quarter: Quarter):
    if not permissions.may_set_timetable(request.user, request.area):
        raise PermissionDenied("Only the area's analysts set its reporting timetable.")
    current = reporting_timetable(area=request.area, quarter=quarter)
    if request.method == "POST":
        form = TimetableForm(request.POST)
        if form.is_valid():
            try:
                services.reporting_timetable_save(
                    area=request.area, quarter=quarter, user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                messages.success(request, f"The {quarter.short_label} timetable is saved.")
                return redirect("schemes:timetable")
    else:
        initial = {}
        if current is not None:
            initial = {
                "reports_due": current.reports_due,
                "jcb_meeting": current.jcb_meeting,
                "hwb_meeting": current.hwb_meeting,
            }
        form = TimetableForm(initial=initial)
    return render(
        request,
        "schemes/timetable_form.html",
        {"form": form, "quarter": quarter, "timetable": current},
        status=400 if form.errors else 200,
    )


@require_POST
@area_required
def reminders_now(request):
    """ "Send a reminder now" from the overview: one scheme's leads, or every outstanding one."""
    if not permissions.may_send_reminders(request.user, request.area):
        raise PermissionDenied("Only the area's analysts can send reminders.")
    form = ReminderForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a quarter and scheme to send reminders for.")
        return redirect("schemes:overview")
    quarter = form.cleaned_data["quarter"]
    number = form.cleaned_data["scheme"]
    try:
        outcome = services.reminders_send_now(
            area=request.area,
            quarter=quarter,
            user=request.user,
            today=timezone.localdate(),
            numbers=[number] if number else None,
        )
    except ValueError as error:
        messages.error(request, str(error))
    else:
        written = emails_settle(outcome.written)
        sent = [record for record in written if record.state == "sent"]
        failed = [record for record in written if record.state == "failed"]
        if sent:
            names = ", ".join(
                record.recipient.get_full_name() or record.to_address for record in sent
            )
            messages.success(request, f"Reminder sent to {names}.")
        if failed:
            messages.error(
                request,
                f"{len(failed)} reminder{'s' if len(failed) > 1 else ''} could not be sent: "
                f"{failed[0].error} It will be tried again by the next daily run, or use "
                "“Send again” on the E-mails page.",
            )
        if outcome.skipped:
            messages.info(request, "Not sent: " + "; ".join(outcome.skipped) + ".")
        if not written and not outcome.skipped:
            messages.info(request, "Every report is submitted: there is no one to remind.")
    return redirect(f"{reverse('schemes:overview')}?quarter={quarter}")
