"""One import engine for every tabular file: read, check every row, compare, preview, apply.

An app declares an import by what its file holds; the engine does the rest, the same way for
every file, so a new import (populations, comparators...) is a short declaration:

    class PopulationFile(TabularImport):
        kind = "populations"                       # StagedImport.kind of its uploads
        columns = ("area", "year", "age_band", "population")
        what = "populations"                        # "...a header but no rows of populations"

        def check_row(self, row, problems, lookups):   # note every problem of one row
            area = lookups.area(row, problems)         # the area column, checked for you
            ...
            return PopulationRow(line=row.line, key=(...), values=(...), ...)

        def held(self, rows):            # what is stored now: (key, existing, values held)
            ...

        def write(self, plan, *, user, reason):        # the new and replaced rows, in one go
            ...

        def may_import(self, user, area):              # its app's permissions.py answers
            return permissions.may_import_populations(user, area)

What the engine does, in order:
1. reads the upload (`bettercare.tabular`, whose limits of size, rows and columns apply to every
   import) into rows that carry their line number;
2. checks every row, noting every problem of every row (`Problems`): the app's checks, and the
   engine's own for every file (the area column, cells beyond the header, a row repeated);
   one bad row refuses the whole file (`FileRefused`), every bad row named by its line;
3. compares the checked rows with what is held: each is new, replaces a held value (old -> new)
   or is unchanged; the `ImportPlan` is the preview, with a fingerprint of what it would change;
4. applies the plan in one transaction, after checking the file again, refusing
   (`PreviewOutdated`) if what it would change moved since the preview was shown, and refusing
   a person the app's permissions refuse (a call without a person is the command line); then
   tells the apps that listen that the areas' figures changed (`bettercare.events`).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from django.db import transaction

from .events import figures_changed
from .models import Area, StagedImport
from .permissions import require
from .services import staged_import_mark_applied
from .tabular import FileRefused, PreviewOutdated, Problems, Row, has_extra_cells, read_rows

__all__ = [
    "Change",
    "CheckedRow",
    "FileRefused",
    "ImportPlan",
    "Lookups",
    "PreviewOutdated",
    "Problems",
    "Row",
    "TabularImport",
]


class Change(StrEnum):
    NEW = "new"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"


@dataclass(slots=True, kw_only=True)
class CheckedRow:
    """A row that passed its checks, and what importing it would do. An app's row type adds its
    own fields; `key` says what the row is (a second row with the same key is a repeat) and
    `values` what it writes, compared with what is held."""

    line: int
    key: tuple
    values: tuple
    change: str = Change.NEW
    existing: Any = None  # what the row replaces (an id, a record), when it replaces one
    held: tuple | None = None  # the values held now, when something is held


@dataclass
class ImportPlan:
    """What importing a checked file would do: the preview, and what applying writes."""

    file_name: str
    sha256: str
    rows: list = field(default_factory=list)

    def of(self, change: str) -> list:
        return [row for row in self.rows if row.change == change]

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(row.change for row in self.rows)
        return {change.value: counted.get(change, 0) for change in Change}

    @property
    def changes(self) -> list:
        """The rows that change something: replaced ones first, as the preview lists them."""
        return [*self.of(Change.REPLACED), *self.of(Change.NEW)]

    @property
    def has_changes(self) -> bool:
        return any(row.change != Change.UNCHANGED for row in self.rows)

    @property
    def areas(self) -> list[Area]:
        return sorted({row.area.pk: row.area for row in self.rows}.values(), key=str)

    @property
    def fingerprint(self) -> str:
        """Identifies what applying would change. Shown with the preview and checked when the
        person applies it, so a file is never applied against data that moved meanwhile."""
        digest = hashlib.sha256(self.sha256.encode())
        for row in self.rows:
            if row.change != Change.UNCHANGED:
                digest.update(f"{row.key}|{row.change}|{row.held}\n".encode())
        return digest.hexdigest()[:32]


class Lookups:
    """What the checks of one file read once, not per row: the areas the file names, and the
    upload's own area (`only_area`) when there is one: an upload's rows are for its area or
    for comparators. Apps add their own to it."""

    def __init__(self, rows: Sequence[Row], *, only_area: Area | None, area_column: str):
        self.only_area = only_area
        self.area_column = area_column
        codes = {row[area_column].upper() for row in rows if row[area_column]}
        self.areas = {area.code: area for area in Area.objects.filter(code__in=codes)}

    def area(self, row: Row, problems: Problems) -> Area | None:
        """The row's area, or None after noting why it cannot be used."""
        column = self.area_column
        text = row[column]
        area = self.areas.get(text.upper())
        only = self.only_area
        if not text:
            problems.add(row, "the area is empty: give the area's ONS code, e.g. E06000045", column)
        elif only is not None and (area is None or area.pk != only.pk) and not (
            # A comparator's figures (England's, say) come in beside the area's own; whether
            # the person may load them is the import's own permission (`may_import`).
            area is not None and area.is_comparator
        ):
            named = f"{area.name} ({area.code})" if area else text
            problems.add(
                row,
                f"the row is for {named}, but this upload is for {only.name} ({only.code})",
                column,
            )
            return None
        elif area is None:
            problems.add(row, f"unknown area “{text}” (give the area's ONS code)", column)
        return area


