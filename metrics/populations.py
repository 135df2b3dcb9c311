"""The populations import: each area's population by financial year and age group, with where
the figure comes from, as `bettercare.imports` reads it.

The file has exactly the columns `area,financial_year,age_group,population,source`:

    area            the area's ONS code, e.g. E06000045
    financial_year  the year the figure is used for: 2018-19 (or 2018/19)
    age_group       all (or "all ages"), 18+ or 65+
    population      a whole number of people, e.g. 200,800
    source          where it comes from, e.g. ONS mid-2018 population estimates

Every area and year the file gives needs all three age groups, in the file or already held (so
a year's rates never rest on a population that was never loaded): a year with one missing is
refused, its rows named. Importing a row again replaces the figure; the old one stays in its
history. Rates per 100,000 (`metrics.readings`) are worked out from these.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from bettercare.imports import Change, CheckedRow, ImportPlan, TabularImport
from bettercare.models import Area
from bettercare.periods import FinancialYear, PeriodError, parse_financial_year
from bettercare.tabular import Problems

from . import permissions
from .models import AgeGroup, Population

COLUMNS = ("area", "financial_year", "age_group", "population", "source")
AGE_GROUP_WORDS = {
    "all": AgeGroup.ALL_AGES,
    "all ages": AgeGroup.ALL_AGES,
    "18+": AgeGroup.AGED_18_PLUS,
    "aged 18+": AgeGroup.AGED_18_PLUS,
    "65+": AgeGroup.AGED_65_PLUS,
    "aged 65+": AgeGroup.AGED_65_PLUS,
}
_WHOLE = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)$")
MAX_PEOPLE = 100_000_000
MAX_SOURCE = Population._meta.get_field("source").max_length


@dataclass(slots=True, kw_only=True)
class PopulationRow(CheckedRow):
    """A checked row: `key` is (area id, year, age group), `values` (people, source)."""

    area: Area
    financial_year: FinancialYear
    age_group: str
    people: int
    source: str

    @property
    def old_people(self) -> int | None:
        return self.held[0] if self.held else None


class PopulationFile(TabularImport):
    kind = "populations"
    columns = COLUMNS
    what = "populations"

    def check_row(self, row, problems, lookups):
        area = lookups.area(row, problems)
        year = None
        try:
            year = parse_financial_year(row["financial_year"])
        except PeriodError as error:
            problems.add(row, str(error), "financial_year")

        text = " ".join(row["age_group"].lower().split())
        group = AGE_GROUP_WORDS.get(text)
        if not text:
            problems.add(row, "the age group is empty: give all, 18+ or 65+", "age_group")
        elif group is None:
            problems.add(
                row, f"the age group must be all, 18+ or 65+, not “{row['age_group']}”", "age_group"
            )

        people = _people(row, problems)
        source = " ".join(row["source"].split())
        if not source:
            problems.add(
                row, "the source is empty: say where the figure comes from (e.g. ONS)", "source"
            )
        elif len(source) > MAX_SOURCE:
            problems.add(row, f"the source is longer than {MAX_SOURCE} characters", "source")

        if area is None or year is None or group is None or people is None:
            return None
        return PopulationRow(
            line=row.line,
            key=(area.pk, year, group),
            values=(people, source),
            area=area,
            financial_year=year,
            age_group=group,
            people=people,
            source=source,
        )

    def plan(self, *, content, file_name, only_area=None) -> ImportPlan:
        """The engine's plan, once every area and year the file gives has every age group."""
        plan = super().plan(content=content, file_name=file_name, only_area=only_area)
        given: dict[tuple, list[PopulationRow]] = defaultdict(list)
        for row in plan.rows:
            given[(row.area, row.financial_year)].append(row)
        held = set(
            Population.objects.filter(
                area__in={area for area, _ in given},
                financial_year__in={year for _, year in given},
            ).values_list("area_id", "financial_year", "age_group")
        )
        problems = Problems()
        for (area, year), rows in given.items():
            present = {row.age_group for row in rows}
            missing = [
                label
                for value, label in AgeGroup.choices
                if value not in present and (area.pk, year, value) not in held
            ]
            if missing:
                lines = ", ".join(str(row.line) for row in rows)
                for row in rows:
                    problems.add(
                        row.line,
                        f"{area.code} {year.label} has no population {', '.join(missing).lower()}"
                        f" (lines {lines} give the others, and none is held): give every age "
                        "group of a year",
                        "age_group",
                    )
        problems.refuse_if_any(file_name)
        return plan

    def describe(self, row: PopulationRow) -> str:
        return f"{row.area.code} {row.financial_year.label} {row.age_group}"

    def held(self, rows):
        held = Population.objects.filter(
            area_id__in={row.area.pk for row in rows},
            financial_year__in={row.financial_year for row in rows},
        ).values_list("pk", "area_id", "financial_year", "age_group", "people", "source")
        for pk, area_id, year, group, people, source in held:
            yield (area_id, year, group), pk, (people, source)

    def write(self, plan, *, user, reason, illustrative=False):
        history = {"default_user": user, "default_change_reason": reason[:100] or None}
        new = [
            Population(
                area=row.area,
                financial_year=row.financial_year,
                age_group=row.age_group,
                people=row.people,
                source=row.source,
                illustrative=illustrative,
            )
            for row in plan.of(Change.NEW)
        ]
        bulk_create_with_history(new, Population, batch_size=500, **history)
        replaced = plan.of(Change.REPLACED)
        held = Population.objects.in_bulk([row.existing for row in replaced])
        changed = []
        for row in replaced:
            population = held[row.existing]
            population.people, population.source = row.people, row.source
            population.illustrative = illustrative
            changed.append(population)
        bulk_update_with_history(
            changed, Population, ["people", "source", "illustrative"], batch_size=500, **history
        )
        return plan

    def may_import(self, user, area) -> bool:
        return permissions.may_import_populations(user, area)


POPULATION_FILE = PopulationFile()


def _people(row, problems: Problems) -> int | None:
    text = row["population"].strip()
    if not text:
        problems.add(row, "the population is empty", "population")
        return None
    if not _WHOLE.match(text):
        problems.add(
            row, f"the population “{row['population']}” is not a whole number", "population"
        )
        return None
    people = int(text.replace(",", ""))
    if people <= 0:
        problems.add(
            row, f"the population {text} is not a positive number of people", "population"
        )
        return None
    if people > MAX_PEOPLE:
        problems.add(row, f"the population {text} is too large for an area", "population")
        return None
    return people
