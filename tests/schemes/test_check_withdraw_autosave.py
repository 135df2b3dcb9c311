"""A report that cannot lose work: the first "Save and check your answers" of a new report
finds every row just saved; "Check your answers" lists each section with a link to change it;
withdrawing a submission (until an analyst acts) is recorded; autosave goes through the same
lock as "Save draft" and reports, never overwrites, someone else's save; the totals are worked
out by the server from what is typed."""

import json

from notifications.models import EmailRecord
from schemes import services
from schemes.models import HighlightReport
from schemes.selectors import highlight_report_for_user
from schemes.workflow import Action, Status

from .conftest import Q1_2018, full_content
from .pages import form_data, url


def test_a_report_saved_and_submitted_from_the_same_object_is_judged_on_its_new_rows(
    draft, lead, area
):
    # The page reads the report with its rows prefetched (none yet), saves what was typed,
    # then submits the same object: the rows just written must count.
    report = highlight_report_for_user(user=lead, area=area, number=1, quarter=Q1_2018)
    assert list(report.risks.all()) == []
    report = services.highlight_report_save(
        report=report, user=lead, expected_version=report.version, content=full_content()
    )
    services.highlight_report_submit(report=report, user=lead)
    assert HighlightReport.objects.get(pk=draft.pk).status == Status.SUBMITTED


def test_the_first_save_and_check_of_a_new_report_goes_to_check_your_answers(login, lead, draft):
    # A new report, every section typed in one go, saved once.
    content = full_content()
    rows = {
        "financial_lines": [
            {
                "source": f"{line['partner']}:{line['source']}",
                "annual_value": str(line["annual_value"]),
                "projected_spend": str(line["projected_spend"]),
            }
            for line in content.financial_lines
        ],
        "key_developments": [
            {"text": row["text"], "aims": list(row["aims"])} for row in content.key_developments
        ],
        "indicators": list(content.indicators),
        "risks": list(content.risks),
    }
    fields = {**content.fields, "report_date": content.fields["report_date"].isoformat()}
    data = form_data(draft, rows=rows, action="check", **fields)
    response = login(lead).post(url(draft, name="report_edit"), data)
    assert response.status_code == 302
    assert response["Location"] == url(draft, name="report_check")
    page = login(lead).get(response["Location"]).content.decode()
    assert "The report cannot be submitted yet" not in page
    assert "Replacement care" in page and "Submit report" in page
    assert f'href="{url(draft, name="report_edit")}#id_report_author"' in page
    assert f'href="{url(draft, name="report_edit")}#section-risks"' in page
    response = login(lead).post(url(draft, name="report_submit"), {"version": "2"})
    assert HighlightReport.objects.get(pk=draft.pk).status == Status.SUBMITTED


def test_check_your_answers_lists_what_is_missing_with_links(login, lead, draft):
    page = login(lead).get(url(draft, name="report_check")).content.decode()
    assert "The report cannot be submitted yet" in page
    assert f'{url(draft, name="report_edit")}#section-risks">Risks' in page
    assert "Submit report" not in page
    response = login(lead).post(url(draft, name="report_submit"), {"version": "1"})
    assert response["Location"] == url(draft, name="report_check")
    assert HighlightReport.objects.get(pk=draft.pk).status == Status.DRAFT


def test_submitting_what_was_checked_and_not_a_later_save(login, lead, complete_draft):
    client = login(lead)
    stale = client.post(
        url(complete_draft, name="report_submit"), {"version": str(complete_draft.version - 1)}
    )
    assert stale["Location"] == url(complete_draft, name="report_check")
    assert HighlightReport.objects.get(pk=complete_draft.pk).status == Status.DRAFT
    client.post(url(complete_draft, name="report_submit"), {"version": complete_draft.version})
    assert HighlightReport.objects.get(pk=complete_draft.pk).status == Status.SUBMITTED


def test_withdrawing_a_submission_until_an_analyst_acts(
    login, lead, analyst, submitted, lead_clusters, after_commit
):
    page = login(lead).get(url(submitted)).content.decode()
    assert "Withdraw submission" in page
    assert "Withdraw submission" not in login(analyst).get(url(submitted)).content.decode()
    assert login(lead_clusters).post(url(submitted, name="report_withdraw")).status_code == 404
    with after_commit():
        response = login(lead).post(url(submitted, name="report_withdraw"))
    assert response["Location"] == url(submitted, name="report_edit")
    report = HighlightReport.objects.get(pk=submitted.pk)
    assert report.status == Status.DRAFT
    assert report.events.last().action == Action.WITHDRAW
    assert EmailRecord.objects.filter(kind="report_withdrawn", recipient=analyst).exists()
    history = login(lead).get(url(submitted, name="report_history")).content.decode()
    assert "Submission withdrawn" in history

    report = services.highlight_report_submit(report=report, user=lead)
    services.highlight_report_accept(report=report, user=analyst)
    response = login(lead).post(url(submitted, name="report_withdraw"), follow=True)
    assert "A report that is “Accepted” cannot be withdrawn" in response.content.decode()
    assert HighlightReport.objects.get(pk=submitted.pk).status == Status.ACCEPTED


def test_autosave_uses_the_lock_and_never_overwrites_another_save(login, lead, complete_draft):
    client = login(lead)
    data = form_data(complete_draft, priorities="- Autosaved priorities")
    response = client.post(url(complete_draft, name="report_autosave"), data)
    answer = json.loads(response.content)
    assert response.status_code == 200 and answer["version"] == complete_draft.version + 1
    assert len(answer["saved_at"]) == 5  # "10:42"
    assert HighlightReport.objects.get(pk=complete_draft.pk).priorities == (
        "- Autosaved priorities"
    )
    # The same page saving again from the version it had: someone else's save in between.
    data["priorities"] = "- From a second tab"
    response = client.post(url(complete_draft, name="report_autosave"), data)
    assert response.status_code == 409
    assert "saved this report at" in json.loads(response.content)["message"]
    assert HighlightReport.objects.get(pk=complete_draft.pk).priorities == (
        "- Autosaved priorities"
    )


def test_autosave_saves_nothing_it_cannot_check(login, lead, complete_draft, analyst):
    data = form_data(
        complete_draft,
        rows={
            "financial_lines": [
                {"source": "CCG:nhs", "annual_value": "lots", "projected_spend": ""}
            ]
        },
    )
    response = login(lead).post(url(complete_draft, name="report_autosave"), data)
    assert response.status_code == 400
    assert "1 answer to correct" in json.loads(response.content)["message"]
    assert login(analyst).post(url(complete_draft, name="report_autosave"), data).status_code == 403


def test_running_totals_are_the_servers_sums_of_what_is_typed(login, lead, complete_draft):
    data = form_data(
        complete_draft,
        rows={
            "financial_lines": [
                {"source": "CCG:nhs", "annual_value": "£1.240m", "projected_spend": "£1.208m"},
                {"source": "SCC:council", "annual_value": "£134k", "projected_spend": "(£10k)"},
            ]
        },
    )
    page = login(lead).post(url(complete_draft, name="report_totals"), data).content.decode()
    assert "£1,374,000" in page and "90.2%" in page
    assert "(£176,000) underspend" in page  # £1,198,000 projected against £1,374,000
    unreadable = form_data(
        complete_draft, rows={"financial_lines": [{"source": "CCG:nhs", "annual_value": "lots"}]}
    )
    page = login(lead).post(url(complete_draft, name="report_totals"), unreadable)
    assert "when every amount above can be read" in page.content.decode()
