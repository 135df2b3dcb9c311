"""The analyst's dashboard, a page per metric, and the upload -> preview -> apply journey."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin
from django_tables2.export import ExportMixin

from bettercare.charts import figure_html
from bettercare.permissions import require
from bettercare.pickers import pick_period
from bettercare.spreadsheets import FormattedTableExport
from bettercare.uploads import ImportFlow
from bettercare.views import AreaRequiredMixin, area_required

from . import charts, permissions
from .filters import DashboardFilter, breakdown_label
from .forms import (
    BenchmarkForm,
    MetricApplyForm,
    MetricFileForm,
    MetricSettingsForm,
    PopulationFileForm,
    SpcRecalculationForm,
)
from .imports import METRIC_FILE, TEMPLATE_COLUMNS
from .models import Metric, MetricSettings, SpcRecalculation
from .populations import POPULATION_FILE
from .selectors import (
    breakdown_kinds_for,
    breakdowns_held,
    complete_data_month,
    dashboard_rows,
    default_month,
    figures_are_illustrative,
    metric_get,
    metric_page,
    metric_values,
    months_with_figures,
    plan_revisions_of,
    populations_for_rate,
)
from .selectors.benchmarks import BenchmarkError, benchmark, comparator_population_problems
from .services import metric_settings_save, spc_recalculation_add, spc_recalculation_remove
from .tables import (
    BenchmarkTable,
    DashboardTable,
    ImportChangeTable,
    MetricValueTable,
    PopulationChangeTable,
    benchmark_rows,
)


class DashboardView(
    AreaRequiredMixin, PermissionRequiredMixin, ExportMixin, SingleTableMixin, FilterView
):
    """Every metric with figures in the chosen month, rated against plan and last year, with
    its SPC icons; exported as CSV or XLSX exactly as shown."""

    raise_exception = True
    filterset_class = DashboardFilter
    table_class = DashboardTable
    template_name = "metrics/dashboard.html"
    table_pagination = False
    export_formats = ("csv", "xlsx")
    # Cells that cannot run (SafeTableExport), figures as numbers in their formats.
    export_class = FormattedTableExport

    def has_permission(self):
        return permissions.may_view_metrics(self.request.user, self.request.area)

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
            can_import=permissions.may_import_metrics(self.request.user, self.request.area),
            can_import_populations=permissions.may_import_populations(
                self.request.user, self.request.area
            ),
            data_month=self.data_month,
            illustrative=figures_are_illustrative(area=self.request.area),
            notes=[(row.rag.name, note) for row in self.get_table_data() for note in row.rag.notes],
            export_query=self.request.GET.urlencode(),
        )
        return context


@require_GET
@area_required
def metric_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One metric: its RAG reading, the trend, SPC and breakdown charts, and its figures."""
    require(
        permissions.may_view_metrics(request.user, request.area),
        "Your role does not include the metrics.",
    )
    metric = metric_get(code=code)
    if metric is None:
        raise Http404(f"There is no metric with the code “{code}”.")
    area = request.area
    month, month_picker = pick_period(
        request,
        name="month",
        label="Month",
        periods=months_with_figures(area=area),
        default=default_month(area=area),
    )
    breakdown = request.GET.get("breakdown", "")
    if breakdown and breakdown not in breakdowns_held(area=area):
        breakdown = ""

    context = {
        "illustrative": figures_are_illustrative(area=area),
        "metric": metric,
        "month": month,
        "month_picker": month_picker,
        "breakdown_keep": [("breakdown", breakdown)] if breakdown else [],
        "breakdown": breakdown,
        "breakdown_label": breakdown_label(breakdown),
    }
    if month is not None:
        page = metric_page(
            area=area,
            metric=metric,
            month=month,
            breakdown=breakdown,
            kind=request.GET.get("kind"),
        )
        context.update(
            row=page.row,
            spc=page.spc,
            kinds=page.kinds,
            kind=page.kind,
            breakdown_lines=page.breakdown_lines,
            **{
                f"{name}_html": figure_html(figure)
                for name, figure in charts.metric_page_charts(page).items()
            },
        )

    table = MetricValueTable(metric_values(area=area, metric=metric))
    RequestConfig(request, paginate={"per_page": 24}).configure(table)
    context.update(
        table=table,
        recalculations=SpcRecalculation.objects.filter(area=area, metric=metric),
        recalculation_form=SpcRecalculationForm(),
        can_recalculate=permissions.may_mark_recalculations(request.user, area),
        revisions=plan_revisions_of(area=area, metric=metric),
        populations=populations_for_rate(area=area, metric=metric),
        can_change_settings=permissions.may_change_settings(request.user, area),
        settings_form=MetricSettingsForm.for_settings(
            MetricSettings.objects.filter(area=area, metric=metric).first(),
            kinds=breakdown_kinds_for(area=area, metric=metric),
        ),
    )
    return render(request, "metrics/metric_detail.html", context)


