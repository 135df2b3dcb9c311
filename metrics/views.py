"""The analyst's dashboard, a page per metric, and the upload -> preview -> apply journey."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin
from django_tables2.export import ExportMixin

from bettercare.charts import figure_html
from bettercare.periods import PeriodError, parse_month
from bettercare.spreadsheets import FormattedTableExport
from bettercare.uploads import ImportFlow
from bettercare.views import AreaRequiredMixin, area_required

from . import charts
from .filters import BREAKDOWN_KIND_LABELS, DashboardFilter, breakdown_label
from .forms import MetricFileForm, SpcRecalculationForm
from .imports import TEMPLATE_COLUMNS, Change, metric_file_check
from .models import Metric, SpcRecalculation
from .selectors import (
    breakdown_kinds_for,
    breakdown_series,
    breakdowns_held,
    complete_data_month,
    dashboard_rows,
    default_month,
    figures_are_illustrative,
    metric_get,
    metric_series,
    metric_spc,
    metric_values,
    rag_summary,
)
from .services import (
    STAGED_KIND,
    metric_staged_import_apply,
    spc_recalculation_add,
    spc_recalculation_remove,
)
from .tables import DashboardTable, ImportChangeTable, MetricValueTable

VIEW = "metrics.view_metricvalue"
IMPORT = "metrics.import_metricvalue"


class DashboardView(
    AreaRequiredMixin, PermissionRequiredMixin, ExportMixin, SingleTableMixin, FilterView
):
    """Every metric with figures in the chosen month, rated against plan and last year, with
    its SPC icons; exported as CSV or XLSX exactly as shown."""

    permission_required = VIEW
    filterset_class = DashboardFilter
    table_class = DashboardTable
    template_name = "metrics/dashboard.html"
    table_pagination = False
    export_formats = ("csv", "xlsx")
    # Cells that cannot run (SafeTableExport), figures as numbers in their formats.
    export_class = FormattedTableExport

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        # Always bound, so the form shows (and the table uses) the month actually chosen.
        data = self.request.GET.copy()
        area = self.request.area
        # The month every monthly metric has figures for: the page opens on it, and says which
        # metrics have later figures.
        self.data_month = complete_data_month(
            area=area, up_to=area.reporting_quarter().last_month
        )
        if not data.get("month"):
            month = self.data_month.month or default_month(area=area)
            data["month"] = str(month) if month else ""
        kwargs["data"] = data
        kwargs["area"] = self.request.area
        return kwargs

    def get_table_data(self):
        if not hasattr(self, "_rows"):
            filterset = self.filterset
            month = filterset.chosen_month
            self._rows = (
                dashboard_rows(
                    area=self.request.area,
                    month=month,
                    breakdown=filterset.chosen_breakdown,
                    groups=filterset.chosen_groups,
                )
                if month is not None
                else []
            )
        return self._rows

    def get_table_kwargs(self):
        return {
            "month": self.filterset.chosen_month,
            "breakdown": self.filterset.chosen_breakdown,
        }

    def get_export_filename(self, export_format):
        month = self.filterset.chosen_month
        breakdown = self.filterset.chosen_breakdown.replace(":", "-").replace(" ", "-")
        parts = ["metrics", self.request.area.code, str(month) if month else "none"]
        if breakdown:
            parts.append(breakdown)
        return f"{'-'.join(parts)}.{export_format}"

    def get_dataset_kwargs(self):
        return {"title": f"Metrics {self.filterset.chosen_month}"}

    def render_to_response(self, context, **kwargs):
        if not self.filterset.is_valid():
            # Never export an empty file for a filter that could not be applied: the page
            # shows why instead.
            return super(ExportMixin, self).render_to_response(context, **kwargs)
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        month = self.filterset.chosen_month
        context.update(
            month=month,
            breakdown_label=breakdown_label(self.filterset.chosen_breakdown),
            group_label=", ".join(
                Metric.Group(group).label for group in self.filterset.chosen_groups or []
            ),
            can_import=self.request.user.has_perm(IMPORT),
            data_month=self.data_month,
            illustrative=figures_are_illustrative(area=self.request.area),
            notes=[(row.rag.name, note) for row in self.get_table_data() for note in row.rag.notes],
            export_query=self.request.GET.urlencode(),
        )
        return context


@require_GET
@area_required
@permission_required(VIEW, raise_exception=True)
def metric_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One metric: its RAG reading, the trend, SPC and breakdown charts, and its figures."""
    metric = metric_get(code=code)
    if metric is None:
        raise Http404(f"There is no metric with the code “{code}”.")
    area = request.area
    month = _month_from(request, default=default_month(area=area))
    breakdown = request.GET.get("breakdown", "")
    if breakdown and breakdown not in breakdowns_held(area=area):
        breakdown = ""

    context = {
        "illustrative": figures_are_illustrative(area=area),
        "metric": metric,
        "month": month,
        "breakdown": breakdown,
        "breakdown_label": breakdown_label(breakdown),
    }
    if month is not None:
        summary = rag_summary(area=area, month=month, breakdown=breakdown)
        context["row"] = next((row for row in summary.rows if row.code == metric.code), None)
        months = month.financial_year.months()
        series = metric_series(area=area, metric=metric, months=months, breakdown=breakdown)
        result = metric_spc(area=area, metric=metric, up_to=month, breakdown=breakdown)
        context.update(
            spc=result,
            trend_html=figure_html(
                charts.trend_chart(
                    series,
                    title=f"{metric.name}: {month.financial_year.label} against plan and last year",
                )
            ),
            spc_html=figure_html(
                charts.spc_chart(
                    result,
                    title=f"Statistical process control, to {month.label}",
                    y_title=metric.unit_label,
                )
            )
            if result.points
            else "",
        )
        kinds = breakdown_kinds_for(area=area, metric=metric)
        kind = request.GET.get("kind") if request.GET.get("kind") in kinds else None
        kind = kind or (kinds[0] if kinds else None)
        if kind:
            parts = breakdown_series(area=area, metric=metric, months=months, kind=kind)
            context.update(
                kinds=kinds,
                kind=kind,
                breakdown_html=figure_html(
                    charts.breakdown_chart(
                        parts,
                        title=f"By {BREAKDOWN_KIND_LABELS[kind].lower()}, "
                        f"{month.financial_year.label}",
                    )
                ),
            )

    table = MetricValueTable(metric_values(area=area, metric=metric))
    RequestConfig(request, paginate={"per_page": 24}).configure(table)
    context.update(
        table=table,
        recalculations=SpcRecalculation.objects.filter(area=area, metric=metric),
        recalculation_form=SpcRecalculationForm(),
        can_recalculate=request.user.has_perm("metrics.add_spcrecalculation"),
    )
    return render(request, "metrics/metric_detail.html", context)


