"""The Better Care Fund's national conditions, as each policy framework set them. Pure: no
Django import.

The conditions in force for a financial year are listed here once, with stable codes; the
analyst records each area's compliance with them (`models.NationalCondition`), which the board
pack's legal implications and the quarterly return to NHS England state.
"""

from __future__ import annotations

from dataclasses import dataclass

from bettercare.periods import FinancialYear


@dataclass(frozen=True)
class Condition:
    code: str
    number: int
    text: str


# The Integration and Better Care Fund policy framework for 2017-19: four national conditions.
CONDITIONS_2017_19 = (
    Condition(
        "jointly_agreed_plan",
        1,
        "A jointly agreed plan between the CCG and the local authority, signed off by the "
        "Health and Wellbeing Board.",
    ),
    Condition(
        "social_care_contribution",
        2,
        "The NHS contribution to adult social care maintained in line with inflation.",
    ),
    Condition(
        "out_of_hospital_investment",
        3,
        "Agreement to invest in NHS-commissioned out-of-hospital services.",
    ),
    Condition(
        "high_impact_change_model",
        4,
        "Implementation of the High Impact Change Model for managing transfers of care.",
    ),
)

_BY_FIRST_YEAR = {2017: CONDITIONS_2017_19, 2018: CONDITIONS_2017_19}


def conditions_in_force(year: FinancialYear) -> tuple[Condition, ...]:
    """The national conditions of the policy framework covering `year`; empty for a year this
    catalogue does not cover (the analyst can still record none)."""
    return _BY_FIRST_YEAR.get(year.start_year, ())
