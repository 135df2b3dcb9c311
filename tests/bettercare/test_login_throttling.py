"""Login throttling (django-axes): a username, or an address, with five failed logins in a
row is refused for 15 minutes with a page that says so, even with the right password; an
administrator can lift the lock."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _log_in(client, username, password, address="192.0.2.10", **headers):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def test_sixty_wrong_passwords_then_the_right_one_is_refused_with_a_message(analyst):
    client = Client()
    statuses = {_log_in(client, "analyst", f"guess-{n}").status_code for n in range(60)}
    assert statuses == {200, 429}  # the form again, then the lockout page
    response = _log_in(client, "analyst", "bettercare-test")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed logins" in page and "15 minutes" in page
    assert "ask an administrator" in page
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock_and_a_success_clears_the_count(analyst):
    client = Client()
    for n in range(4):
        assert _log_in(client, "analyst", f"guess-{n}").status_code == 200
    assert _log_in(client, "analyst", "bettercare-test").status_code == 302
    client.logout()
    for n in range(4):
        assert _log_in(client, "analyst", f"again-{n}").status_code == 200
    assert _log_in(client, "analyst", "bettercare-test").status_code == 302


def test_a_username_is_locked_whatever_address_the_attempts_come_from(analyst):
    for n in range(5):
        _log_in(Client(), "analyst", "wrong", address=f"198.51.100.{n + 1}")
    assert _log_in(Client(), "analyst", "bettercare-test", address="203.0.113.9").status_code == 429


def test_an_address_is_locked_whatever_usernames_it_tries(analyst, secretary):
    for username in ("alice", "bob", "carol", "dave", "erin"):
        _log_in(Client(), username, "wrong", address="192.0.2.66")
    assert _log_in(Client(), "secretary", "bettercare-test", address="192.0.2.66")\
        .status_code == 429
    # The same person from elsewhere is not locked out by someone else's guessing.
    assert _log_in(Client(), "secretary", "bettercare-test", address="192.0.2.67")\
        .status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_address_lock(analyst):
    """Without TRUSTED_PROXY the address is the connection's: a client cannot pick another."""
    for n in range(5):
        _log_in(Client(), f"user{n}", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = _log_in(Client(), "analyst", "bettercare-test", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_address_is_the_one_the_proxy_added(settings, analyst):
    from bettercare.auth import client_address

    class Request:
        META = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.5"}

    settings.TRUSTED_PROXY = False
    assert client_address(Request()) == "10.0.0.1"
    settings.TRUSTED_PROXY = True
    assert client_address(Request()) == "203.0.113.5"


def test_an_administrator_unlocks_a_person_in_the_admin(analyst, client, make_user, area):
    from axes.models import AccessAttempt

    from bettercare.roles import Role

    for n in range(5):
        _log_in(Client(), "analyst", f"guess-{n}")
    assert _log_in(Client(), "analyst", "bettercare-test").status_code == 429
    administrator = make_user("soton-admin", Role.ADMINISTRATOR, [area])
    client.force_login(administrator)
    attempt = AccessAttempt.objects.get(username="analyst")
    listing = client.get("/admin/axes/accessattempt/").content.decode()
    assert "analyst" in listing
    response = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert _log_in(Client(), "analyst", "bettercare-test").status_code == 302


def test_the_command_line_unlocks_a_username(analyst):
    for n in range(5):
        _log_in(Client(), "analyst", f"guess-{n}")
    call_command("axes_reset_username", "analyst", verbosity=0)
    assert _log_in(Client(), "analyst", "bettercare-test").status_code == 302
