"""Finance pages: the position, the pooled fund, a scheme's finance, and importing a file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from bettercare.charts import figure_html
from bettercare.periods import PeriodError, parse_financial_year
from bettercare.permissions import require
from bettercare.pickers import pick_period
from bettercare.selectors import schemes_visible_to
from bettercare.spreadsheets import FormattedTableExport
from bettercare.uploads import ImportFlow
from bettercare.views import AreaRequiredMixin, area_required

from . import permissions, selectors
from .charts import position_variance_chart, variance_by_month_chart
from .forms import (
    FinanceUploadForm,
    ForecastNoteForm,
    PooledFundForm,
)
from .imports import FINANCE_FILE, TEMPLATE_COLUMNS
from .services import forecast_note_save, pooled_fund_save
from .tables import PositionTable, position_rows
from .wording import capitalised, describe_position, scheme_finance_words

# Rows of an upload's preview shown on the page; the counts above it cover the whole file.
PREVIEW_ROWS = 300


def _chosen_month(request, months):
    """The month asked for in `?month=` (one with forecasts), or the reporting month; and the
    picker (with its error when the month asked for has no forecasts)."""
    default = selectors.reporting_month(
        area=request.area, quarter=request.area.reporting_quarter(), months=months
    )
    return pick_period(request, name="month", label="Position at", periods=months, default=default)


@require_GET
@area_required
def index(request):
    """The finance landing page: the position in the boards' words, and where to go next."""
    user = request.user
    context = {"can_view": permissions.may_view_finance(user, request.area)}
    if context["can_view"]:
        months = selectors.forecast_months(area=request.area)
        month = selectors.reporting_month(
            area=request.area, quarter=request.area.reporting_quarter(), months=months
        )
        if month is not None:
            position = selectors.finance_position(area=request.area, month=month)
            context.update(position=position, description=describe_position(position))
        context["can_import"] = permissions.may_import_finance(user, request.area)
    context["schemes"] = schemes_visible_to(user=user, area=request.area).order_by("number")
    return render(request, "finance/index.html", context)


class PositionView(
    AreaRequiredMixin, PermissionRequiredMixin, ExportMixin, SingleTableMixin, TemplateView
):
    """The month's position by scheme and partner, with its chart; `?_export=csv|xlsx` gives
    the same table as a spreadsheet."""

    raise_exception = True
    template_name = "finance/position.html"
    table_class = PositionTable
    table_pagination = False
    export_formats = ("csv", "xlsx")
    # Cells that cannot run (SafeTableExport), figures as numbers in their formats.
    export_class = FormattedTableExport

    def get_dataset_kwargs(self):
        return {"title": f"Finance position {self.month}" if self.month else "Finance position"}

    def has_permission(self):
        return permissions.may_view_finance(self.request.user, self.request.area)

    def get(self, request, *args, **kwargs):
        months = selectors.forecast_months(area=request.area)
        self.month, self.month_form = _chosen_month(request, months)
        self.position = (
            selectors.finance_position(area=request.area, month=self.month) if self.month else None
        )
        return super().get(request, *args, **kwargs)

    def get_table_data(self):
        return position_rows(self.position) if self.position else []

    def get_table_kwargs(self):
        return {"outturn": bool(self.position and self.position.is_outturn)}

    def get_export_filename(self, export_format):
        return f"finance-position-{self.request.area.code}-{self.month}.{export_format}"

    def render_to_response(self, context, **kwargs):
        if self.position is None and "_export" in self.request.GET:
            raise Http404("There is no finance position to export for that month.")
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        position = self.position
        context.update(
            month_form=self.month_form,
            position=position,
            can_import=permissions.may_import_finance(self.request.user, self.request.area),
        )
        if position is not None:
            context.update(
                description=capitalised(describe_position(position)),
                chart=figure_html(position_variance_chart(position)) if position.monthly else "",
                illustrative=position.financial_year
                in selectors.illustrative_years(area=self.request.area),
                source_disagreements=[
                    source
                    for source in selectors.funding_source_agreement(
                        area=self.request.area, year=position.financial_year, position=position
                    )
                    if not source.agrees
                ],
            )
        return context


@require_GET
@area_required
def pool(request):
    """The pooled fund for a year: contributions by partner and stream against the minimum."""
    require(
        permissions.may_view_finance(request.user, request.area),
        "Your role does not include the area's finance.",
    )
    years = selectors.finance_years(area=request.area)
    current = request.area.reporting_quarter().year
    year, form = pick_period(
        request,
        name="year",
        label="Financial year",
        periods=years,
        default=current if current in years else (years[0] if years else current),
    )
    fund = selectors.pooled_fund(area=request.area, year=year) if year else None
    return render(
        request,
        "finance/pool.html",
        {
            "year_form": form,
            "year": year,
            "fund": fund,
            "can_edit": permissions.may_edit_pooled_fund(request.user, request.area),
        },
    )


