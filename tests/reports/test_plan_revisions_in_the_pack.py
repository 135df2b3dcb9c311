"""The board is told when targets follow a revised plan: a revision loaded from the command
line is noted in the pack where the performance table rates against it, and offered to the
secretary to cite in the pack's reasons."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from bettercare.periods import Month
from tests.metrics.factories import figures_csv, monthly

pytestmark = pytest.mark.django_db
SOTON = "E06000045"
REASON = "Reset by national guidance from the Quarter 3 2017/18 position"
REVISED = figures_csv(
    [
        (SOTON, "dtoc_avg_daily_delays", "2018-07", "plan", "29.3"),
        (SOTON, "dtoc_avg_daily_delays", "2018-08", "plan", "28.0"),
        (SOTON, "dtoc_avg_daily_delays", "2018-09", "plan", "26.6"),
    ]
)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def write(tmp_path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_the_pack_tells_the_board_the_targets_follow_the_revision(
    pack, figures, login, secretary, tmp_path
):
    """Loaded from the command line, the revision is noted in the pack's performance table
    where the table rates against it, and the secretary is offered it to cite in the pack's
    reasons."""
    rows = monthly(SOTON, "dtoc_avg_daily_delays", Month(2018, 4), ["23.4"] * 6, series="plan")
    rows += monthly(SOTON, "dtoc_avg_daily_delays", Month(2018, 4), [33, 31, 30, 29.5, 28.6])
    call_command(
        "import_metrics", write(tmp_path, "plan.csv", figures_csv(rows)), stdout=io.StringIO()
    )
    call_command(
        "import_metrics",
        write(tmp_path, "revised.csv", REVISED),
        "--reason",
        REASON,
        "--effective",
        "2018-07-19",
        stdout=io.StringIO(),
    )
    client = login(secretary)
    shown = text_of(client.get(reverse("reports:pack_detail", args=[pack.pk])).content.decode())
    note = f"Target revised from 19 July 2018: {REASON}"
    assert note in shown
    assert "Slightly Off Track (28.6 vs. 28.0 target)" in shown
    edit = text_of(client.get(reverse("reports:pack_edit", args=[pack.pk])).content.decode())
    assert (
        "Plan revisions in force at the pack's data month, for the reasons to cite: "
        f"Delayed Transfers of Care: average daily delays: {note}" in edit
    )
