"""python manage.py import_metrics FILE   (CSV or XLSX; the area is given in each row)"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bettercare.tabular import FileRefused
from metrics.imports import COLUMNS
from metrics.models import MetricImport
from metrics.services import metric_file_import


class Command(BaseCommand):
    help = (
        f"Import metric figures from a CSV or XLSX file with the columns {','.join(COLUMNS)}. "
        "The whole file is checked first: any bad row refuses the whole file, every bad row is "
        "listed, nothing is written and the command exits with status 1."
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
            result = metric_file_import(
                content=content, file_name=path.name, via=MetricImport.Via.COMMAND
            )
        except FileRefused as refused:
            raise CommandError(refused.report()) from refused
        self.stdout.write(f"Imported {result.summary()}")
