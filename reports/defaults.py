"""The text a new board pack starts with. Pure: no Django import.

Two kinds of text: the standing text of a board's reports (who the report is from, the contact,
confidentiality, the reasons and the legal, risk and policy implications) is carried forward
from the board's previous pack when there is one, because it rarely changes; the text about the
quarter itself (the summary and the recommendations) always starts afresh from the quarter, so
that last quarter's words never reach this quarter's board unnoticed. Key highlights start
empty: they are this quarter's news.
"""

from __future__ import annotations

from bettercare.periods import Quarter

# Pack fields copied from the same board's previous pack, when one exists.
CARRIED_FORWARD_FIELDS = (
    "report_of",
    "contact_name",
    "contact_title",
    "contact_phone",
    "contact_email",
    "director_name",
    "director_title",
    "director_phone",
    "director_email",
    "confidentiality",
    "reasons",
    "alternatives",
    "consultation",
    "property_other",
    "statutory_power",
    "legal_implications",
    "conflict_of_interest",
    "risk_implications",
    "policy_implications",
    "key_decision",
    "wards_affected",
)


def default_text(*, quarter: Quarter, board_name: str) -> dict[str, str]:
    """The editable text of a pack for `board_name` about `quarter` when nothing else exists."""
    return {
        "report_of": "Director of Quality and Integration",
        "contact_name": "",
        "contact_title": "",
        "contact_phone": "",
        "contact_email": "",
        "director_name": "",
        "director_title": "",
        "director_phone": "",
        "director_email": "",
        "confidentiality": "None.",
        "brief_summary": (
            f"This report sets out the performance of the Better Care programme in "
            f"{quarter.label}. It gives the delivery of each scheme of the pooled fund, the key "
            f"highlights of the quarter against the programme's priorities, each scheme's "
            f"overall rating in the portfolio view, and the pooled fund's finance position."
        ),
        "recommendations": f"To note {quarter.label} performance for Better Care.",
        "reasons": (
            f"The {board_name} receives a performance report on the Better Care programme every "
            f"quarter so that it can oversee the pooled fund and the delivery of its schemes."
        ),
        "alternatives": "None: the board receives this report every quarter.",
        "consultation": (
            "Each scheme's lead wrote its highlight report, which the Integrated Commissioning "
            "Unit reviewed with them; the finance position was prepared with the partners' "
            "finance teams."
        ),
        "property_other": "None.",
        "statutory_power": (
            "Section 75 of the National Health Service Act 2006, under which the Council and the "
            "NHS commissioner pool their budgets, and the Better Care Fund's policy framework."
        ),
        "legal_implications": (
            "The pooled fund is held under a partnership agreement between the Council and the "
            "NHS commissioner made under Section 75 of the National Health Service Act 2006. "
            "The Better Care Fund sets national conditions that the area's plan must meet."
        ),
        "conflict_of_interest": "None.",
        "risk_implications": (
            "Each scheme reports its risks and mitigating actions every quarter; the programme's "
            "risks are kept in the Better Care risk register and reviewed by the board. Its key "
            "risks this quarter are:"
        ),
        "key_decision": "No.",
        "wards_affected": "All.",
        "policy_implications": (
            "The Better Care programme delivers the priorities of the Health and Wellbeing "
            "Strategy and the area's Better Care Plan."
        ),
    }
