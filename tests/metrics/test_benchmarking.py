"""Benchmarking between areas (issue 15, item 3): rates per 100,000, rank, quartile and the gap
to the median worked out with pandas; comparators loaded through the same imports, shown as
lines, never ranked; the same figures from `manage.py benchmark`, the page and its chart.

Every test builds its own areas (factories and the import services), not the demo's."""

import io
import json
import math

import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bettercare.models import Area
from bettercare.roles import Role
from bettercare.selectors import area_get_for_user, areas_for_user
from bettercare.services import comparator_save
from metrics import benchmarking, charts
from metrics.benchmarking import Basis, Direction
from metrics.models import MetricImport, MetricValue
from metrics.selectors.benchmarks import benchmark
from metrics.services import metric_file_import, population_file_import
from tests.factories import AreaFactory

from .factories import figures_csv

pytestmark = pytest.mark.django_db
POPULATION_HEADER = ["area", "financial_year", "age_group", "population", "source"]
ENGLAND = "E92000001"


# --- The arithmetic, on a data frame (no database) -------------------------------------------


def frame(rows):
    return pd.DataFrame(rows, columns=list(benchmarking.COLUMNS))


def test_counts_are_ranked_per_100000_with_lower_better_ties_sharing_the_better_rank():
    result = benchmarking.benchmark(
        frame(
            [
                ("E06000001", "Alpha", "hwb", 300, 100_000),  # 300 per 100,000
                ("E06000002", "Beta", "hwb", 200, 100_000),  # 200
                ("E06000003", "Gamma", "hwb", 400, 200_000),  # 200: tied with Beta
                ("E06000004", "Delta", "hwb", 500, 100_000),  # 500
                (ENGLAND, "England", "comparator", 250_000, 100_000_000),  # 250
            ]
        ),
        basis=Basis.PER_100K,
        direction=Direction.LOWER,
    )
    ranks = {row.name: (row.rank, row.rate) for row in result.areas}
    assert ranks == {
        "Beta": (1, 200.0),
        "Gamma": (1, 200.0),
        "Alpha": (3, 300.0),
        "Delta": (4, 500.0),
    }
    assert [row.quartile for row in result.areas] == [1, 1, 3, 4]
    assert result.median == 250.0
    assert result.area("E06000004").gap_to_median == 250.0
    assert result.area("E06000002").gap_to_median == -50.0
    # England is a line, never ranked and never in the median.
    assert [(line.name, line.rate) for line in result.comparators] == [("England", 250.0)]
    assert result.ranked == 4


def test_higher_is_better_ranks_the_highest_first_and_percentages_are_compared_as_they_are():
    result = benchmarking.benchmark(
        frame([("A1", "A", "hwb", 85.0, None), ("B1", "B", "hwb", 91.5, None)]),
        basis=Basis.AS_IS,
        direction=Direction.HIGHER,
    )
    assert [(row.name, row.rank, row.rate) for row in result.areas] == [
        ("B", 1, 91.5),
        ("A", 2, 85.0),
    ]


def test_an_area_without_figure_or_population_is_listed_unranked_and_a_comparator_is_flagged():
    result = benchmarking.benchmark(
        frame(
            [
                ("A1", "A", "hwb", 10, 1000),
                ("B1", "B", "hwb", 10, None),  # no population: no rate
                ("C1", "C", "hwb", None, 1000),  # no figure
                (ENGLAND, "England", "comparator", 5000, None),
            ]
        ),
        basis=Basis.PER_100K,
        direction=Direction.LOWER,
    )
    assert [(row.name, row.rank, row.quartile) for row in result.areas] == [
        ("A", 1, 1),
        ("B", None, None),
        ("C", None, None),
    ]
    assert result.comparators == []
    assert [line.name for line in result.comparators_without_population] == ["England"]


def test_a_worked_out_rate_shows_the_rate_as_its_value():
    result = benchmarking.benchmark(
        frame([("A1", "A", "hwb", 27, 34_134)]), basis=Basis.WORKED_OUT, direction="lower"
    )
    row = result.areas[0]
    assert math.isclose(row.value, 79.1000, rel_tol=1e-4) and row.value == row.rate


