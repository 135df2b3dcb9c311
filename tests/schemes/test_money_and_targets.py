"""Familiar inputs: a negative spend is saved with a warning beside it (never refused); a
target typed "75%" is refused for an indicator counted in numbers, with a clear message, and
taken for one measured as a percentage."""

from decimal import Decimal

from schemes.models import HighlightReport

from .pages import form_data, url


def post(login, lead, report, **rows):
    return login(lead).post(url(report, name="report_edit"), form_data(report, rows=rows))


def test_a_negative_projected_spend_is_saved_and_flagged(login, lead, complete_draft):
    response = post(
        login,
        lead,
        complete_draft,
        financial_lines=[
            {"source": "CCG:nhs", "annual_value": "£1.240m", "projected_spend": "(£33k)"}
        ],
    )
    assert response.status_code == 302  # saved, not refused
    line = HighlightReport.objects.get(pk=complete_draft.pk).financial_lines.get()
    assert line.projected_spend == Decimal("-33000.00")
    page = login(lead).get(url(complete_draft, name="report_edit")).content.decode()
    assert 'data-testid="money-warning"' in page
    assert "The projected year end spend is negative ((£33,000))" in page


def test_a_percentage_typed_into_a_counted_target_is_refused_with_its_reason(
    login, lead, complete_draft
):
    indicator = {
        "indicator": "Carers identified",
        "unit": "number",
        "target": "75%",
        "measure_period": "Q1 2018/19",
    }
    response = post(login, lead, complete_draft, indicators=[indicator])
    page = response.content.decode()
    assert response.status_code == 200
    assert "The target is a number, so it cannot be “75%”" in page
    assert "choose “A percentage” above" in page
    assert 'value="75%"' in page  # kept as typed
    assert HighlightReport.objects.get(pk=complete_draft.pk).version == complete_draft.version

    response = post(login, lead, complete_draft, indicators=[{**indicator, "unit": "percent"}])
    assert response.status_code == 302
    saved = HighlightReport.objects.get(pk=complete_draft.pk).indicators.get()
    assert (saved.unit, saved.target) == ("percent", Decimal("75"))
    body = login(lead).get(url(complete_draft)).content.decode()
    assert "75%" in body


def test_a_percentage_beyond_100_is_refused(login, lead, complete_draft):
    indicator = {
        "indicator": "Reablement",
        "unit": "percent",
        "actual": "120",
        "measure_period": "Q1 2018/19",
    }
    page = post(login, lead, complete_draft, indicators=[indicator]).content.decode()
    assert "A percentage actual is between 0 and 100." in page
