"""Login everywhere, areas kept apart, and clear pages instead of errors."""

import re

import pytest
from django.urls import reverse

from bettercare.roles import Role

pytestmark = pytest.mark.django_db

PAGES = ["home", "schemes:index", "metrics:index", "finance:index", "reports:index"]


@pytest.mark.parametrize("name", [*PAGES, "password_change"])
def test_every_page_sends_an_anonymous_visitor_to_log_in(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_the_login_page_needs_no_login(client):
    assert client.get(reverse("login")).status_code == 200


def test_analyst_logs_in_and_sees_their_area_role_and_quarter(client, analyst, area):
    area.current_quarter = "2018-19-Q2"
    area.save()
    response = client.post(
        reverse("login"), {"username": "analyst", "password": "bettercare-test"}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Southampton" in page
    # The header: the user's name, then the role ("Analyst Tester" alone would not do).
    assert re.search(r'data-testid="header-user">\s*Analyst Tester, Analyst,', page)
    assert "Quarter Two 2018/19" in page


def test_wrong_password_is_refused_with_a_message(client, analyst):
    response = client.post(reverse("login"), {"username": "analyst", "password": "nope"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_ends_the_session(login, analyst):
    client = login(analyst)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize("name", PAGES)
def test_a_user_with_no_area_is_told_so_not_shown_an_error(login, make_user, name):
    nobody = make_user("nobody", Role.ANALYST, [])
    response = login(nobody).get(reverse(name))
    assert response.status_code == 403
    assert "not linked to an area" in response.content.decode()


def test_a_user_sees_only_the_areas_they_belong_to(login, analyst, area, other_area):
    client = login(analyst)
    page = client.get(reverse("home")).content.decode()
    assert "Southampton" in page
    assert "Portsmouth" not in page
    # Asking for an area they do not belong to is refused the same way as an unknown code.
    for code in (other_area.code, "E06999999", "nonsense"):
        response = client.post(reverse("area_choose"), {"area": code})
        assert response.status_code == 404
        assert f"no area with the code “{code}”" in response.content.decode()
    assert "Southampton" in client.get(reverse("home")).content.decode()


def test_a_member_of_two_areas_can_switch_between_them(login, make_user, area, other_area):
    both = make_user("icb-analyst", Role.ANALYST, [area, other_area])
    client = login(both)
    home = client.get(reverse("home")).content.decode()
    assert 'id="area-switch"' in home
    response = client.post(
        reverse("area_choose"), {"area": other_area.code, "next": reverse("schemes:index")}
    )
    assert response["Location"] == reverse("schemes:index")
    assert "Portsmouth (E06000044)" in client.get(reverse("home")).content.decode()


def test_area_switch_never_redirects_off_site(login, make_user, area):
    client = login(make_user("someone", Role.ANALYST, [area]))
    response = client.post(
        reverse("area_choose"), {"area": area.code, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_unknown_pages_get_the_sites_own_404(login, analyst):
    response = login(analyst).get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "nhsuk-header" in page  # in the site's layout


def test_get_only_pages_refuse_other_methods(login, analyst):
    assert login(analyst).post(reverse("home")).status_code == 405


def test_csrf_is_enforced_on_posts(analyst):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(analyst)
    response = strict.post(reverse("logout"))
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_frontend_icons_requested_by_the_stylesheet_are_redirected_to_static(client):
    response = client.get("/assets/images/nhsuk-icon-cross.svg")
    assert response.status_code == 302
    assert response["Location"].endswith("nhsuk/assets/images/nhsuk-icon-cross.svg")
    assert client.get("/assets/../settings.py").status_code == 404


def test_server_error_page_renders_without_a_request(settings):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in html


def test_password_change_uses_accessible_form_markup(login, analyst):
    page = login(analyst).get(reverse("password_change")).content.decode()
    assert 'class="nhsuk-label" for="id_old_password"' in page
    assert 'class="nhsuk-input"' in page
