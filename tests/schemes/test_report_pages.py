"""The highlight report pages: who may reach them, the edit form's bad input, saving without
JavaScript, concurrent edits, the workflow's forms, and reading a report back."""

import datetime as dt
import re

import pytest
from django.test import Client

from bettercare.periods import Quarter
from bettercare.roles import Role
from bettercare.services import scheme_lead_assign
from schemes import services
from schemes.models import HighlightReport
from schemes.workflow import Status

from .conftest import Q1_2018, full_content
from .pages import form_data, url

pytestmark = pytest.mark.django_db

EVERY_GET = ["report", "report_edit", "report_history", "report_compare"]
EVERY_POST = [
    "report_edit",
    "report_start",
    "report_return",
    "report_accept",
    "report_board_dates",
    "report_correction",
]


@pytest.fixture
def clusters_report(clusters, lead_clusters):
    return services.highlight_report_start(scheme=clusters, quarter=Q1_2018, user=lead_clusters)


def test_a_lead_cannot_open_or_post_to_another_schemes_report(login, lead, clusters_report):
    client = login(lead)
    for name in EVERY_GET:
        assert client.get(url(clusters_report, name=name)).status_code == 404, name
    assert client.get(url(clusters_report, name="report_revision", revision=1)).status_code == 404
    for name in EVERY_POST:
        response = client.post(url(clusters_report, name=name), form_data(clusters_report))
        assert response.status_code == 404, name
    report = HighlightReport.objects.get(pk=clusters_report.pk)
    assert (report.version, report.status) == (1, Status.DRAFT)


def test_an_analyst_of_another_area_cannot_open_or_post_to_a_report(
    client, make_user, other_area, submitted
):
    client.force_login(make_user("portsmouth", Role.ANALYST, [other_area]))
    for name in EVERY_GET:
        assert client.get(url(submitted, name=name)).status_code == 404, name
    for name in EVERY_POST:
        response = client.post(url(submitted, name=name), {"comment": "Accepted"})
        assert response.status_code == 404, name
    assert HighlightReport.objects.get(pk=submitted.pk).status == Status.SUBMITTED


def test_the_not_found_page_does_not_say_whether_the_report_exists(login, lead, clusters):
    client = login(lead)
    missing = client.get(url(clusters, Quarter.parse("2016-17-Q1")))
    assert missing.status_code == 404
    assert "among the schemes you can see" in missing.content.decode()


def test_only_the_lead_edits_and_only_analysts_review(login, analyst, secretary, submitted, draft):
    assert login(analyst).get(url(draft, name="report_edit")).status_code == 403
    assert login(analyst).post(url(draft, name="report_edit"), form_data(draft)).status_code == 403
    response = login(secretary).post(url(submitted, name="report_accept"), {})
    assert response.status_code == 403
    assert HighlightReport.objects.get(pk=submitted.pk).status == Status.SUBMITTED


def test_the_edit_page_uses_the_templates_labels(login, lead, draft):
    page = login(lead).get(url(draft, name="report_edit")).content.decode()
    for label in [
        "Host Organisation",
        "Pooled Budget Manager",
        "Report Author",
        "Reporting Period",
        "Report Date",
        "Overall Financial Performance",
        "Annual value",
        "Projected year end spend",
        "What are the reasons for Over/Underspends?",
        "What actions are being taken to address Over/Underspends?",
        "Are there any opportunities for Savings?",
        "Predicted Cost Pressures:",
        "Overall Delivery",
        "Original Aims and anticipated Outcomes for this Scheme",
        "Provide Evidence of Key Developments/Successes/ Achievements this Quarter",
        "Reducing hospital and care home admissions",
        "Improving timely discharge",
        "Improving service user experience",
        "Reducing falls",
        "Reducing hospital readmissions",
        "Performance Indicators",
        "Progress to Date",
        "Risks",
        "Mitigation",
        "Describe any proposed Changes/ Recommendations for consideration by Joint",
        "Outline the Priorities for this scheme for the forthcoming period",
        "Associated Contracts",
        "Any Over/Under spend to date",
    ]:
        assert label in page, label
    # Long text is never cut short by the browser: the server says what is too long.
    assert "maxlength" not in page


