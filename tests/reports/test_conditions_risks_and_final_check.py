"""The parts of the council's template the pack fills from records: the national conditions
the analyst records (the legal implications state compliance from them), the programme's key
risks (chosen from the quarter's scheme risks or written, carried forward), and the check
before Final (what the pack lacks, a reason kept with the version)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bettercare.periods import FinancialYear, parse_quarter
from reports.assembly import SCREEN, PackAssembly
from reports.models import NationalCondition, PackRisk
from reports.selectors import national_conditions_for, pack_lacking, quarter_scheme_risks
from reports.services import (
    ConditionEntry,
    RiskText,
    national_conditions_save,
    pack_create,
    pack_text_save,
)
from reports.wording import describe_compliance

from .building import run_requested_build
from .conftest import accepted_report

pytestmark = pytest.mark.django_db

YEAR = FinancialYear(2018)
CODES = [
    "jointly_agreed_plan",
    "social_care_contribution",
    "out_of_hospital_investment",
    "high_impact_change_model",
]


def screen(pack) -> str:
    assembly = PackAssembly(pack, version_label="Test")
    return "".join(assembly.render_sections(medium=SCREEN, public=False))


def test_the_four_conditions_of_2017_19_start_not_assessed_and_the_pack_says_so(pack):
    conditions = national_conditions_for(area=pack.area, year=YEAR)
    assert [item.code for item in conditions] == CODES
    assert {item.compliance for item in conditions} == {"not_assessed"}
    html = screen(pack)
    assert "The Better Care Fund's national conditions for 2018/19 are:" in html
    assert "Compliance with conditions 1, 2, 3 and 4 have not been assessed yet." in html


@pytest.mark.parametrize(
    ("states", "words"),
    [
        (["compliant"] * 4, "Southampton is compliant with all four of these conditions."),
        (
            ["compliant", "compliant", "not_compliant", "compliant"],
            "Southampton is compliant with conditions 1, 2 and 4. Southampton is not compliant "
            "with condition 3: Agreement to invest in NHS-commissioned out-of-hospital services.",
        ),
        (
            ["compliant", "not_assessed", "compliant", "compliant"],
            "Southampton is compliant with conditions 1, 3 and 4. Compliance with condition 2 "
            "has not been assessed yet.",
        ),
    ],
)
def test_the_legal_implications_state_compliance_from_the_analysts_record(
    pack, analyst, states, words
):
    national_conditions_save(
        area=pack.area,
        year=YEAR,
        entries=[
            ConditionEntry(code=code, compliance=state, note="Plan for it agreed in July.")
            for code, state in zip(CODES, states, strict=True)
        ],
        user=analyst,
    )
    html = screen(pack)
    assert words.replace("'", "&#x27;") in html
    assert PackAssembly(pack, version_label="Test").figures()["sections"]["legal"] == [
        {"number": number, "code": code, "compliance": state}
        for number, (code, state) in enumerate(zip(CODES, states, strict=True), start=1)
    ]


def test_condition_records_are_checked_and_kept_by_area_and_year(pack, analyst, other_area):
    with pytest.raises(ValidationError) as refused:
        national_conditions_save(
            area=pack.area,
            year=YEAR,
            entries=[
                ConditionEntry(code="jointly_agreed_plan", compliance="not_compliant"),
                ConditionEntry(code="made_up", compliance="compliant"),
            ],
            user=analyst,
        )
    assert refused.value.messages == [
        "Condition 1 is not compliant: say in its note what is being done.",
        "“made_up” is not a national condition of 2018/19.",
    ]
    assert not NationalCondition.objects.exists()
    national_conditions_save(
        area=pack.area,
        year=YEAR,
        entries=[ConditionEntry(code="jointly_agreed_plan", compliance="compliant")],
        user=analyst,
    )
    assert national_conditions_for(area=other_area, year=YEAR)[0].compliance == "not_assessed"
    assert national_conditions_for(area=pack.area, year=YEAR)[0].compliance == "compliant"
    assert national_conditions_for(area=pack.area, year=FinancialYear(2020)) == []
    assert describe_compliance([], area="Southampton").startswith("No national conditions")


def test_analysts_record_the_conditions_on_their_page_and_others_only_read_them(
    pack, login, analyst, secretary, lead
):
    url = reverse("reports:conditions") + "?year=2018-19"
    page = login(analyst).get(url).content.decode()
    assert "Implementation of the High Impact Change Model" in page
    data = {"form-TOTAL_FORMS": "4", "form-INITIAL_FORMS": "4"}
    for index, code in enumerate(CODES):
        data |= {
            f"form-{index}-code": code,
            f"form-{index}-compliance": "compliant",
            f"form-{index}-note": "",
        }
    data["form-2-compliance"] = "not_compliant"
    refused = login(analyst).post(url, data)
    assert refused.status_code == 400
    assert "Condition 3 is not compliant: say in its note what is being done." in (
        refused.content.decode()
    )
    data["form-2-note"] = "Investment agreed for Quarter 3."
    assert login(analyst).post(url, data).status_code == 302
    assert NationalCondition.objects.get(code=CODES[2]).note == "Investment agreed for Quarter 3."
    assert login(secretary).get(url).status_code == 200
    assert login(secretary).post(url, data).status_code == 403
    assert login(lead).get(url).status_code == 403


def test_key_risks_are_chosen_from_the_schemes_or_written_and_carried_forward(
    pack, login, secretary, carers, analyst
):
    accepted_report(carers, analyst=analyst)  # its risk: "Demand", mitigated by "Waiting list"
    [offered] = quarter_scheme_risks(area=pack.area, quarter=pack.quarter)
    assert (offered.scheme, offered.risk, offered.mitigation) == (carers, "Demand", "Waiting list")
    edit = reverse("reports:pack_edit", args=[pack.pk])
    form = login(secretary).get(edit).content.decode()
    assert "Scheme 1: Demand" in form
    response = login(secretary).post(
        edit,
        {
            "data_month": "2018-08",
            "risk_0": "Winter pressures on discharge.",
            "mitigation_0": "The winter plan.",
            "chosen_risks": [offered.key],
            "action": "save",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    risks = list(PackRisk.objects.filter(pack=pack))
    assert [(risk.risk, risk.mitigation, risk.scheme) for risk in risks] == [
        ("Winter pressures on discharge.", "The winter plan.", None),
        ("Demand", "Waiting list", carers),
    ]
    html = screen(pack)
    assert "Winter pressures on discharge." in html and "From scheme 1, Carers." in html
    # The next quarter's pack starts with them.
    next_pack = pack_create(
        area=pack.area, board="JCB", quarter=parse_quarter("2018-19-Q3"), user=secretary
    )
    assert [risk.risk for risk in next_pack.risks.order_by("position")] == [
        "Winter pressures on discharge.",
        "Demand",
    ]
    # A mitigation without a risk is refused; emptying a risk removes it.
    with pytest.raises(ValidationError):
        pack_text_save(pack=pack, text={}, risks=[RiskText(risk="", mitigation="Something")])
    pack_text_save(pack=pack, text={}, risks=[RiskText(risk="Demand")])
    assert list(pack.risks.values_list("risk", flat=True)) == ["Demand"]


def test_the_check_before_final_lists_what_the_pack_lacks(pack, carers, clusters, analyst):
    lacking = pack_lacking(pack=pack)
    assert (
        "Scheme 1, Carers: no accepted highlight report for Q2 2018/19 (it is not started)."
        in lacking
    )
    assert "Non Elective Admissions: no figure for Month 5, 31 August 2018." in lacking
    assert "Finance: no forecasts loaded for 2018/19 up to August 2018." in lacking
    assert "Recommendations: still the default text." in lacking
    accepted_report(carers, analyst=analyst)
    assert not any(item.startswith("Scheme 1,") for item in pack_lacking(pack=pack))


def test_the_demo_pack_lacks_only_its_two_unaccepted_reports(southampton):
    assert pack_lacking(pack=southampton) == [
        "Scheme 7, Direct Payment Scheme: no accepted highlight report for Q2 2018/19 (it is "
        "submitted).",
        "Scheme 9, Children - SEND Integrated Health and Social Care Provision: no accepted "
        "highlight report for Q2 2018/19 (it is returned with comments).",
    ]


def test_making_final_with_something_lacking_needs_a_reason_kept_with_the_version(
    pack, login, secretary
):
    url = reverse("reports:pack_finalise", args=[pack.pk])
    page = login(secretary).get(url).content.decode()
    assert 'data-testid="lacking"' in page and "no accepted highlight report" in page
    refused = login(secretary).post(url, {"confirm": "on"})
    assert refused.status_code == 400
    assert "Say why the pack can be made Final although it lacks what is listed." in (
        refused.content.decode()
    )
    assert not pack.versions.exists()
    client = login(secretary)
    done = client.post(url, {"confirm": "on", "reason": "Chair's decision."})
    assert "Version 1 is Final" in run_requested_build(client, done)
    version = pack.versions.get()
    assert version.final_reason == "Chair's decision."
    assert "Recommendations: still the default text." in version.lacking
    detail = login(secretary).get(reverse("reports:pack_detail", args=[pack.pk])).content
    assert "Chair&#x27;s decision." in detail.decode()
    assert b"Chair" not in bytes(version.figures_json)