class TabularImport:
    """One kind of import file. Subclasses set the class attributes and provide `check_row`,
    `held`, `write` and `may_import` (and `lookups`, `describe` when they need them)."""

    kind: ClassVar[str]  # StagedImport.kind of this file's uploads
    columns: ClassVar[tuple[str, ...]]  # the columns the header must name
    optional: ClassVar[tuple[str, ...]] = ()  # columns it may name
    what: ClassVar[str] = "rows"  # what its rows are, for "a header but no rows of ..."
    area_column: ClassVar[str] = "area"
    plan_class: ClassVar[type[ImportPlan]] = ImportPlan

    # --- What an app declares ---------------------------------------------------------------

    def lookups(self, rows: Sequence[Row], *, only_area: Area | None) -> Lookups:
        """What the checks read once per file; subclasses extend it."""
        return Lookups(rows, only_area=only_area, area_column=self.area_column)

    def check_row(self, row: Row, problems: Problems, lookups: Lookups) -> CheckedRow | None:
        """The row checked, noting each thing wrong with it in `problems`; a row with any
        problem is dropped whatever this returns."""
        raise NotImplementedError

    def describe(self, row: CheckedRow) -> str:
        """How a repeated row is named to the person: what it gives."""
        return ", ".join(str(part) for part in row.key)

    def held(self, rows: Sequence[CheckedRow]) -> Iterable[tuple[tuple, Any, tuple]]:
        """What is stored now for these rows, as (key, existing, values held)."""
        raise NotImplementedError

    def write(self, plan: ImportPlan, *, user, reason: str, **options) -> Any:
        """Write the plan's new and replaced rows (inside the engine's transaction)."""
        raise NotImplementedError

    def may_import(self, user, area: Area) -> bool:
        raise NotImplementedError

    # --- What the engine does ---------------------------------------------------------------

    def plan(self, *, content: bytes, file_name: str, only_area: Area | None = None) -> ImportPlan:
        """Check every row of the file and compare it with what is held; raise `FileRefused`
        listing every bad row otherwise. With `only_area` (an upload), a row for any other area
        is a bad row."""
        rows = read_rows(content, file_name=file_name, columns=self.columns, optional=self.optional)
        problems = Problems()
        if not rows:
            problems.add(1, f"the file has a header but no rows of {self.what}")
            problems.refuse_if_any(file_name)
        lookups = self.lookups(rows, only_area=only_area)
        checked: list[CheckedRow] = []
        first_line: dict[tuple, int] = {}
        for row in rows:
            before = len(problems.items)
            if has_extra_cells(row):
                problems.add(row, "has more cells than the header has columns")
            result = self.check_row(row, problems, lookups)
            if result is None or len(problems.items) > before:
                continue
            if result.key in first_line:
                problems.add(
                    row,
                    f"repeats line {first_line[result.key]} ({self.describe(result)}): keep one "
                    "of the two",
                )
                continue
            first_line[result.key] = row.line
            checked.append(result)
        problems.refuse_if_any(file_name)
        plan = self.plan_class(file_name, hashlib.sha256(content).hexdigest(), checked)
        self._compare(plan)
        return plan

    def _compare(self, plan: ImportPlan) -> None:
        """Mark each row new, replaced (keeping what it replaces) or unchanged."""
        if not plan.rows:
            return
        by_key = {row.key: row for row in plan.rows}
        for key, existing, held in self.held(plan.rows):
            row = by_key.get(key)
            if row is None:
                continue
            row.existing, row.held = existing, held
            row.change = Change.UNCHANGED if held == row.values else Change.REPLACED

    @transaction.atomic
    def apply(
        self,
        *,
        content: bytes,
        file_name: str,
        user=None,
        only_area: Area | None = None,
        expected_fingerprint: str | None = None,
        **options,
    ) -> Any:
        """Check the whole file and, only if every row is good, write it in one transaction.
        Refused (`PreviewOutdated`) when `expected_fingerprint`, from the preview the person
        saw, no longer matches what the file would change; refused (PermissionDenied) when the
        person may not import into an area the file names."""
        plan = self.plan(content=content, file_name=file_name, only_area=only_area)
        require(
            user is None or all(self.may_import(user, area) for area in plan.areas),
            "Your role does not include importing this file for the areas it names.",
        )
        if expected_fingerprint is not None and plan.fingerprint != expected_fingerprint:
            raise PreviewOutdated(
                f"What is held changed after the preview of {file_name} was shown. Check the "
                "new preview before applying it."
            )
        result = self.write(
            plan, user=user, reason=f"Imported from {file_name}"[:100], **options
        )
        # The apps that keep something made from the figures (the board packs' charts) hear of
        # it; they enqueue their work, which starts once this transaction commits.
        changed = {row.area.pk for row in plan.rows if row.change != Change.UNCHANGED}
        if changed:
            figures_changed(area_ids=changed, source=self.kind)
        return result

    @transaction.atomic
    def apply_staged(
        self, *, staged: StagedImport, user, expected_fingerprint: str, **options
    ) -> Any:
        """Apply an upload its uploader has previewed, checking it again against what is held
        now; only the person who uploaded a file may apply it."""
        require(
            staged.kind == self.kind and staged.applied is None,
            "This upload is not a file of this kind waiting to be applied.",
        )
        require(
            staged.created_by_id == user.pk, "Only the person who uploaded a file can apply it."
        )
        result = self.apply(
            content=bytes(staged.content),
            file_name=staged.file_name,
            user=user,
            only_area=staged.area,
            expected_fingerprint=expected_fingerprint,
            **self.staged_options(),
            **options,
        )
        staged_import_mark_applied(staged=staged)
        return result

    def staged_options(self) -> dict:
        """The `write` options of an upload applied from the web pages."""
        return {}
