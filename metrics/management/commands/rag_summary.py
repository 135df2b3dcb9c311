"""python manage.py rag_summary --area E06000045 --month 2018-08 [--format json|table]"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from bettercare.models import Area
from bettercare.periods import PeriodError, parse_month
from metrics.selectors import RagSummary, rag_summary


class Command(BaseCommand):
    # A read-only report: skipping the system checks (which import every URL and view) halves
    # the command's start-up; `manage.py check` and the server still run them.
    requires_system_checks = []
    help = (
        "Print each metric with figures in the month, rated against its plan and last year "
        "(the same figures as the dashboard and the board pack)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="The area's ONS code, e.g. E06000045.")
        parser.add_argument("--month", required=True, help="The data month, e.g. 2018-08.")
        parser.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args, **options):
        area = Area.objects.reportable().filter(code=options["area"].strip().upper()).first()
        if area is None:
            raise CommandError(f"There is no area with the code {options['area']}.")
        try:
            month = parse_month(options["month"])
        except PeriodError as error:
            raise CommandError(str(error)) from error
        summary = rag_summary(area=area, month=month)
        if options["format"] == "json":
            self.stdout.write(json.dumps(summary.as_dict(), indent=2))
        else:
            self.stdout.write(as_table(summary))


def as_table(summary: RagSummary) -> str:
    header = ("Metric", "Actual", "Plan", "vs plan", "Last year", "vs last year")
    lines = [
        (
            row.name,
            row.actual_display,
            row.plan_display,
            row.vs_plan.phrase,
            row.last_year_display,
            row.vs_last_year.phrase,
        )
        for row in summary.rows
    ]
    widths = [max(len(str(cells[i])) for cells in [header, *lines]) for i in range(len(header))]
    title = (
        f"{summary.area.name} ({summary.area.code}), {summary.month.data_label}, "
        f"{summary.financial_year.label}"
    )

    def render(cells):
        cells = zip(cells, widths, strict=True)
        return "  ".join(str(cell).ljust(width) for cell, width in cells).rstrip()

    # The caveats and plan revisions, as the performance table's notes give them.
    notes = [f"{row.name}: {note}" for row in summary.rows for note in row.notes]
    return "\n".join(
        [
            title,
            "",
            render(header),
            render(["-" * w for w in widths]),
            *(render(cells) for cells in lines),
            *(["", "Notes:"] if notes else []),
            *(f"{number}. {note}" for number, note in enumerate(notes, 1)),
        ]
    )
