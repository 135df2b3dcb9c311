"""Write an area's quarterly return to NHS England as an XLSX workbook shaped like the national
template:

    python manage.py export_return --area E06000045 --quarter 2018-19-Q2 --output return.xlsx

The same workbook the Reports page downloads (`reports.returns`), with the figures of the
quarter's board pack.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bettercare.models import Area
from bettercare.periods import PeriodError, parse_quarter
from bettercare.selectors import reportable_quarters
from reports.returns import return_workbook
from reports.selectors import quarterly_return


class Command(BaseCommand):
    help = "Write an area's quarterly Better Care Fund return to NHS England as an XLSX file."
    # A command people wait for (target: under 2 s): the system checks are `manage.py check`'s.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="The area's ONS code, e.g. E06000045.")
        parser.add_argument("--quarter", required=True, help="The quarter, e.g. 2018-19-Q2.")
        parser.add_argument("--output", required=True, help="Where to write the .xlsx file.")

    def handle(self, *args, **options):
        code = options["area"].strip().upper()
        area = Area.objects.filter(code=code).first()
        if area is None:
            known = ", ".join(f"{a.code} ({a.name})" for a in Area.objects.order_by("code"))
            raise CommandError(
                f"There is no area with the ONS code {code}. Known areas: {known or 'none'}."
            )
        try:
            quarter = parse_quarter(options["quarter"])
        except PeriodError as error:
            raise CommandError(f"--quarter: {error}") from error
        quarters = reportable_quarters(area=area)
        if quarter not in quarters:
            raise CommandError(
                f"--quarter: {area.name} has no return for {quarter.label}: its quarters run "
                f"from {quarters[-1]} to {quarters[0]}."
            )
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"--output: the folder {output.parent} does not exist.")
        data = quarterly_return(area=area, quarter=quarter)
        output.write_bytes(return_workbook(data))
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {area.name}'s return for {quarter.label} to {output} (figures up to "
                f"{data.data_month.data_label})."
            )
        )
        for line in data.lacking:
            self.stdout.write(f"  Lacking: {line}")
