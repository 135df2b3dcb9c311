"""The admin keeps areas apart: an administrator of Portsmouth, holding the Administrators role
as the application gives it (not a superuser), tries every admin URL with Southampton's
object ids, by GET and by POST, and reads nothing of Southampton and writes nothing at all.

What is tried, for every model registered in the admin and a few of Southampton's records of
each: the change page, the history list, each history version and its revert form, the
delete page, the password form (people), the change list filtered to Southampton, the bulk
delete action, adding a record that names Southampton's ids, Portsmouth's own records posted
with Southampton's ids in their pickers, and the autocomplete. The payloads are the forms a
superuser is shown for the same records, so they would be accepted if the scoping failed.
"""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.forms.models import model_to_dict
from django.test import Client

from bettercare.admin import area_path
from bettercare.demo import demo_users, load_demo
from bettercare.models import Area, Scheme
from bettercare.periods import FinancialYear
from bettercare.roles import Role
from bettercare.services import area_save, partner_save, scheme_save, user_with_role_save

from ..html_forms import flat, forms_of

pytestmark = pytest.mark.django_db

OBJECTS_PER_MODEL = 3
VERSIONS_PER_OBJECT = 2
# Tables whose rows record the crawl itself rather than the data it attacks.
UNWATCHED = {"sessions.session", "admin.logentry", "axes.accesslog", "axes.accessfailurelog"}
CANARY = "CANARY-SOUTHAMPTON"
# Help text that names Southampton as an example, shown on every area's page.
EXAMPLES = ["e.g. E06000045 for Southampton"]


def _markers() -> list[str]:
    """Text that appears only in Southampton's records."""
    names = [f"{person['first_name']} {person['last_name']}" for person in demo_users()]
    emails = [person["email"] for person in demo_users()]
    return ["Southampton", "E06000045", CANARY, *names, *emails]


def _snapshot() -> dict[str, list[dict]]:
    """Every row of every table (history included) the crawl could write to."""
    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in UNWATCHED or not model._meta.managed:
            continue
        rows = model._base_manager.order_by("pk").values()
        state[label] = [{key: str(value) for key, value in row.items()} for row in rows]
    return state


def _southampton_records(model, southampton) -> list[models.Model]:
    """A few of Southampton's records of `model` (with history first, where it is kept)."""
    User = get_user_model()
    manager = model._default_manager
    if model is User:
        queryset = manager.filter(area_memberships__area=southampton).order_by("-is_superuser")
    else:
        path = area_path(model)
        if path is None:
            queryset = manager.all()  # national: anyone may read it, only superusers change it
        elif path == "":
            queryset = manager.filter(pk=southampton.pk)
        else:
            queryset = manager.filter(**{path: southampton})
    records = list(queryset.distinct()[:OBJECTS_PER_MODEL])
    if hasattr(model, "history"):
        with_history = list(
            queryset.filter(pk__in=model.history.values("id")).distinct()[:OBJECTS_PER_MODEL]
        )
        records = list(dict.fromkeys(with_history + records))[:OBJECTS_PER_MODEL]
    return records


def _payload(superuser: Client, url: str, instance=None, canary=True) -> dict:
    """What a superuser's page for `url` would post (fields as shown), over the record's own
    values for fields a read-only page does not offer; text fields carry the canary."""
    data = {}
    if instance is not None:
        for name, value in model_to_dict(instance).items():
            if isinstance(value, list):
                data[name] = [str(getattr(item, "pk", item)) for item in value]
            elif value is not None:
                data[name] = str(getattr(value, "pk", value))
    page = superuser.get(url)
    if page.status_code == 200 and "text/html" in page["Content-Type"]:
        posted = [form for form in forms_of(page.content.decode(), url) if form.method == "post"]
        posted = [form for form in posted if "logout" not in form.action]
        if posted:
            data.update(flat(posted[-1].data()))
    for name in ("name", "title", "narrative", "note", "first_name", "vision"):
        if canary and name in data and isinstance(data[name], str):
            data[name] = f"{data[name]} {CANARY}"
    data["_save"] = "Save"
    return data


def _neutral(payload: dict, markers: list[str]) -> dict:
    def clean(value):
        if isinstance(value, list):
            return [clean(item) for item in value]
        return "Portsmouth's own text" if any(m in value for m in markers) else value

    return {name: clean(value) for name, value in payload.items()}


class Attempts:
    def __init__(self, client: Client, markers: list[str]):
        self.client, self.markers = client, markers
        self.count = 0
        self.failures: list[str] = []

    def _check(self, method: str, url: str, response) -> None:
        self.count += 1
        if response.status_code >= 500:
            self.failures.append(f"{method} {url}: {response.status_code}")
        body = b"".join(response) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        for example in EXAMPLES:
            text = text.replace(example, "")
        leaked = [marker for marker in self.markers if marker in text]
        if leaked:
            self.failures.append(f"{method} {url} showed {leaked}")
        if response.status_code == 200 and method == "POST" and "/delete/" in url:
            self.failures.append(f"POST {url} answered 200 (a deletion page)")

    def get(self, url: str):
        response = self.client.get(url)
        self._check("GET", url, response)
        return response

    def post(self, url: str, data: dict):
        response = self.client.post(url, data)
        self._check("POST", url, response)
        return response


def _text(value):
    return [str(item) for item in value] if isinstance(value, list) else str(value)


