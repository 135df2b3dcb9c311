"""Southampton's demo metric figures, loaded through the same import as an analyst's file."""

from __future__ import annotations

from bettercare.demo import FIXTURES

from .models import MetricImport
from .services import metric_catalogue_ensure, metric_file_import

DEMO_FILE = FIXTURES / "metrics.csv"
DESCRIPTION = (
    "Illustrative demo data: plans from the Southampton Better Care Plan 2017-19 targets; "
    "actual figures invented (see fixtures/southampton/generate_metrics.py)."
)


def load(*, area, log) -> None:
    # The migration loads the catalogue; a database flushed since (a test's) has lost it.
    metric_catalogue_ensure()
    # The file names its area in every row; the demo's is the area being loaded.
    result = metric_file_import(
        content=DEMO_FILE.read_bytes(),
        file_name=DEMO_FILE.name,
        via=MetricImport.Via.DEMO,
        only_area=area,
        illustrative=True,
        description=DESCRIPTION,
    )
    log(f"Metric figures (illustrative): {result.summary()}")
