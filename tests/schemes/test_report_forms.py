"""The report form's fields as people type into them: money the way documents write it, shares
that must add up, targets with a percent sign, and periods. No database needed."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from schemes.forms import ROW_FORMSETS, IndicatorForm

D = Decimal


# The form needs only each partner's code and kind to offer its funding lines.
PARTNERS = [SimpleNamespace(code="CCG", kind="nhs"), SimpleNamespace(code="SCC", kind="council")]


def _finance_formset(data):
    return ROW_FORMSETS["financial_lines"](
        data, prefix="financial_lines", form_kwargs={"partners": PARTNERS}
    )


def _finance(*rows):
    data = {
        "financial_lines-TOTAL_FORMS": str(len(rows)),
        "financial_lines-INITIAL_FORMS": "0",
    }
    for index, (source, annual, spend) in enumerate(rows):
        data[f"financial_lines-{index}-source"] = source
        data[f"financial_lines-{index}-annual_value"] = annual
        data[f"financial_lines-{index}-projected_spend"] = spend
    formset = _finance_formset(data)
    formset.is_valid()
    return formset


def test_amounts_typed_with_the_templates_shares_are_accepted_when_they_add_up():
    formset = _finance(
        ("CCG:nhs", "£1.240m \u2013 90%", "£1.208m"), ("SCC:council", "£0.134m- 10%", "£0.133m")
    )
    assert formset.is_valid(), formset.errors
    assert [row["annual_value"] for row in formset.rows()] == [D("1240000.00"), D("134000.00")]


def test_a_split_that_does_not_add_up_is_refused_beside_each_amount():
    formset = _finance(("CCG:nhs", "£1.240m \u2013 90%", ""), ("SCC:council", "£0.134m - 20%", ""))
    assert not formset.is_valid()
    for form in formset.forms:
        assert "add up to 110%, not 100%" in form.errors["annual_value"][0]
        assert form["annual_value"].value() in {"£1.240m \u2013 90%", "£0.134m - 20%"}  # kept


def test_one_line_per_funding_source():
    formset = _finance(("CCG:nhs", "£1m", ""), ("CCG:nhs", "£2m", ""))
    assert "already on another line" in formset.forms[1].errors["source"][0]


def test_another_source_needs_its_name():
    formset = _finance(("other", "£1m", ""))
    assert formset.forms[0].errors["other_source"] == ["Name the other funding source."]


def test_a_blank_extra_row_is_ignored_and_a_removed_row_is_dropped():
    formset = _finance(("CCG:nhs", "£1m", "£1m"), ("", "", ""), ("SCC:council", "nonsense", ""))
    formset.data = formset.data.copy() | {"financial_lines-2-DELETE": "on"}
    formset = _finance_formset(formset.data)
    assert formset.is_valid(), formset.errors
    assert [(row["partner"], row["source"]) for row in formset.rows()] == [("CCG", "nhs")]


def test_the_funding_sources_offered_are_the_areas_partners_sources_and_other():
    choices = _finance(("", "", "")).forms[0].fields["source"].choices
    assert choices == [
        ("", "Choose a source"),
        ("CCG:nhs", "CCG"),
        ("CCG:other_grant", "CCG other grants"),
        ("SCC:council", "SCC"),
        ("SCC:ibcf", "SCC iBCF"),
        ("SCC:dfg", "SCC DFG"),
        ("SCC:other_grant", "SCC other grants"),
        ("other", "Other"),
    ]
    refused = _finance(("PCC:nhs", "£1m", ""))  # not a partner of the area
    assert "Select a valid choice" in refused.forms[0].errors["source"][0]


@pytest.mark.parametrize(
    ("unit", "target", "actual", "period", "valid", "stored_period"),
    [
        ("percent", "90%", "88%", "Q4 2017/18", True, "2017-18-Q4"),
        ("percent", "90", "88", "Q4 2017/18", True, "2017-18-Q4"),
        ("number", "90%", "88", "Q4 2017/18", False, None),  # "%" in a counted target
        ("", "75%", "", "Q4 2017/18", False, None),  # counted unless said otherwise
        ("number", "1,375", "2021", "2017/18", True, "2017-18"),
        ("percent", "1,375", "", "2017/18", False, None),  # not a percentage
        ("", "", "", "", True, ""),
        ("number", "90", "", "", False, None),  # a target needs its period
        ("number", "ninety", "", "Q1 2018/19", False, None),
        ("number", "90", "88", "Q5 2018/19", False, None),
    ],
)
def test_indicator_numbers_and_their_period(unit, target, actual, period, valid, stored_period):
    form = IndicatorForm(
        {
            "indicator": "Crisis response within 2 hours",
            "unit": unit,
            "target": target,
            "actual": actual,
            "measure_period": period,
        }
    )
    assert form.is_valid() is valid, form.errors
    if valid:
        assert form.row_values()["measure_period"] == stored_period


def test_a_half_filled_row_says_what_it_needs():
    formset = _finance(("", "£1m", ""))
    assert formset.forms[0].errors["source"] == ["Choose the funding source."]
    risks = ROW_FORMSETS["risks"](
        {
            "risks-TOTAL_FORMS": "1",
            "risks-INITIAL_FORMS": "0",
            "risks-0-risk": "",
            "risks-0-mitigation": "A mitigation with no risk",
        },
        prefix="risks",
    )
    assert not risks.is_valid()
    assert risks.forms[0].errors["risk"] == ["Enter the risk, or remove this row."]
