"""python manage.py finance_summary --area CODE --month YYYY-MM [--format json|table]"""

import json

from django.core.management.base import BaseCommand, CommandError

from bettercare.models import Area
from bettercare.money import format_full, format_percent
from bettercare.periods import PeriodError, parse_month
from finance.selectors import finance_position
from finance.wording import capitalised, describe_position

ALL = "All"


class Command(BaseCommand):
    # A read-only report: skipping the system checks (which import every URL and view) keeps
    # the command quick to start; `manage.py check` and the server still run them.
    requires_system_checks = []
    help = (
        "Print an area's pooled fund position at a month: budget, forecast outturn, variance "
        "(forecast minus budget, overspend positive) and variance as % of budget, in total, by "
        "partner and by scheme. JSON gives amounts in pounds as numbers and unrounded "
        "percentages; the table rounds for reading."
    )

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="The area's ONS code, e.g. E06000045.")
        parser.add_argument("--month", required=True, help="The month, e.g. 2018-08 (Month 5).")
        parser.add_argument(
            "--format", dest="output_format", choices=["json", "table"], default="json"
        )

    def handle(self, *args, area: str, month: str, output_format: str, **options):
        found = Area.objects.reportable().filter(code=area.strip().upper()).first()
        if found is None:
            raise CommandError(f"There is no area with the code {area}.")
        try:
            at = parse_month(month)
        except PeriodError as error:
            raise CommandError(str(error)) from error
        position = finance_position(area=found, month=at)
        if not position.has_data:
            raise CommandError(
                f"{found.name} has no budgets or forecasts for {at.financial_year.label}."
            )
        if output_format == "json":
            self.stdout.write(json.dumps(position.as_dict(), indent=2))
            return
        self.stdout.write(self._table(position))

    def _table(self, position) -> str:
        header = ("Scheme", "Partner", "Budget", "Forecast", "Variance", "% of budget")
        rows = []
        for scheme in position.schemes:
            name = f"{scheme.number}. {scheme.name}"
            for line in scheme.partners:
                rows.append(self._row(name, line.partner.code, line))
            rows.append(self._row(name, ALL, scheme))
        for partner in position.partners:
            rows.append(self._row(ALL, partner.partner.code, partner))
        rows.append(self._row(ALL, ALL, position.total))
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
        widths[0] = min(widths[0], 48)

        def fit(text: str, width: int) -> str:
            return text if len(text) <= width else text[: width - 1] + "…"

        def line(cells):
            texts = [fit(str(cell), widths[i]) for i, cell in enumerate(cells)]
            left = [texts[0].ljust(widths[0]), texts[1].ljust(widths[1])]
            right = [text.rjust(widths[i + 2]) for i, text in enumerate(texts[2:])]
            return "  ".join(left + right)

        title = (
            f"{position.area_name} ({position.area_code}) pooled fund at "
            f"{position.month.data_label} ({position.financial_year.label})"
        )
        return "\n".join(
            [
                title,
                "",
                line(header),
                line(["-" * width for width in widths]),
                *(line(row) for row in rows),
                "",
                capitalised(describe_position(position)),
            ]
        )

    @staticmethod
    def _row(scheme, partner, figures):
        return (
            scheme,
            partner,
            format_full(figures.budget),
            format_full(figures.forecast),
            format_full(figures.variance),
            format_percent(figures.variance_pct, 2),
        )
