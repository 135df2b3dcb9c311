"""Southampton's demo metric figures and populations, loaded through the same imports as an
analyst's files, and the 2018/19 DTOC plan revised as national guidance revised it."""

from __future__ import annotations

import csv
import io
from datetime import date

from bettercare.demo import FIXTURES
from bettercare.demo_scaling import scaled_metrics, scaled_populations
from bettercare.services import comparator_save

from .models import Metric, MetricImport, PlanRevision
from .services import metric_catalogue_ensure, metric_file_import, population_file_import

DEMO_FILE = FIXTURES / "metrics.csv"
REVISION_FILE = FIXTURES / "metrics-dtoc-revision-2018-07.csv"
POPULATIONS_FILE = FIXTURES / "populations.csv"
DESCRIPTION = (
    "Illustrative demo data: plans from the Southampton Better Care Plan 2017-19 targets; "
    "actual figures invented (see fixtures/southampton/generate_metrics.py)."
)
# As fixtures/southampton/generate_metrics.py writes them.
REVISION_REASON = (
    "Reset by national guidance (BCF operating guidance 2018/19, 19 July 2018) from the "
    "Quarter 3 2017/18 position: average daily delays down from 38.8 to 26.6 by September 2018 "
    "and held to year end."
)
REVISION_TAKES_EFFECT = date(2018, 7, 19)


def load(*, area, log) -> None:
    # The migration loads the catalogue; a database flushed since (a test's) has lost it.
    metric_catalogue_ensure()
    populations = population_file_import(
        content=POPULATIONS_FILE.read_bytes(),
        file_name=POPULATIONS_FILE.name,
        only_area=area,
        illustrative=True,
    )
    counts = populations.counts
    log(
        f"Populations (illustrative): {counts['new']} new, {counts['replaced']} replaced, "
        f"{counts['unchanged']} unchanged"
    )
    revised = PlanRevision.objects.filter(
        area=area, metric__code="dtoc_avg_daily_delays", effective=REVISION_TAKES_EFFECT
    ).exists()
    # Loaded again once the revision is recorded, the plans it replaced are not loaded back
    # over it: the figures as revised are, so nothing changes and loading stays idempotent.
    content = _with_revision(DEMO_FILE.read_bytes()) if revised else DEMO_FILE.read_bytes()
    result = metric_file_import(
        content=content,
        file_name=DEMO_FILE.name,
        via=MetricImport.Via.DEMO,
        only_area=area,
        illustrative=True,
        description=DESCRIPTION,
    )
    log(f"Metric figures (illustrative): {result.summary()}")
    result = metric_file_import(
        content=REVISION_FILE.read_bytes(),
        file_name=REVISION_FILE.name,
        via=MetricImport.Via.DEMO,
        only_area=area,
        illustrative=True,
        description="The 2018/19 DTOC trajectory as revised by the 2018/19 BCF operating "
        "guidance (19 July 2018).",
        revision_reason=REVISION_REASON,
        revision_effective=REVISION_TAKES_EFFECT,
    )
    log(f"Revised DTOC trajectory: {result.summary()}")
    load_comparators(log=log)


COMPARATORS_FIXTURES = FIXTURES.parent / "comparators"
COMPARATORS = {
    "E92000001": "England",
    "SNSOTON": "Southampton's statistical neighbours",
}


def load_comparators(*, log) -> None:
    """England and Southampton's statistical neighbours as comparators, with illustrative
    figures and populations (fixtures/comparators/generate_comparators.py), loaded through the
    same imports as an analyst's files. Loading again changes nothing."""
    for code, name in COMPARATORS.items():
        comparator_save(code=code, name=name)
    populations = COMPARATORS_FIXTURES / "populations.csv"
    population_file_import(
        content=populations.read_bytes(), file_name=populations.name, illustrative=True
    )
    figures = COMPARATORS_FIXTURES / "metrics.csv"
    result = metric_file_import(
        content=figures.read_bytes(),
        file_name=f"comparators-{figures.name}",
        via=MetricImport.Via.DEMO,
        illustrative=True,
        description="Illustrative comparators: England and Southampton's statistical "
        "neighbours, invented near Southampton's demo figures (see "
        "fixtures/comparators/generate_comparators.py).",
    )
    log(f"Comparators {', '.join(COMPARATORS.values())} (illustrative): {result.summary()}")


def _with_revision(content: bytes) -> bytes:
    """The demo figures with the revised plans in place of those they replaced."""

    def rows(data: bytes) -> list[dict]:
        return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))

    def key(row: dict) -> tuple:
        return (row["metric"], row["period"], row["series"], row["breakdown"])

    revised = {key(row): row for row in rows(REVISION_FILE.read_bytes())}
    figures = rows(content)
    merged = [revised.pop(key(row), row) for row in figures] + list(revised.values())
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(figures[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(merged)
    return out.getvalue().encode()


def load_scaled(*, area, scale, years, log) -> None:
    """Another demo area's populations and metric figures: Southampton's, scaled by population
    (`bettercare.demo_scaling`), for the financial years given; all marked illustrative."""
    metric_catalogue_ensure()
    population_file_import(
        content=scaled_populations(POPULATIONS_FILE.read_bytes(), scale),
        file_name=f"populations-{area.code}.csv",
        only_area=area,
        illustrative=True,
    )
    catalogue = {
        metric.code: {
            "unit": metric.unit,
            "frequency": metric.frequency,
            "direction": metric.direction,
        }
        for metric in Metric.objects.all()
    }
    content = scaled_metrics(DEMO_FILE.read_bytes(), scale, metrics=catalogue, years=years)
    result = metric_file_import(
        content=content,
        file_name=f"metrics-{area.code}.csv",
        via=MetricImport.Via.DEMO,
        only_area=area,
        illustrative=True,
        description=(
            f"Illustrative demo data: Southampton's demo figures scaled to {area.name}'s "
            "population (bettercare.demo_scaling), not the area's own."
        ),
    )
    log(f"{area.name} metric figures (illustrative): {result.summary()}")