def _month_from(request: HttpRequest, *, default):
    text = request.GET.get("month")
    if not text:
        return default
    try:
        return parse_month(text)
    except PeriodError:
        return default


@require_POST
@area_required
@permission_required("metrics.add_spcrecalculation", raise_exception=True)
def recalculation_add(request: HttpRequest, code: str) -> HttpResponse:
    metric = metric_get(code=code)
    if metric is None:
        raise Http404(f"There is no metric with the code “{code}”.")
    form = SpcRecalculationForm(request.POST)
    if form.is_valid():
        spc_recalculation_add(
            area=request.area,
            metric=metric,
            month=form.cleaned_data["month"],
            reason=form.cleaned_data["reason"],
            user=request.user,
        )
        messages.success(
            request, f"The SPC chart starts a new baseline from {form.cleaned_data['month'].label}."
        )
        return redirect(reverse("metrics:metric", args=[metric.code]) + "#spc")
    errors = "; ".join(
        f"{form.fields[name].label}: {' '.join(errs)}" for name, errs in form.errors.items()
    )
    messages.error(request, f"The recalculation point was not added. {errors}")
    return redirect(reverse("metrics:metric", args=[metric.code]) + "#spc")


@require_POST
@area_required
@permission_required("metrics.delete_spcrecalculation", raise_exception=True)
def recalculation_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    recalculation = SpcRecalculation.objects.filter(
        pk=pk, area=request.area, metric__code=code
    ).first()
    if recalculation is None:
        raise Http404("There is no such recalculation point for this metric in your area.")
    spc_recalculation_remove(recalculation=recalculation)
    messages.success(request, "The recalculation point was removed.")
    return redirect(reverse("metrics:metric", args=[code]) + "#spc")


class MetricsImport(ImportFlow):
    """Upload a metrics file for the analyst's area, preview what it changes (new, replaced
    old -> new, unchanged), apply it (see bettercare.uploads)."""

    kind = STAGED_KIND
    permission = IMPORT
    form_class = MetricFileForm
    upload_template = "metrics/import_upload.html"
    preview_template = "metrics/import_preview.html"

    def check(self, *, data, file_name, area):
        return metric_file_check(content=data, file_name=file_name, only_area=area)

    def apply(self, *, staged, user, expected_fingerprint):
        return metric_staged_import_apply(
            staged=staged, user=user, expected_fingerprint=expected_fingerprint
        )

    def applied(self, request, staged, result):
        messages.success(request, f"Imported {result.summary()}")
        return redirect("metrics:index")

    template_columns = TEMPLATE_COLUMNS
    template_title = "Metric figures to import"

    def template_example(self, area):
        month = area.reporting_quarter().months()[1]  # the quarter's data month
        return {
            "area": area.code,
            "metric": "nel_admissions",
            "period": str(month),
            "series": "actual",
            "value": "2405",
            "breakdown": "",
            "status": "provisional",
            "note": "",
        }

    def preview_context(self, request, plan):
        table = ImportChangeTable(plan.of(Change.REPLACED) + plan.of(Change.NEW))
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        return {"counts": plan.counts, "table": table}
