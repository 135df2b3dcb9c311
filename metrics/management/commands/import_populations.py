"""python manage.py import_populations FILE   (CSV or XLSX; the area is given in each row)"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bettercare.tabular import FileRefused
from metrics.populations import COLUMNS
from metrics.services import population_file_import


class Command(BaseCommand):
    help = (
        "Import each area's population by financial year and age group (all, 18+, 65+) from a "
        f"CSV or XLSX file with the columns {','.join(COLUMNS)}. The whole file is checked "
        "first: any bad row, or a year without all three age groups, refuses the whole file, "
        "every bad row is listed, nothing is written and the command exits with status 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the CSV or XLSX file.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        try:
            plan = population_file_import(content=content, file_name=path.name)
        except FileRefused as refused:
            raise CommandError(refused.report()) from refused
        counts = plan.counts
        self.stdout.write(
            f"Imported {path.name}: {counts['new']} new, {counts['replaced']} replaced, "
            f"{counts['unchanged']} unchanged."
        )