@pytest.mark.parametrize(
    ("rank", "ranked", "quartile"),
    [(1, 150, 1), (38, 150, 1), (39, 150, 2), (75, 150, 2), (76, 150, 3), (150, 150, 4),
     (1, 1, 1), (2, 2, 3)],
)  # fmt: skip
def test_quartiles_split_the_ranked_areas_in_four(rank, ranked, quartile):
    assert benchmarking.quartile_of(rank, ranked) == quartile


# --- Areas and comparators, loaded through the imports ---------------------------------------


def make_areas(count: int) -> list[Area]:
    return [AreaFactory(code=f"E06{900 + n:06d}", name=f"Town {n:02d}") for n in range(count)]


def load_figures(areas, *, month="2018-08", with_england=True, england_population=True):
    """Non-elective admissions for each area (100 x its number + 1000) and its population of
    all ages (100,000 each), and England's, through the imports as an analyst's files."""
    rows = [
        (area.code, "nel_admissions", month, "actual", str(1000 + 100 * n))
        for n, area in enumerate(areas)
    ]
    people = [
        (area.code, "2018-19", group, "100000", "ONS mid-2018")
        for area in areas
        for group in ("all", "18+", "65+")
    ]
    if with_england:
        comparator_save(code=ENGLAND, name="England")
        rows.append((ENGLAND, "nel_admissions", month, "actual", "495000"))
        if england_population:
            people += [
                (ENGLAND, "2018-19", group, str(number), "ONS mid-2018")
                for group, number in (("all", 55_977_200), ("18+", 43_825_000), ("65+", 10_186_100))
            ]
    population_file_import(
        content=figures_csv(people, header=POPULATION_HEADER), file_name="people.csv"
    )
    metric_file_import(
        content=figures_csv(rows), file_name="figures.csv", via=MetricImport.Via.COMMAND
    )


def run(*args) -> str:
    out = io.StringIO()
    call_command("benchmark", *args, stdout=out)
    return out.getvalue()


def test_the_command_ranks_every_area_with_england_as_a_comparator_in_the_issues_keys():
    areas = make_areas(4)
    load_figures(areas)
    printed = json.loads(
        run("--metric", "nel_admissions", "--month", "2018-08", "--format", "json")
    )
    assert list(printed) == ["metric", "month", "areas", "comparators"]
    assert printed["metric"] == "nel_admissions" and printed["month"] == "2018-08"
    assert [list(row) for row in printed["areas"]] == [
        ["area", "name", "value", "rate", "rank", "quartile"]
    ] * 4
    # Lower is better for admissions: the fewest per 100,000 first.
    ranked = [(row["name"], row["rank"], row["quartile"], row["rate"]) for row in printed["areas"]]
    assert ranked == [
        ("Town 00", 1, 1, 1000.0),
        ("Town 01", 2, 2, 1100.0),
        ("Town 02", 3, 3, 1200.0),
        ("Town 03", 4, 4, 1300.0),
    ]
    (england,) = printed["comparators"]
    assert england["name"] == "England" and "rank" not in england
    assert england["rate"] == round(495000 / 55_977_200 * 100_000, 4)


def test_the_command_ranks_only_the_areas_named_and_prints_a_table(capsys):
    areas = make_areas(3)
    load_figures(areas)
    table = run(
        "--metric", "nel_admissions", "--month", "2018-08", "--format", "table",
        "--area", areas[2].code, "--area", areas[1].code,
    )  # fmt: skip
    assert "2 areas ranked, 1 the best" in table
    assert "Town 00" not in table
    lines = [line for line in table.splitlines() if "Town" in line or "England" in line]
    assert lines[0].startswith("1 ") and "Town 01" in lines[0] and "1,100" in lines[0]
    assert "Town 02" in lines[1] and "50.0 above the median" in lines[1]
    assert "England (comparator)" in lines[2] and "884.3" in lines[2]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--metric", "no_such_metric"], "There is no metric with the code “no_such_metric”"),
        (["--month", "2030-08"], "No area has a figure of Non Elective Admissions"),
        (["--month", "August"], "is not a month"),
        (["--area", "E06000999"], "There is no area with the ONS code E06000999"),
        (["--area", ENGLAND], "E92000001 is a comparator"),
        (["--metric", "reablement_91"], "published for a financial year"),
    ],
)
def test_bad_input_is_named_and_exits_with_status_1(args, message):
    load_figures(make_areas(2))
    options = {"--metric": "nel_admissions", "--month": "2018-08"}
    for name, value in zip(args[::2], args[1::2], strict=True):
        options[name] = value
    argv = [part for pair in options.items() for part in pair]
    with pytest.raises(CommandError, match=message):
        run(*argv)
    # From the shell, a CommandError is the message and exit status 1.
    with pytest.raises(SystemExit) as exited:
        from django.core.management import ManagementUtility

        ManagementUtility(["manage.py", "benchmark", *argv]).execute()
    assert exited.value.code == 1