def _add_inline_row(data: dict, prefix: str, row: dict) -> None:
    """One more row in an inline formset of the posted form."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    data.update({f"{prefix}-{index}-{name}": str(value) for name, value in row.items()})


def _admin_url(model, suffix: str) -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{suffix}"


def test_an_area_administrator_reads_and_writes_nothing_of_another_area():
    southampton = load_demo(log=lambda line: None)
    Scheme.objects.filter(area=southampton, number=1).update(aims=CANARY)
    User = get_user_model()
    superuser = Client()
    superuser.force_login(User.objects.get(username="admin"))
    # A failed login on a Southampton account: its lock is not Portsmouth's to see or lift.
    Client().post("/accounts/login/", {"username": "analyst", "password": "wrong"})

    portsmouth = area_save(code="E06000044", name="Portsmouth")
    host = partner_save(
        area=portsmouth, code="PCC", name="Portsmouth City Council", kind="council"
    )
    intruder = user_with_role_save(
        username="portsmouth-admin", role=Role.ADMINISTRATOR, areas=[portsmouth],
        password="bettercare-test",
    )
    scheme_save(
        area=portsmouth, number=1, name="Portsmouth carers", host=host,
        first_year=FinancialYear(2017),
    )
    # Exceptions become the responses a person would get (a 500 is counted, not raised).
    client = Client(raise_request_exception=False)
    client.force_login(intruder)
    attempts = Attempts(client, _markers())

    # Payloads first (the superuser's requests are not part of the attack).
    plans = []
    for model in admin.site._registry:
        for record in _southampton_records(model, southampton):
            change = _admin_url(model, f"{record.pk}/change/")
            versions = []
            if hasattr(model, "history"):
                versions = list(
                    model.history.filter(id=record.pk)
                    .order_by("history_id")
                    .values_list("history_id", flat=True)[:VERSIONS_PER_OBJECT]
                )
            plans.append((model, record, change, _payload(superuser, change, record), versions))
    assert len({plan[0] for plan in plans}) >= 15, "the crawl must reach every admin model"
    before = _snapshot()

    for model, record, change, payload, versions in plans:
        attempts.get(change)
        attempts.post(change, payload)
        attempts.get(_admin_url(model, f"{record.pk}/history/"))
        for version in versions:
            attempts.get(_admin_url(model, f"{record.pk}/history/{version}/"))
            attempts.post(_admin_url(model, f"{record.pk}/history/{version}/"), payload)
        attempts.get(_admin_url(model, f"{record.pk}/delete/"))
        attempts.post(_admin_url(model, f"{record.pk}/delete/"), {"post": "yes"})
        attempts.post(
            _admin_url(model, ""),
            {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
        )
        if model is User:
            password = _admin_url(model, f"{record.pk}/password/")
            attempts.get(password)
            attempts.post(
                password,
                {"password1": "Taken-over-1", "password2": "Taken-over-1", "set_password": "1"},
            )
        # Adding a record that names Southampton's ids (its area, partner, scheme, people);
        # its text is the intruder's own, so that an echo of it on the page is no leak.
        attempts.post(_admin_url(model, "add/"), _neutral(payload, attempts.markers))

    # Change lists filtered on Southampton, and the autocomplete of people.
    for model in admin.site._registry:
        path = area_path(model)
        if path:
            attempts.get(_admin_url(model, f"?{path}__id__exact={southampton.pk}"))
        # A search for text that Southampton's records hold (the prefix of its code and the
        # names of its people) and that is no marker itself.
        for term in ("E0600004", "Okafor"[:4], "lead"):
            attempts.get(_admin_url(model, f"?q={term}"))
    for term in ("a", "lead", "analyst", "admin"):
        response = attempts.get(
            "/admin/autocomplete/?app_label=bettercare&model_name=areamembership"
            f"&field_name=user&term={term}"
        )
        if response.status_code == 200:
            found = {item["text"] for item in json.loads(response.content)["results"]}
            if not found <= {"portsmouth-admin"}:
                attempts.failures.append(f"the people picker offered {sorted(found)}")

    # Portsmouth's own records, posted with Southampton's ids in their pickers: a person
    # of Southampton added to Portsmouth, the scheme moved or given Southampton's host and
    # lead, the intruder's own account made superuser, given every group and Southampton.
    soton_partner = southampton.partners.first()
    soton_lead = User.objects.get(username="lead-carers")
    every_group = [str(pk) for pk in Group.objects.values_list("pk", flat=True)]
    own = [
        (Area, portsmouth, {}, ("memberships", {"user": soton_lead.pk})),
        (Scheme, Scheme.objects.get(area=portsmouth),
         {"area": southampton.pk, "host": soton_partner.pk, "leads": [soton_lead.pk]}, None),
        (User, intruder, {"is_superuser": "on", "is_staff": "on", "groups": every_group},
         ("area_memberships", {"area": southampton.pk})),
    ]
    for model, record, fields, row in own:
        url = _admin_url(model, f"{record.pk}/change/")
        data = _payload(client, url, canary=False)
        data.update({name: _text(value) for name, value in fields.items()})
        if row is not None:
            _add_inline_row(data, *row)
        attempts.post(url, data)

    assert attempts.failures == [], "\n".join(attempts.failures)
    after = _snapshot()
    changed = [label for label in before if before[label] != after.get(label)]
    assert changed == [], f"the crawl wrote to {changed}"
    intruder.refresh_from_db()
    assert not intruder.is_superuser
    assert list(intruder.areas.all()) == [portsmouth]
    assert attempts.count > 400
    print(f"\nadmin crawl: {attempts.count} requests, no read, no write, no 5xx")
