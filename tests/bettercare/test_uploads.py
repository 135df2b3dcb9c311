"""The import flow every data app shares (bettercare.uploads), through the metrics and finance
pages: only the uploader applies a file, and a file is applied only as its preview showed it."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bettercare.models import StagedImport
from bettercare.roles import Role

pytestmark = pytest.mark.django_db

FINANCE_FILE = (
    b"area,financial_year,scheme,partner,kind,month,amount\n"
    b"E06000045,2018-19,1,SCC,budget,,134000\n"
)
METRICS_FILE = (
    b"area,metric,period,series,value,breakdown,status,note\n"
    b"E06000045,nel_admissions,2018-08,actual,2100,,,\n"
)


@pytest.fixture
def catalogue(transactional_db):
    from metrics.services import metric_catalogue_ensure

    metric_catalogue_ensure()


@pytest.mark.parametrize(
    ("prefix", "data"), [("/finance", FINANCE_FILE), ("/metrics", METRICS_FILE)]
)
def test_only_the_person_who_uploaded_a_file_can_see_or_apply_it(
    login, make_user, analyst, area, carers, catalogue, prefix, data
):
    uploaded = login(analyst).post(f"{prefix}/import/", {"file": SimpleUploadedFile("f.csv", data)})
    assert uploaded.status_code == 302, uploaded.content.decode()
    preview = uploaded["Location"]
    page = login(analyst).get(preview).content.decode()
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', page).group(1)

    colleague = make_user("colleague", Role.ANALYST, [area])
    client = login(colleague)
    assert client.get(preview).status_code == 404
    assert client.post(preview, {"fingerprint": fingerprint}).status_code == 404
    assert StagedImport.objects.get().applied is None


@pytest.mark.parametrize("prefix", ["/finance", "/metrics"])
def test_a_tampered_apply_without_the_preview_changes_nothing(
    login, analyst, carers, catalogue, prefix
):
    data = FINANCE_FILE if prefix == "/finance" else METRICS_FILE
    client = login(analyst)
    preview = client.post(f"{prefix}/import/", {"file": SimpleUploadedFile("f.csv", data)})
    response = client.post(preview["Location"], {})  # no fingerprint: shown the preview again
    assert response.status_code == 200
    assert StagedImport.objects.get().applied is None
