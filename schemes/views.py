"""Pages of schemes and their quarterly highlight reports.

Every report is found by the scheme's number within the user's area and the quarter, and only
among the schemes the user may see (a scheme lead: their own), so another area's or another
lead's report answers 404 to GET and POST alike. Writes go through services.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin
from django_tables2.export import ExportMixin

from bettercare.contributions import scheme_funding
from bettercare.exports import SafeTableExport
from bettercare.models import Scheme
from bettercare.periods import Quarter
from bettercare.permissions import require, sees_every_scheme
from bettercare.views import AreaRequiredMixin, area_required

from . import permissions, services
from .filters import QuarterOverviewFilter
from .forms import (
    ROW_FORMSETS,
    AcceptForm,
    BoardDatesForm,
    CorrectionForm,
    ReturnForm,
    report_content,
    report_forms,
    with_extra_row,
)
from .report_finance import differences_from_finance, summarise
from .selectors import (
    highlight_report_for_user,
    highlight_report_history,
    highlight_report_latest_return,
    highlight_report_previous,
    highlight_report_revisions,
    quarter_overview,
    report_url,
    reports_of_lead,
    scheme_for_user,
    scheme_list,
)
from .tables import LeadReportTable, QuarterOverviewTable, SchemeTable
from .workflow import Action, Status


@require_GET
@area_required
def index(request):
    """The app's landing page: a lead's reports and what is due, then the schemes."""
    table = SchemeTable(scheme_list(user=request.user, area=request.area))
    RequestConfig(request, paginate=False).configure(table)
    lead_table = None
    if permissions.has_reports_to_write(request.user):
        lead_table = LeadReportTable(reports_of_lead(user=request.user, area=request.area))
    return render(
        request,
        "schemes/index.html",
        {
            "table": table,
            "lead_table": lead_table,
            "area_wide": sees_every_scheme(request.user),
            "quarter": request.area.reporting_quarter(),
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
        permissions.may_see_reports(request.user), "Your role does not include highlight reports."
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
        permissions.may_see_reports(request.user), "Your role does not include highlight reports."
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
    report = _report(request, number, quarter)
    return render(
        request,
        "schemes/report_compare.html",
        {"report": report, "previous": highlight_report_previous(report=report)},
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


def _step_view(request, number, quarter, action, form_class, form_name, apply):
    """A workflow step posted from the report page: errors come back beside the field."""
    report = _report(request, number, quarter)
    require(
        permissions.holds_step(request.user, action),
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
    export_class = SafeTableExport  # cells that cannot run, text that is not HTML

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
                else quarter_overview(schemes=self.object_list, quarter=quarter)
            )
        return self._rows

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
        context["quarter"] = self.filterset.quarter_value
        context["not_started"] = [row for row in rows if row.report is None]
        context["statuses"] = Status
        return context


overview = QuarterOverview.as_view()