@require_http_methods(["GET", "POST"])
@area_required
def pool_edit(request, year: str):
    require(
        permissions.may_edit_pooled_fund(request.user, request.area),
        "Only analysts and administrators can edit the pooled fund.",
    )
    try:
        financial_year = parse_financial_year(year)
    except PeriodError as error:
        raise Http404(f"“{year}” is not a financial year.") from error
    partners = list(request.area.partners.all())
    existing = selectors.pooled_fund(area=request.area, year=financial_year)
    if request.method == "POST":
        form = PooledFundForm(request.POST, partners=partners)
        if form.is_valid():
            pooled_fund_save(
                area=request.area,
                financial_year=financial_year,
                national_minimum=form.cleaned_data["national_minimum"],
                contributions=form.contributions(),
                illustrative=form.cleaned_data["illustrative"],
                source=form.cleaned_data["source"],
                user=request.user,
            )
            messages.success(request, f"The pooled fund for {financial_year.label} is saved.")
            return redirect(f"{reverse('finance:pool')}?year={financial_year}")
    else:
        initial = {
            "national_minimum": existing.national_minimum,
            "illustrative": existing.illustrative,
            "source": existing.source,
        }
        for entry in existing.contributions:
            initial[f"contribution_{entry.partner.code}_{entry.stream}"] = entry.amount
        form = PooledFundForm(partners=partners, initial=initial)
    return render(request, "finance/pool_edit.html", {"form": form, "year": financial_year})


def _visible_scheme(request, number: int):
    scheme = (
        schemes_visible_to(user=request.user, area=request.area)
        .prefetch_related("year_names")
        .select_related("area")
        .filter(number=number)
        .first()
    )
    if scheme is None:
        raise Http404(f"There is no scheme {number} among the schemes you can see.")
    return scheme


@require_GET
@area_required
def scheme(request, number: int):
    """A scheme's budget, forecast and variance by partner, month by month, with the finance
    lead's notes; analysts can write the notes."""
    scheme = _visible_scheme(request, number)
    months = selectors.forecast_months(area=request.area)
    month, month_form = _chosen_month(request, months)
    finance = selectors.scheme_finance(scheme=scheme, month=month) if month else None
    can_note = permissions.may_write_forecast_notes(request.user, scheme)
    note_forms = []
    if finance and can_note:
        for line in finance.partners:
            if line.forecast_month == month:
                note_forms.append(
                    (
                        line,
                        ForecastNoteForm(
                            initial={
                                "partner": line.partner.code,
                                "month": str(month),
                                "note": line.note,
                            },
                            prefix=line.partner.code,
                        ),
                    )
                )
    chart = ""
    if finance and finance.history:
        chart = figure_html(
            variance_by_month_chart(
                finance.monthly_variance(), title=f"{finance.name}: forecast variance by month"
            )
        )
    return render(
        request,
        "finance/scheme.html",
        {
            "scheme": scheme,
            "month": month,
            "month_form": month_form,
            "finance": finance,
            "words": scheme_finance_words(finance) if finance else None,
            "note_forms": note_forms,
            "chart": chart,
        },
    )


@require_POST
@area_required
def scheme_note(request, number: int):
    scheme = _visible_scheme(request, number)
    require(
        permissions.may_write_forecast_notes(request.user, scheme),
        "Only analysts can write the finance lead's notes.",
    )
    partner_code = request.POST.get("partner_code", "")
    form = ForecastNoteForm(request.POST, prefix=partner_code)
    if not form.is_valid():
        messages.error(
            request,
            "The note was not saved: "
            + " ".join(str(error) for errors in form.errors.values() for error in errors),
        )
        return redirect(reverse("finance:scheme", args=[scheme.number]))
    month = form.cleaned_data["month"]
    forecast = selectors.forecast_for_note(
        area=request.area, scheme=scheme, partner_code=form.cleaned_data["partner"], month=month
    )
    if forecast is None:
        raise Http404("There is no forecast for that partner and month to write a note on.")
    forecast_note_save(forecast=forecast, note=form.cleaned_data["note"], user=request.user)
    messages.success(
        request, f"The note on {forecast.partner.code}'s Month {month.number} forecast is saved."
    )
    return redirect(f"{reverse('finance:scheme', args=[scheme.number])}?month={month}")


class FinanceImport(ImportFlow):
    """Upload a file of budgets and forecasts for the current area, preview what it changes,
    apply it (see bettercare.uploads)."""

    importer = FINANCE_FILE
    form_class = FinanceUploadForm
    upload_template = "finance/upload.html"
    preview_template = "finance/import_preview.html"

    def applied(self, request, staged, plan):
        messages.success(request, f"{staged.file_name} imported: {plan.summary()}.")
        target = reverse("finance:position")
        if plan.months:
            target += f"?month={plan.months[-1]}"
        return redirect(target)

    template_columns = TEMPLATE_COLUMNS
    template_title = "Budgets and forecasts to import"

    def template_example(self, area):
        quarter = area.reporting_quarter()
        scheme = area.schemes.order_by("number").first()
        partner = area.partners.order_by("kind", "code").first()
        return {
            "area": area.code,
            "financial_year": str(quarter.year),
            "scheme": str(scheme.number if scheme else 1),
            "partner": partner.code if partner else "CCG",
            "kind": "forecast",
            "month": str(quarter.months()[1]),
            "amount": "1300000.00",
        }

    def preview_context(self, request, plan):
        changes = plan.changes
        return {"changes": changes[:PREVIEW_ROWS], "more": max(0, len(changes) - PREVIEW_ROWS)}
