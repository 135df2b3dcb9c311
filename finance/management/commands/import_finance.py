"""python manage.py import_finance FILE [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bettercare.tabular import FileRefused
from finance.imports import finance_file_check
from finance.services import finance_file_import


class Command(BaseCommand):
    help = (
        "Import a CSV or XLSX file of budgets and forecasts with the columns "
        "area,financial_year,scheme,partner,kind,month,amount. The whole file is checked first: "
        "if any row has a problem, every bad row is listed by line, nothing is written and the "
        "command exits with status 1. A row for a budget or forecast already stored replaces "
        "it; the earlier amount stays in its history."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV or XLSX file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and say what it would change, without writing anything.",
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        try:
            if dry_run:
                plan = finance_file_check(data=data, file_name=file.name)
            else:
                plan = finance_file_import(data=data, file_name=file.name)
        except FileRefused as refused:
            raise CommandError(refused.report()) from refused
        verb = "would import" if dry_run else "imported"
        self.stdout.write(f"{file.name}: {verb} {plan.summary()}.")