def test_a_comparator_without_population_is_a_clear_message_and_status_1():
    load_figures(make_areas(2), england_population=False)
    with pytest.raises(CommandError, match=r"England \(E92000001\) has no population all ages"):
        run("--metric", "nel_admissions", "--month", "2018-08")
    # A rate loaded as it is needs no population: England is drawn from its figure.
    metric_file_import(
        content=figures_csv([(ENGLAND, "dtoc_rate", "2018-08", "actual", "4.5"),
                             ("E06000900", "dtoc_rate", "2018-08", "actual", "3.9")]),
        file_name="rates.csv", via=MetricImport.Via.COMMAND,
    )  # fmt: skip
    printed = json.loads(run("--metric", "dtoc_rate", "--month", "2018-08"))
    assert printed["comparators"] == [
        {"area": ENGLAND, "name": "England", "value": 4.5, "rate": 4.5}
    ]


def test_queries_do_not_grow_with_the_areas():
    def count(areas_made):
        with CaptureQueriesContext(connection) as queries:
            bench = benchmark(metric="nel_admissions", month="2018-08")
        assert bench.result.ranked == areas_made
        return len(queries)

    load_figures(make_areas(2))
    two = count(2)
    load_figures(make_areas(5))
    assert count(5) == two
    assert two <= 4  # the metric, its worked-out rate's age group, the figures, populations


# --- Comparators as areas: never reportable, loaded by analysts ------------------------------


def test_a_comparator_is_never_an_area_a_person_reports_for(make_user):
    town = AreaFactory(code="E06000901", name="Town")
    england = comparator_save(code=ENGLAND, name="England")
    analyst = make_user("analyst-town", Role.ANALYST, [town, england])
    assert areas_for_user(analyst) == [town]
    assert area_get_for_user(user=analyst, code=ENGLAND) is None


def test_an_analyst_uploads_englands_figures_beside_their_own_but_not_another_areas(
    make_user,
):
    town, other = make_areas(2)
    comparator_save(code=ENGLAND, name="England")
    analyst = make_user("analyst-town", Role.ANALYST, [town])
    content = figures_csv(
        [(town.code, "nel_admissions", "2018-08", "actual", "1000"),
         (ENGLAND, "nel_admissions", "2018-08", "actual", "495000")]
    )  # fmt: skip
    metric_file_import(
        content=content, file_name="f.csv", via=MetricImport.Via.UPLOAD, user=analyst,
        only_area=town,
    )  # fmt: skip
    assert MetricValue.objects.get(area__code=ENGLAND).value == 495000
    from bettercare.tabular import FileRefused

    with pytest.raises(FileRefused) as refused:
        metric_file_import(
            content=figures_csv([(other.code, "nel_admissions", "2018-08", "actual", "1"),
                                 (ENGLAND, "nel_admissions", "2018-08", "actual", "1")]),
            file_name="f.csv", via=MetricImport.Via.UPLOAD, user=analyst, only_area=town,
        )  # fmt: skip
    # Refused whole: England's row is not written either.
    (problem,) = refused.value.problems
    assert "but this upload is for Town 00" in str(problem)
    assert MetricValue.objects.get(area__code=ENGLAND).value == 495000


def test_a_board_secretary_may_not_load_englands_figures(make_user):
    from django.core.exceptions import PermissionDenied

    (town,) = make_areas(1)
    comparator_save(code=ENGLAND, name="England")
    secretary = make_user("secretary-town", Role.BOARD_SECRETARY, [town])
    with pytest.raises(PermissionDenied):
        metric_file_import(
            content=figures_csv([(ENGLAND, "nel_admissions", "2018-08", "actual", "1")]),
            file_name="f.csv", via=MetricImport.Via.UPLOAD, user=secretary, only_area=town,
        )  # fmt: skip
    assert not MetricValue.objects.filter(area__code=ENGLAND).exists()


