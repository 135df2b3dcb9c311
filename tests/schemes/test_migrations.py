"""The scheme register moving to bettercare, and funding lines naming their partner and source
(bettercare 0004 and schemes 0003 to 0006): what was recorded before is all there after."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("bettercare", "0002_staged_import"),
    ("schemes", "0002_highlight_reports"),
    ("finance", "0001_initial"),
    ("reports", "0005_chart_drawings"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_schemes_budgets_ratings_and_funding_lines_survive_the_move(area):
    old = migrate(BEFORE)
    try:
        Scheme = old.get_model("schemes", "Scheme")
        ccg, scc = area.partners.get(code="CCG"), area.partners.get(code="SCC")
        scheme = Scheme.objects.create(
            area_id=area.pk, number=1, name="Carers", host_id=scc.pk, first_year="2017-18"
        )
        old.get_model("finance", "Budget").objects.create(
            area_id=area.pk,
            financial_year="2018-19",
            scheme_id=scheme.pk,
            partner_id=ccg.pk,
            amount=1240000,
            funding_source="nhs",
        )
        report = old.get_model("schemes", "HighlightReport").objects.create(
            scheme_id=scheme.pk, quarter="2017-18-Q4", host_organisation="SCC"
        )
        Line = old.get_model("schemes", "FinancialLine")
        for position, (source, other) in enumerate(
            [("ccg", ""), ("scc", ""), ("scc_ibcf", ""), ("other", "Disabled Facilities Grant")]
        ):
            Line.objects.create(
                report_id=report.pk,
                position=position,
                source=source,
                other_source=other,
                annual_value=1000 * (position + 1),
            )
    finally:
        new = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    moved = new.get_model("bettercare", "Scheme").objects.get(pk=scheme.pk)
    assert (moved.number, moved.name) == (1, "Carers")
    budget = new.get_model("finance", "Budget").objects.get()
    assert budget.scheme_id == scheme.pk
    lines = new.get_model("schemes", "FinancialLine").objects.order_by("position")
    assert [(line.partner_id, line.source, line.other_source) for line in lines] == [
        (ccg.pk, "nhs", ""),
        (scc.pk, "council", ""),
        (scc.pk, "ibcf", ""),
        (None, "other", "Disabled Facilities Grant"),
    ]
    # Permissions and admin history hang off the content type: it followed the model.
    assert ContentType.objects.filter(app_label="bettercare", model="scheme").exists()
    assert not ContentType.objects.filter(app_label="schemes", model="scheme").exists()
