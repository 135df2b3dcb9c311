"""python manage.py benchmark --metric CODE --month 2018-08 [--area CODE ...]
[--format json|table]"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from metrics.selectors.benchmarks import (
    BenchmarkError,
    MetricBenchmark,
    benchmark,
    benchmark_areas_get,
    comparator_population_problems,
)


class Command(BaseCommand):
    # A read-only report: skipping the system checks halves the command's start-up.
    requires_system_checks = []
    help = (
        "Benchmark a metric's month across the Health and Wellbeing Board areas: each area's "
        "figure, its rate per 100,000 of the right population (figures that are rates or "
        "percentages as they are), its rank (1 the best) and quartile, with the comparators "
        "(England, statistical neighbours) beside them, never ranked. Every area in the "
        "installation unless --area names some. The same figures as the benchmarking page."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--metric", required=True, help="The metric's code, e.g. nel_admissions."
        )
        parser.add_argument("--month", required=True, help="The month, e.g. 2018-08.")
        parser.add_argument(
            "--area",
            action="append",
            default=[],
            metavar="CODE",
            help="An area's ONS code to rank among (give it again for each area); every "
            "area in the installation if not given.",
        )
        parser.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args, **options):
        try:
            areas = benchmark_areas_get(options["area"]) if options["area"] else None
            bench = benchmark(metric=options["metric"], month=options["month"], areas=areas)
        except BenchmarkError as error:
            raise CommandError(str(error)) from error
        problems = comparator_population_problems(bench)
        if problems:
            raise CommandError(" ".join(problems))
        if options["format"] == "json":
            self.stdout.write(json.dumps(bench.as_json(), indent=2))
        else:
            self.stdout.write(as_table(bench))


def as_table(bench: MetricBenchmark) -> str:
    header = ("Rank", "Quartile", "Area", "Name", "Value", bench.rate_words, "Gap to median")
    lines = [
        (
            row.rank or "\u2013",
            row.quartile or "\u2013",
            row.area,
            row.name,
            bench.value_display(row.value),
            bench.rate_display(row.rate),
            bench.gap_display(row.gap_to_median),
        )
        for row in bench.result.areas
    ]
    lines += [
        ("", "", line.area, f"{line.name} (comparator)", bench.value_display(line.value),
         bench.rate_display(line.rate), "")
        for line in bench.result.comparators
    ]  # fmt: skip
    widths = [max(len(str(cells[i])) for cells in [header, *lines]) for i in range(len(header))]

    def render(cells):
        cells = zip(cells, widths, strict=True)
        return "  ".join(str(cell).ljust(width) for cell, width in cells).rstrip()

    title = (
        f"{bench.metric.name} ({bench.metric.code}), {bench.month.label}: "
        f"{bench.result.ranked} area{'' if bench.result.ranked == 1 else 's'} ranked, 1 the best"
    )
    return "\n".join(
        [title, "", render(header), render(["-" * w for w in widths]), *map(render, lines)]
    )
