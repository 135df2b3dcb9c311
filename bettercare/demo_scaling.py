"""The demo's other areas, made from Southampton's figures: pure arithmetic on the CSV files
the demo imports, with no Django import, so the same area always gets the same figures.

An area's counts (admissions, delayed days, money) are Southampton's times the ratio of the
two populations; its percentages and rates are Southampton's own. Then a small fixed lean
(`Scale.lean`, e.g. 1.06) moves the area's actual figures, not its plans, the worse way for
each metric (up where lower is better, down where higher is better), so that areas rate
differently from one another: without it every area would be Southampton in miniature.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

# Units whose figures grow with the population; the others (percent, rate) are per head.
SCALED_UNITS = frozenset({"count", "days", "per_day"})
PENNY = Decimal("0.01")


@dataclass(frozen=True)
class Scale:
    area_code: str
    area_name: str
    population: int
    source_population: int
    lean: Decimal = Decimal("1")
    # Southampton's partner codes as this area names its partners, e.g. {"SCC": "PCC"}.
    partner_codes: dict[str, str] = field(default_factory=dict)
    source_name: str = "Southampton"

    @property
    def factor(self) -> Decimal:
        return Decimal(self.population) / Decimal(self.source_population)

    def money(self, amount: str | Decimal) -> Decimal:
        """An amount of Southampton's pooled fund, budgets or forecasts, at this area's size,
        to the penny."""
        return (Decimal(amount) * self.factor).quantize(PENNY, rounding=ROUND_HALF_UP)

    def people(self, count: str | int) -> int:
        return int((Decimal(count) * self.factor).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def partner(self, code: str) -> str:
        return self.partner_codes.get(code, code)


def financial_year_of(period: str, frequency: str) -> int | None:
    """The first calendar year of the financial year a metric's period falls in: 2017 for
    2017-18 (an annual period) or for any month from 2017-04 to 2018-03."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", period.strip())
    if not match:
        return None
    year, second = int(match.group(1)), int(match.group(2))
    if frequency == "annual":
        return year
    if frequency == "quarterly" and not 1 <= second <= 12:
        return None
    return year if second >= 4 else year - 1


def _decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _rounded_like(value: Decimal, original: str) -> str:
    places = _decimals(original)
    step = Decimal(1).scaleb(-places)
    return str(value.quantize(step, rounding=ROUND_HALF_UP))


def _read(content: bytes) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(content.decode("utf-8")))
    return list(reader.fieldnames or []), list(reader)


def _write(columns: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def scaled_metrics(
    content: bytes, scale: Scale, *, metrics: dict[str, dict], years: set[int]
) -> bytes:
    """A metrics file (`metrics.imports` columns) of Southampton made this area's, keeping
    only the periods of `years` (first calendar years, e.g. {2017, 2018}). `metrics` gives
    each metric's `unit`, `frequency` and `direction` (the catalogue's)."""
    columns, rows = _read(content)
    kept = []
    for row in rows:
        metric = metrics.get(row["metric"])
        if metric is None or financial_year_of(row["period"], metric["frequency"]) not in years:
            continue
        row = dict(row, area=scale.area_code)
        if row["note"]:
            row["note"] = row["note"].replace(scale.source_name, scale.area_name)
        if row["value"].strip():
            value = Decimal(row["value"])
            if metric["unit"] in SCALED_UNITS:
                value *= scale.factor
            if row["series"] == "actual":
                value = value * scale.lean if metric["direction"] == "lower" else value / scale.lean
            if metric["unit"] == "percent":
                value = min(value, Decimal(100))
            row["value"] = _rounded_like(value, row["value"])
        kept.append(row)
    return _write(columns, kept)


def scaled_populations(content: bytes, scale: Scale) -> bytes:
    """A populations file of Southampton made this area's, each figure marked illustrative."""
    columns, rows = _read(content)
    for row in rows:
        row["area"] = scale.area_code
        row["population"] = str(scale.people(row["population"]))
        row["source"] = (
            f"Illustrative: {scale.source_name}'s population scaled to near the ONS mid-2018 "
            f"estimate for {scale.area_name} ({scale.population:,})"
        )
    return _write(columns, rows)


def scaled_finance(content: bytes, scale: Scale) -> bytes:
    """A finance file (budgets and forecasts) of Southampton made this area's, to the penny."""
    columns, rows = _read(content)
    for row in rows:
        row["area"] = scale.area_code
        row["partner"] = scale.partner(row["partner"])
        if row["amount"].strip():
            amount = scale.money(row["amount"])
            if row["kind"] == "forecast":
                amount = (amount * scale.lean).quantize(PENNY, rounding=ROUND_HALF_UP)
            row["amount"] = str(amount)
        if "note" in row:
            row["note"] = ""
    return _write(columns, rows)
