"""The account page (reminders on or off), password reset by e-mail through a real SMTP
server, and the record of e-mails with "Send again"."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from notifications.models import EmailRecord
from notifications.selectors import wants_reminders
from notifications.services import email_queue

from ..smtp import html_of, text_of

ACCOUNT = reverse("notifications:account")
LOG = reverse("notifications:email_log")


def test_a_person_turns_reminders_off_and_on_in_their_account(login, lead):
    client = login(lead)
    page = client.get(ACCOUNT).content.decode()
    assert "lead-carers@example.org" in page
    assert 'class="nhsuk-checkboxes__input" id="id_reminders" checked' in page
    assert client.post(ACCOUNT, {}).status_code == 302
    assert wants_reminders(lead) is False
    assert "Reminders are off." in client.get(ACCOUNT).content.decode()
    client.post(ACCOUNT, {"reminders": "on"})
    assert wants_reminders(lead) is True


def test_the_login_page_offers_a_password_reset(client):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("notifications:password_reset")}">Forgot your password?' in page


def test_a_password_is_reset_from_the_emailed_link(client, smtp_server, lead):
    response = client.post(
        reverse("notifications:password_reset"), {"email": "LEAD-CARERS@example.org"}
    )
    assert response.status_code == 302
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "lead-carers@example.org"
    assert message["Subject"] == "Reset your password for Better Care reporting"
    link = re.search(
        r"https://bettercare\.example\.org(/accounts/password/reset/\S+/)", text_of(message)
    )
    assert link and link.group(0) in html_of(message)
    record = EmailRecord.objects.get(kind="password_reset")
    assert record.state == "sent" and link.group(1) not in record.body_text  # no copy kept

    form = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-long-new-password-42", "new_password2": "a-long-new-password-42"},
        follow=True,
    )
    assert "Your password has been changed" in done.content.decode()
    assert get_user_model().objects.get(pk=lead.pk).check_password("a-long-new-password-42")
    again = client.get(link.group(1), follow=True).content.decode()
    assert "This link no longer works" in again


def test_an_unknown_address_is_told_the_same_and_gets_nothing(client, smtp_server, lead):
    response = client.post(reverse("notifications:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert smtp_server.messages == []
    bad = client.post(reverse("notifications:password_reset"), {"email": "not an address"})
    assert "Enter an e-mail address in the correct format" in bad.content.decode()


def test_the_email_log_is_for_the_areas_analysts_and_sends_again(
    login, analyst, lead, secretary, area, other_area, make_user, smtp_server
):
    from bettercare.roles import Role

    record = email_queue(
        recipient=lead,
        kind="reminder_now",
        template="notifications/email/password_reset",
        context={"username": "x", "reset_url": "https://example.org/", "valid_for": "1 day"},
        area=area,
    )
    EmailRecord.objects.filter(pk=record.pk).update(state="failed", attempts=5, error="Down")
    for user in (lead, secretary):
        assert login(user).get(LOG).status_code == 403
    outsider = make_user("analyst-portsmouth", Role.ANALYST, [other_area])
    assert "lead-carers@example.org" not in login(outsider).get(LOG).content.decode()
    assert (
        login(outsider)
        .post(reverse("notifications:email_send_again", kwargs={"pk": record.pk}))
        .status_code
        == 404
    )

    client = login(analyst)
    page = client.get(LOG).content.decode()
    assert "1 e-mail failed" in page and "Send again" in page and "Down" in page
    response = client.post(
        reverse("notifications:email_send_again", kwargs={"pk": record.pk}), follow=True
    )
    assert "Sent to lead-carers@example.org" in response.content.decode()
    record.refresh_from_db()
    assert record.state == "sent" and record.attempts == 6
    assert len(smtp_server.messages) == 1


@pytest.mark.parametrize("variable", ["EMAIL_HOST", "EMAIL_BACKEND"])
def test_email_settings_come_from_the_environment(variable, monkeypatch):
    import importlib

    import bettercare.settings as production

    monkeypatch.setenv("EMAIL_HOST", "smtp.example.org" if variable == "EMAIL_HOST" else "")
    monkeypatch.setenv("EMAIL_PORT", "587")
    monkeypatch.setenv("EMAIL_USE_TLS", "true")
    monkeypatch.setenv("DEFAULT_FROM_EMAIL", "ICU <icu@example.org>")
    if variable == "EMAIL_BACKEND":
        monkeypatch.setenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    try:
        reloaded = importlib.reload(production)
        assert reloaded.EMAIL_PORT == 587 and reloaded.EMAIL_USE_TLS is True
        assert reloaded.DEFAULT_FROM_EMAIL == "ICU <icu@example.org>"
        expected = {
            "EMAIL_HOST": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        }[variable]
        assert expected == reloaded.EMAIL_BACKEND
        monkeypatch.delenv("EMAIL_HOST")
        monkeypatch.delenv("EMAIL_BACKEND", raising=False)
        reloaded = importlib.reload(production)
        assert reloaded.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend"
        assert reloaded.EMAIL_FILE_PATH.endswith("/mail")
    finally:
        monkeypatch.undo()
        importlib.reload(production)