def test_saving_a_draft_keeps_everything_and_works_out_the_totals(login, lead, draft):
    client = login(lead)
    data = form_data(
        draft,
        rows={
            "financial_lines": [
                {"source": "CCG:nhs", "annual_value": "£1.240m", "projected_spend": "£1.208m"},
                {"source": "SCC:council", "annual_value": "£0.134m", "projected_spend": "£0.133m"},
            ],
        },
        priorities="- Whole family approach",
    )
    response = client.post(url(draft, name="report_edit"), data)
    assert response.status_code == 302
    report = HighlightReport.objects.get(pk=draft.pk)
    assert report.version == 2
    assert report.priorities == "- Whole family approach"
    page = client.get(response["Location"]).content.decode()
    assert "Your draft is saved." in page
    assert "£1,374,000" in page and "(£33,000) underspend" in page and "90.2%" in page


@pytest.mark.parametrize(
    ("rows", "fields", "field_id", "message"),
    [
        (
            {"financial_lines": [{"source": "CCG:nhs", "annual_value": "about a million"}]},
            {},
            "id_financial_lines-0-annual_value",
            "&#x27;about a million&#x27; is not an amount of money",
        ),
        (
            {
                "financial_lines": [
                    {"source": "CCG:nhs", "annual_value": "£1.240m \u2013 90%"},
                    {"source": "SCC:council", "annual_value": "£0.134m - 20%"},
                ]
            },
            {},
            "id_financial_lines-1-annual_value",
            "The shares typed add up to 110%, not 100%",
        ),
        (
            {},
            {"priorities": "x" * 10_001},
            "id_priorities",
            "Shorten this to 10,000 characters or fewer (it has 10001)",
        ),
        (
            {},
            {"report_date_day": "31", "report_date_month": "2", "report_date_year": "2018"},
            "id_report_date",
            "The report date must be a real date",
        ),
        (
            {},
            {"report_date_day": "20", "report_date_month": "", "report_date_year": "2018"},
            "id_report_date",
            "The report date must include a month",
        ),
        (
            {"indicators": [{"indicator": "Crisis response", "target": "90"}]},
            {},
            "id_indicators-0-measure_period",
            "Say which period the target and actual are for",
        ),
    ],
)
def test_bad_input_gets_a_message_beside_its_field_and_keeps_what_was_typed(
    login, lead, draft, rows, fields, field_id, message
):
    typed = "Kept: carers' support plans <b>reviewed</b>"
    data = form_data(draft, rows=rows, reasons_for_variance=typed, **fields)
    response = login(lead).post(url(draft, name="report_edit"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    # The summary links to the field (a date: to its first box, the day).
    link = f"{field_id}_day" if field_id == "id_report_date" else field_id
    assert f'href="#{link}"' in page
    error = re.search(rf'id="{field_id}_error"[^>]*>(.*?)</span>\s*</', page, re.S)
    assert error and message in error.group(1)
    assert "Kept: carers&#x27; support plans &lt;b&gt;reviewed&lt;/b&gt;" in page
    assert HighlightReport.objects.get(pk=draft.pk).version == 1  # nothing saved


def test_html_typed_into_a_report_is_stored_and_shown_as_text(login, lead, draft, analyst):
    script = '<script>alert("carers")</script>'
    image = '<img src="https://evil.example/x.png" onerror="alert(1)">'
    data = form_data(
        draft,
        rows={"risks": [{"risk": script, "mitigation": image}]},
        priorities=f"- {script}\n- {image}",
    )
    assert login(lead).post(url(draft, name="report_edit"), data).status_code == 302
    report = HighlightReport.objects.get(pk=draft.pk)
    assert report.priorities == f"- {script}\n- {image}"
    for client in (login(lead), login(analyst)):
        for name in ("report", "report_edit", "report_compare"):
            response = client.get(url(report, name=name), follow=True)
            page = response.content.decode()
            assert "<script>alert" not in page
            assert '<img src="https://evil.example' not in page
        page = client.get(url(report)).content.decode()
        # Shown as the characters typed (in a bulleted list: the text is read as Markdown).
        assert '<li>&lt;script&gt;alert("carers")&lt;/script&gt;</li>' in page
        assert '<li>&lt;img src="https://evil.example/x.png" onerror="alert(1)"&gt;</li>' in page


def test_submitting_an_incomplete_report_saves_it_and_lists_what_is_missing(login, lead, draft):
    data = form_data(draft, action="submit", reasons_for_variance="Vacancies")
    response = login(lead).post(url(draft, name="report_edit"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Before this report can be submitted, fill in:" in page
    assert "Your draft is saved, but it cannot be submitted" in page
    for words in [
        "Add the annual value of at least one funding source.",
        "Add at least one key development",
        "Add at least one performance indicator.",
        "Add at least one risk, with its mitigation.",
        "Outline the scheme&#x27;s priorities",
    ]:
        assert words in page, words
    assert 'href="#section-risks"' in page
    assert 'id="id_priorities_error"' in page  # beside the field, too
    report = HighlightReport.objects.get(pk=draft.pk)
    assert (report.status, report.reasons_for_variance) == (Status.DRAFT, "Vacancies")
    assert f'name="version" value="{report.version}"' in page  # the next save is not stale


def test_a_complete_report_is_submitted_and_then_no_longer_editable(login, lead, complete_draft):
    client = login(lead)
    response = client.post(
        url(complete_draft, name="report_edit"), form_data(complete_draft, action="submit")
    )
    assert response.status_code == 302
    assert HighlightReport.objects.get(pk=complete_draft.pk).status == Status.SUBMITTED
    page = client.get(response["Location"]).content.decode()
    assert "Your report is submitted" in page
    assert "Edit report" not in page
    edit = client.get(url(complete_draft, name="report_edit"))
    assert edit.status_code == 302
    response = client.post(url(complete_draft, name="report_edit"), form_data(complete_draft))
    assert response.status_code == 403


def test_without_javascript_add_saves_and_comes_back_with_a_blank_row(login, lead, complete_draft):
    client = login(lead)
    data = form_data(complete_draft, add_row="risks", priorities="Typed before adding a row")
    response = client.post(url(complete_draft, name="report_edit"), data)
    assert response.status_code == 302
    assert response["Location"].endswith("?add=risks#section-risks")
    report = HighlightReport.objects.get(pk=complete_draft.pk)
    assert report.priorities == "Typed before adding a row"
    page = client.get(response["Location"]).content.decode()
    assert 'name="risks-TOTAL_FORMS" value="2"' in page
    assert 'name="risks-0-risk"' in page and 'name="risks-1-risk"' in page


def test_without_javascript_remove_is_a_checkbox_applied_on_save(login, lead, complete_draft):
    data = form_data(complete_draft)
    data["risks-0-DELETE"] = "on"
    data["risks-0-mitigation"] = ""  # a removed row is not checked
    response = login(lead).post(url(complete_draft, name="report_edit"), data)
    assert response.status_code == 302
    assert HighlightReport.objects.get(pk=complete_draft.pk).risks.count() == 0


def test_the_second_of_two_saves_from_the_same_version_is_refused_and_keeps_its_text(
    client, lead, make_user, carers, complete_draft
):
    colleague = make_user("co-lead", Role.SCHEME_LEAD, [carers.area])
    scheme_lead_assign(scheme=carers, user=colleague)
    mine, theirs = Client(), Client()
    mine.force_login(lead)
    theirs.force_login(colleague)
    opened = form_data(complete_draft)  # both opened version 2
    assert (
        theirs.post(
            url(complete_draft, name="report_edit"), opened | {"priorities": "Theirs"}
        ).status_code
        == 302
    )
    response = mine.post(url(complete_draft, name="report_edit"), opened | {"priorities": "Mine"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Co-Lead Tester saved this report at" in page
    assert re.search(r">\s*Mine</textarea>", page)  # what I typed is still on the page
    assert HighlightReport.objects.get(pk=complete_draft.pk).priorities == "Theirs"
    # Saving again, knowingly, replaces their version with mine.
    current = re.search(r'name="version" value="(\d+)"', page).group(1)
    again = mine.post(
        url(complete_draft, name="report_edit"),
        opened | {"priorities": "Mine", "version": current},
    )
    assert again.status_code == 302
    assert HighlightReport.objects.get(pk=complete_draft.pk).priorities == "Mine"


def test_an_analyst_returns_with_comments_that_the_lead_then_sees(login, analyst, lead, submitted):
    refused = login(analyst).post(url(submitted, name="report_return"), {"comment": ""})
    assert refused.status_code == 400
    assert "Say what needs to change before returning the report." in refused.content.decode()
    response = login(analyst).post(
        url(submitted, name="report_return"), {"comment": "Add the young carers' figures."}
    )
    assert response.status_code == 302
    page = login(lead).get(url(submitted, name="report_edit")).content.decode()
    assert "Add the young carers&#x27; figures." in page


def test_board_dates_out_of_order_are_refused_beside_the_field(login, secretary, accepted):
    data = {"received_by_jcb": "2018-07-26", "signed_off_by_jcb": "2018-07-20"}
    response = login(secretary).post(url(accepted, name="report_board_dates"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_signed_off_by_jcb_error"' in page
    assert "cannot be before the date received by joint commissioning board" in page.lower()
    # Kept, in the day, month and year boxes.
    assert 'name="received_by_jcb_day" type="text" inputmode="numeric" value="26"' in page
    assert 'name="received_by_jcb_year" type="text" inputmode="numeric" value="2018"' in page
    assert HighlightReport.objects.get(pk=accepted.pk).status == Status.ACCEPTED


def test_after_jcb_sign_off_the_report_is_read_only(login, lead, secretary, accepted):
    response = login(secretary).post(
        url(accepted, name="report_board_dates"),
        {"received_by_jcb": "2018-07-26", "signed_off_by_jcb": "2018-07-26"},
    )
    assert response.status_code == 302
    report = HighlightReport.objects.get(pk=accepted.pk)
    assert report.status == Status.SIGNED_OFF_BY_JCB
    page = login(lead).get(url(report)).content.decode()
    assert "can no longer be changed" in page
    assert "Edit report" not in page
    assert login(lead).post(url(report, name="report_edit"), form_data(report)).status_code == 403


def test_a_correction_keeps_the_signed_off_revision_readable(login, analyst, lead, signed_off):
    response = login(analyst).post(
        url(signed_off, name="report_correction"), {"reason": "Wrong SCC budget"}
    )
    assert response.status_code == 302
    current = login(lead).get(url(signed_off)).content.decode()
    assert "Revision 2" in current and "Wrong SCC budget" in current
    old = login(lead).get(url(signed_off, name="report_revision", revision=1)).content.decode()
    assert "An earlier revision" in old
    assert "26 July 2018" in old  # its board dates are kept


def test_history_shows_each_step(login, analyst, signed_off):
    page = login(analyst).get(url(signed_off, name="report_history")).content.decode()
    for step in [
        "Started",
        "Submitted",
        "Accepted",
        "Received by Joint Commissioning Board",
        "Signed off by Joint Commissioning Board",
        "Received by Health &amp; Wellbeing Board",
    ]:
        assert step in page, step
    assert "Board date 8 August 2018" in page


def test_compare_shows_the_previous_quarter_beside_this_one(login, lead, analyst, carers, draft):
    services.highlight_report_record_paper(
        scheme=carers,
        quarter=Quarter.parse("2017-18-Q4"),
        user=analyst,
        content=full_content(priorities="Q4 priorities"),
        board_dates={},
        today=dt.date(2018, 9, 1),
    )
    page = login(lead).get(url(draft, name="report_compare")).content.decode()
    assert "Q1 2018/19 compared with Q4 2017/18 report" in page
    assert "Q4 priorities" in page
    assert "(£33,000) underspend" in page


def test_starting_the_due_report_from_the_not_started_page(login, lead, carers):
    quarter = Quarter.parse("2018-19-Q2")
    client = login(lead)
    page = client.get(url(carers, quarter)).content.decode()
    assert "Not started" in page and "Start the Q2 2018/19 report" in page
    response = client.post(url(carers, quarter, name="report_start"))
    assert response["Location"] == url(carers, quarter, name="report_edit")
    assert HighlightReport.objects.filter(scheme=carers, quarter=quarter).exists()


def test_the_read_view_lays_the_report_out_like_the_template(login, analyst, signed_off):
    page = login(analyst).get(url(signed_off)).content.decode()
    order = [
        "Host Organisation",
        "Pooled Budget Manager",
        "Report Author",
        "Reporting Period",
        "Report Date",
        "Overall Financial Performance",
        "Overall Delivery",
        "Performance Indicators",
        "Summary of Risks and Issues",
        "Outline the Priorities",
        "Date received by Joint Commissioning Board",
        "Date signed off by Joint Commissioning Board",
        "Date received by Health &amp; Wellbeing Board",
    ]
    body = page[page.index('data-testid="highlight-report-body"') :]
    positions = [body.index(label) for label in order]
    assert positions == sorted(positions)
    assert "Supports:</em> Improving service user experience" in body


def test_administrators_can_look_reports_up_in_the_admin_but_not_change_them(
    login, administrator, signed_off
):
    client = login(administrator)
    listing = client.get("/admin/schemes/highlightreport/")
    assert listing.status_code == 200
    assert "1. Carers" in listing.content.decode()
    detail = client.get(f"/admin/schemes/highlightreport/{signed_off.pk}/change/")
    assert detail.status_code == 200
    assert client.post(f"/admin/schemes/highlightreport/{signed_off.pk}/change/").status_code == 403


@pytest.mark.parametrize("path", ["/schemes/1/2018-20-Q1/", "/schemes/1/2018-19-Q5/"])
def test_a_quarter_that_does_not_exist_is_not_found(login, lead, path):
    assert login(lead).get(path).status_code == 404