@require_POST
@area_required
def settings_save(request: HttpRequest, code: str) -> HttpResponse:
    """The analyst's SPC options and commentary choices for one metric in their area."""
    require(
        permissions.may_change_settings(request.user, request.area),
        "Only analysts can change a metric's settings.",
    )
    metric = metric_get(code=code)
    if metric is None:
        raise Http404(f"There is no metric with the code “{code}”.")
    form = MetricSettingsForm(request.POST)
    if form.is_valid():
        metric_settings_save(
            area=request.area, metric=metric, user=request.user, **form.cleaned_data
        )
        messages.success(request, f"The settings of {metric.name} were saved.")
    else:
        errors = "; ".join(
            f"{form.fields[name].label}: {' '.join(errs)}" for name, errs in form.errors.items()
        )
        messages.error(request, f"The settings were not saved. {errors}")
    return redirect(reverse("metrics:metric", args=[metric.code]) + "#settings")


@require_POST
@area_required
def recalculation_add(request: HttpRequest, code: str) -> HttpResponse:
    require(
        permissions.may_mark_recalculations(request.user, request.area),
        "Only analysts can mark SPC recalculation points.",
    )
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
def recalculation_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    require(
        permissions.may_remove_recalculations(request.user, request.area),
        "Only analysts can remove SPC recalculation points.",
    )
    recalculation = SpcRecalculation.objects.filter(
        pk=pk, area=request.area, metric__code=code
    ).first()
    if recalculation is None:
        raise Http404("There is no such recalculation point for this metric in your area.")
    spc_recalculation_remove(recalculation=recalculation, user=request.user)
    messages.success(request, "The recalculation point was removed.")
    return redirect(reverse("metrics:metric", args=[code]) + "#spc")


class MetricsImport(ImportFlow):
    """Upload a metrics file for the analyst's area, preview what it changes (new, replaced
    old -> new, unchanged), apply it (see bettercare.uploads)."""

    importer = METRIC_FILE
    form_class = MetricFileForm
    apply_form_class = MetricApplyForm
    upload_template = "metrics/import_upload.html"
    preview_template = "metrics/import_preview.html"

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
        table = ImportChangeTable(plan.changes)
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        return {"counts": plan.counts, "table": table, "revisions": plan.revisions}


class PopulationsImport(ImportFlow):
    """Upload the area's populations by year and age group, preview, apply (as the figures)."""

    importer = POPULATION_FILE
    form_class = PopulationFileForm
    upload_template = "metrics/populations_upload.html"
    preview_template = "metrics/populations_preview.html"
    url_name = "populations_import"
    url_path = "populations/import/"

    def applied(self, request, staged, plan):
        counts = plan.counts
        messages.success(
            request,
            f"Imported {staged.file_name}: {counts['new']} new, {counts['replaced']} replaced, "
            f"{counts['unchanged']} unchanged populations.",
        )
        return redirect("metrics:index")

    def preview_context(self, request, plan):
        table = PopulationChangeTable(plan.changes)
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        return {"counts": plan.counts, "table": table}


@require_GET
@area_required
def benchmark_page(request: HttpRequest) -> HttpResponse:
    """A metric's month across the areas the person holds, ranked, with the comparators as
    reference lines; the chart highlights the current area. An area's figures are private to
    those who hold it, so only the person's own areas are ranked here (the command line ranks
    every area in the installation)."""
    require(
        permissions.may_view_metrics(request.user, request.area),
        "Your role does not include the metrics.",
    )
    areas = [area for area in request.areas if permissions.may_view_metrics(request.user, area)]
    metrics = list(Metric.objects.all())
    # Each choice left out (a link from the dashboard gives only the month) is the default:
    # the first metric of the catalogue, the month the dashboard opens on.
    month = request.GET.get("month") or default_month(area=request.area) or ""
    data = {
        "metric": request.GET.get("metric") or (metrics[0].code if metrics else ""),
        "month": str(month),
    }
    form = BenchmarkForm(data, metrics=metrics)
    context = {"form": form, "areas": areas, "problems": [], "warnings": []}
    chosen = None
    if form.is_valid():
        by_code = {metric.code: metric for metric in metrics}
        chosen = (by_code[form.cleaned_data["metric"]], form.cleaned_data["month"])
    if chosen is not None:
        try:
            bench = benchmark(metric=chosen[0], month=chosen[1], areas=areas)
        except BenchmarkError as error:
            context["problems"].append(str(error))
        else:
            code = request.area.code
            context.update(
                bench=bench,
                warnings=comparator_population_problems(bench),
                table=BenchmarkTable(
                    benchmark_rows(bench, highlight=code), rate_words=bench.rate_words
                ),
                chart_html=figure_html(charts.benchmark_chart(bench, highlight=code)),
                summary=benchmark_summary(bench, area=request.area),
                illustrative=figures_are_illustrative(area=request.area),
            )
    return render(request, "metrics/benchmark.html", context)


def benchmark_summary(bench, *, area) -> str:
    """'Southampton is ranked 2 of 4 (quartile 2): 951.7, 12.3 above the median.'"""
    mine = bench.result.area(area.code)
    if mine is None:
        return ""
    if not mine.ranked:
        return f"{area.name} is not ranked: it has no figure, or no population, for this month."
    return (
        f"{area.name} is ranked {mine.rank} of {bench.result.ranked} (quartile {mine.quartile}):"
        f" {bench.rate_display(mine.rate)}, {bench.gap_display(mine.gap_to_median).lower()}."
    )
