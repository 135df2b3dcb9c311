"""Build a board pack's PDF from the command line:

    python manage.py build_pack --area E06000045 --quarter 2018-19-Q2 --board JCB --output jcb.pdf

Creates a Draft pack with its default (or carried-forward) text when the board has none for the
quarter. A Final pack gives its latest stored version, byte for byte; `--public` gives the
public version (exempt sections left out).
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bettercare.models import Area
from bettercare.periods import PeriodError, parse_quarter
from reports.assembly import FULL, PUBLIC, pack_pdfs_build, run_to_end, version_label
from reports.drawing import ChartRenderer
from reports.models import Board, Pack
from reports.selectors import (
    pack_find,
    pack_next_version_number,
    pack_version_get,
    pack_versions,
)
from reports.services import pack_create


class Command(BaseCommand):
    help = "Build the PDF of a board's quarterly Better Care performance report."
    # A command people wait for: Django's system checks (every URLconf and admin loaded) are
    # `manage.py check`'s and CI's business, not each build's.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="The area's ONS code, e.g. E06000045.")
        parser.add_argument("--quarter", required=True, help="The quarter, e.g. 2018-19-Q2.")
        parser.add_argument("--board", required=True, help="JCB or HWB.")
        parser.add_argument("--output", required=True, help="Where to write the PDF.")
        parser.add_argument(
            "--public", action="store_true", help="The public version: exempt sections left out."
        )

    def handle(self, *args, **options):
        code = options["area"].strip().upper()
        area = Area.objects.reportable().filter(code=code).first()
        if area is None:
            areas = Area.objects.reportable().order_by("code")
            known = ", ".join(f"{a.code} ({a.name})" for a in areas)
            raise CommandError(
                f"There is no area with the ONS code {code}. Known areas: {known or 'none'}."
            )
        try:
            quarter = parse_quarter(options["quarter"])
        except PeriodError as error:
            raise CommandError(f"--quarter: {error}") from error
        board = options["board"].strip().upper()
        if board not in Board.values:
            raise CommandError(
                f"--board must be JCB (Joint Commissioning Board) or HWB (Health and Wellbeing "
                f"Board), not {options['board']!r}."
            )
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"--output: the folder {output.parent} does not exist.")
        public = options["public"]

        pack = pack_find(area=area, board=board, quarter=quarter)
        if pack is None:
            try:
                pack = pack_create(area=area, board=board, quarter=quarter)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            self.stdout.write(
                f"Created a Draft {board} pack for {quarter.short_label} with default text."
            )

        if pack.status == Pack.Status.FINAL:
            stored = pack_version_get(pack=pack, number=pack_versions(pack=pack)[-1].number)
            content = bytes(stored.public_pdf if public else stored.full_pdf)
            checksum = stored.public_sha256 if public else stored.full_sha256
            output.write_bytes(content)
            self.stdout.write(
                self.style.SUCCESS(
                    f"The pack is Final: wrote its stored version {stored.number} to {output} "
                    f"(SHA-256 {checksum})."
                )
            )
            return

        label = version_label(number=pack_next_version_number(pack=pack), final=False)
        kind = PUBLIC if public else FULL
        # A renderer of its own, one tab (the quickest to start), closed when the PDF is made;
        # charts drawn before (for the page, or an earlier run) are not drawn again.
        with ChartRenderer(tabs=1, idle_seconds=None) as renderer:
            built = run_to_end(
                pack_pdfs_build(
                    pack, version_label=label, outputs=[kind], isolate=False, renderer=renderer
                ),
                lambda step: step.page_level or self.stdout.write(f"  {step}"),
            )
        result = built.pdfs[kind]
        output.write_bytes(result.pdf)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {output}: {pack}, {label}, {result.pages} pages (SHA-256 {result.sha256})."
            )
        )