# --- The page and its chart -----------------------------------------------------------------


def page(client, **query):
    return client.get(reverse("metrics:benchmark"), query)


def test_the_page_ranks_only_the_persons_areas_with_england_and_highlights_the_current_one(
    make_user, login
):
    areas = make_areas(3)
    load_figures(areas)
    analyst = make_user("icb", Role.ANALYST, areas[1:])  # holds Town 01 and Town 02
    response = page(login(analyst), metric="nel_admissions", month="2018-08")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Town 00" not in body  # not held: its figures are private to its own people
    bench = response.context["bench"]
    assert [(row.name, row.rank) for row in bench.result.areas] == [
        ("Town 01", 1),
        ("Town 02", 2),
    ]
    assert "England" in body and "(comparator, not ranked)" in body
    assert "<strong>Town 01</strong> (this area)" in body
    assert "Town 01 is ranked 1 of 2 (quartile 1): 1,100, 50.0 below the median." in body
    assert 'data-testid="benchmark-chart"' in body


def test_the_page_says_what_is_wrong_instead_of_failing(make_user, login):
    (town,) = make_areas(1)
    load_figures([town], england_population=False)
    client = login(make_user("analyst-town", Role.ANALYST, [town]))
    response = page(client, metric="nel_admissions", month="2030-01")
    assert response.status_code == 200
    assert "No area has a figure of Non Elective Admissions" in response.content.decode()
    response = page(client, metric="nope", month="2018-08")
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    response = page(client, metric="nel_admissions", month="2018-13")
    assert response.status_code == 200 and "Month 13 does not exist" in response.content.decode()
    response = page(client, metric="nel_admissions", month="2018-08")
    warning = "England (E92000001) has no population all ages for 2018/19"
    assert warning in response.content.decode()


def test_no_one_outside_the_areas_sees_the_page(make_user, login, client):
    load_figures(make_areas(2))
    assert page(client, metric="nel_admissions").status_code == 302  # to the login page
    stranger = make_user("analyst-nowhere", Role.ANALYST, [])
    response = page(login(stranger), metric="nel_admissions", month="2018-08")
    assert response.status_code == 403 and "Town" not in response.content.decode()


def test_the_pages_queries_do_not_grow_with_the_areas(make_user, login, client):
    def count(areas):
        analyst = make_user(f"analyst-{len(areas)}", Role.ANALYST, areas)
        login(analyst)
        with CaptureQueriesContext(connection) as queries:
            response = page(client, metric="nel_admissions", month="2018-08")
        assert response.context["bench"].result.ranked == len(areas)
        return len(queries)

    two = make_areas(2)
    load_figures(two)
    five = [*two, *[AreaFactory(code=f"E06{950 + n:06d}", name=f"City {n}") for n in range(3)]]
    load_figures(five)
    assert count(two) == count(five)


def test_the_chart_marks_the_current_area_by_hatching_and_label_and_england_by_a_line():
    areas = make_areas(3)
    load_figures(areas)
    bench = benchmark(metric="nel_admissions", month="2018-08")
    figure = charts.benchmark_chart(bench, highlight=areas[1].code)
    bars = figure.data[0]
    assert list(bars.y) == ["1. Town 00", "2. Town 01 (this area)", "3. Town 02"]
    assert list(bars.marker.pattern.shape) == ["", "/", ""]
    assert [shape["x0"] for shape in figure.layout.shapes] == [bench.result.comparators[0].rate]
    assert figure.data[1].name == "England: 884.3"
    assert "lower is better" in figure.layout.xaxis.title.text


def test_an_area_code_is_an_ons_code_and_a_comparators_may_be_the_installations_own():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="An ONS area code is E06"):
        Area(code="SNSOTON", name="Not an area").full_clean(exclude=["members"])
    group = Area(code="SNSOTON", name="Neighbours", kind=Area.Kind.COMPARATOR)
    group.full_clean(exclude=["members"])
    with pytest.raises(ValueError, match="not a comparator"):
        comparator_save(code=AreaFactory(code="E06000901").code, name="Town")
