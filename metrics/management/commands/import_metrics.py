"""python manage.py import_metrics FILE [--reason TEXT] [--effective YYYY-MM-DD]

CSV or XLSX; the area is given in each row."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bettercare.tabular import FileRefused
from metrics.imports import COLUMNS, RevisionRefused
from metrics.models import MetricImport
from metrics.services import metric_file_import


class Command(BaseCommand):
    help = (
        f"Import metric figures from a CSV or XLSX file with the columns {','.join(COLUMNS)}. "
        "The whole file is checked first: any bad row refuses the whole file, every bad row is "
        "listed, nothing is written and the command exits with status 1. A file that changes "
        "plans already held revises them: give the reason with --reason (and the date the "
        "revision takes effect with --effective; today if not given)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the CSV or XLSX file.")
        parser.add_argument(
            "--reason",
            default="",
            help="Why the plans change, when the file revises plans already held (as the "
            "board will be told it).",
        )
        parser.add_argument(
            "--effective",
            default="",
            metavar="YYYY-MM-DD",
            help="The date a plan revision takes effect: months ending on or after it are rated "
            "against the revised plans (today if not given).",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        effective = None
        if options["effective"]:
            try:
                effective = date.fromisoformat(options["effective"])
            except ValueError as error:
                raise CommandError(
                    f"--effective must be a date like 2018-07-19, not “{options['effective']}”."
                ) from error
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        try:
            result = metric_file_import(
                content=content,
                file_name=path.name,
                via=MetricImport.Via.COMMAND,
                revision_reason=options["reason"],
                revision_effective=effective,
            )
        except FileRefused as refused:
            raise CommandError(refused.report()) from refused
        except RevisionRefused as refused:
            raise CommandError(f"{path.name} was not imported: {refused.message}") from refused
        self.stdout.write(f"Imported {result.summary()}")
        if result.revisions:
            for revision in result.revisions:
                self.stdout.write(
                    f"{revision.metric.name}, {revision.financial_year.label}: {revision.note}"
                )
