"""`manage.py build_pack`: the PDF from the command line, with plain messages for mistakes."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reports.models import Pack, PackVersion

from .pdf_reading import flat, pdf_pages

pytestmark = pytest.mark.django_db


def build_pack(*args):
    out = StringIO()
    call_command("build_pack", *args, stdout=out)
    return out.getvalue()


def test_creates_a_draft_pack_with_default_text_and_writes_its_pdf(area, priorities, tmp_path):
    target = tmp_path / "hwb.pdf"
    output = build_pack(
        "--area", "e06000045", "--quarter", "Q3 2018/19", "--board", "hwb", "--output", str(target)
    )
    pack = Pack.objects.get()
    assert (pack.board, str(pack.quarter), pack.status) == ("HWB", "2018-19-Q3", "draft")
    assert "Created a Draft HWB pack for Q3 2018/19 with default text." in output
    assert "Laying out the full version" in output
    pages = [flat(page) for page in pdf_pages(target.read_bytes())]
    assert "Better Care performance report, Quarter Three 2018/19" in pages[0]
    assert "Health and Wellbeing Board" in pages[0]
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert hashlib.sha256(target.read_bytes()).hexdigest() in output


def test_uses_the_existing_pack(pack, tmp_path):
    target = tmp_path / "jcb.pdf"
    output = build_pack(
        "--area", "E06000045", "--quarter", "2018-19-Q2", "--board", "JCB", "--output", str(target)
    )
    assert "Created" not in output and Pack.objects.count() == 1
    assert "Quarter Two went well for the Carers scheme." in flat(
        " ".join(pdf_pages(target.read_bytes()))
    )


def test_a_final_pack_gives_its_stored_bytes(pack, secretary, tmp_path):
    version = PackVersion(
        pack=pack,
        number=1,
        created_by=secretary,
        full_pdf=b"%PDF stored full",
        full_sha256=hashlib.sha256(b"%PDF stored full").hexdigest(),
        full_pages=1,
        public_pdf=b"%PDF stored public",
        public_sha256=hashlib.sha256(b"%PDF stored public").hexdigest(),
        public_pages=1,
        figures_json=b"{}",
        figures_sha256=hashlib.sha256(b"{}").hexdigest(),
    )
    version.save()
    Pack.objects.filter(pk=pack.pk).update(status="final")
    target = tmp_path / "final.pdf"
    args = ["--area", "E06000045", "--quarter", "2018-19-Q2", "--board", "JCB"]
    output = build_pack(*args, "--output", str(target))
    assert target.read_bytes() == b"%PDF stored full"
    assert "stored version 1" in output
    build_pack(*args, "--output", str(target), "--public")
    assert target.read_bytes() == b"%PDF stored public"


@pytest.mark.parametrize(
    "arguments,message",
    [
        (
            ["--area", "E06000099"],
            "There is no area with the ONS code E06000099. Known areas: E06000045 (Southampton).",
        ),
        (["--quarter", "2018-19-Q5"], "--quarter: '2018-19-Q5' is not a quarter"),
        (["--board", "CPB"], "--board must be JCB (Joint Commissioning Board) or HWB"),
        (
            ["--output", "/no/such/folder/x.pdf"],
            "--output: the folder /no/such/folder does not exist.",
        ),
    ],
)
def test_mistakes_get_a_plain_message_and_write_nothing(area, arguments, message, tmp_path):
    defaults = {
        "--area": "E06000045",
        "--quarter": "2018-19-Q2",
        "--board": "JCB",
        "--output": str(tmp_path / "unused.pdf"),
    }
    defaults.update(dict(zip(arguments[::2], arguments[1::2], strict=True)))
    with pytest.raises(CommandError) as error:
        build_pack(*[part for pair in defaults.items() for part in pair])
    assert message in str(error.value)
    assert not Pack.objects.exists()
    assert not (tmp_path / "unused.pdf").exists()
