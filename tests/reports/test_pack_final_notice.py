"""Making a pack Final e-mails the area's board secretaries and analysts (not the person who
did it), through a real SMTP server on loopback, once the version is stored."""

from bettercare.roles import Role
from notifications.models import EmailRecord
from reports.pdf import PdfResult
from reports.services import pack_version_create

from ..smtp import html_of, text_of


def pdf(text: bytes) -> PdfResult:
    return PdfResult(pdf=b"%PDF-1.7 " + text, pages=31)


def test_a_final_pack_is_emailed_to_secretaries_and_analysts(
    smtp_server,
    pack,
    secretary,
    analyst,
    lead_user,
    make_user,
    other_area,
    after_commit,
):
    second = make_user("secretary-two", Role.BOARD_SECRETARY, [pack.area])
    make_user("secretary-elsewhere", Role.BOARD_SECRETARY, [other_area])
    with after_commit():
        pack_version_create(
            pack=pack,
            user=secretary,
            full=pdf(b"full"),
            public=pdf(b"public"),
            figures_json=b"{}",
            number=1,
        )
    messages = smtp_server.wait_for(2)
    assert sorted(m["To"] for m in messages) == ["analyst@example.org", "secretary-two@example.org"]
    message = smtp_server.to(second.email)[0]
    assert message["Subject"].startswith("Final: Better Care performance report")
    assert "version 1, 31 pages" in text_of(message)
    link = f"https://bettercare.example.org/reports/packs/{pack.pk}/"
    assert link in text_of(message) and f'href="{link}"' in html_of(message)
    assert EmailRecord.objects.filter(kind="pack_final", state="sent").count() == 2


def test_a_new_pack_takes_its_meeting_date_from_the_timetable(area, secretary):
    import datetime as dt

    from bettercare.periods import Quarter
    from reports.services import pack_create
    from schemes.services import reporting_timetable_save

    q2 = Quarter.parse("2018-19-Q2")
    reporting_timetable_save(
        area=area,
        quarter=q2,
        reports_due=dt.date(2018, 10, 12),
        jcb_meeting=dt.date(2018, 11, 15),
        hwb_meeting=dt.date(2018, 12, 5),
    )
    jcb = pack_create(area=area, board="JCB", quarter=q2, user=secretary)
    hwb = pack_create(area=area, board="HWB", quarter=q2, user=secretary)
    assert (jcb.meeting_date, hwb.meeting_date) == (dt.date(2018, 11, 15), dt.date(2018, 12, 5))
