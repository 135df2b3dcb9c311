"""Every chart of a pack sits under its own metric, in its own unit, whatever the combination:
no SPC chart, SPC on one metric, on all, a metric added and one removed, drawings kept from an
earlier build, the web page's build, `manage.py build_pack` and the Final version.

Each test reads the PDF back through its tags: under each headline's heading, every figure's
alternative text (which the pack takes from the drawing itself, see `reports.drawing`) names
that metric, and the text drawn in the figure gives that metric's unit."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from bettercare.demo import load_demo
from metrics.models import Metric
from reports.assembly import FULL, pack_pdfs_build, run_to_end, version_label
from reports.drawing import ChartRenderer
from reports.models import Pack, PackBuild, PackMetric
from reports.sections import PACK_SECTIONS
from reports.services import MetricText, pack_text_save

from .building import run_requested_build
from .pdf_reading import tagged_pdf

pytestmark = pytest.mark.django_db

HEADLINE_SECTIONS = tuple(section for section in PACK_SECTIONS if section.id == "headlines")


def squeezed(text: str) -> str:
    """Text without its spaces: the words drawn in an SVG come back from the PDF unspaced."""
    return "".join(text.split())


def headline_figures(pdf: bytes) -> dict[str, list]:
    """Each performance headline's heading with the figures under it, up to the next heading,
    in reading order: {metric name: [Figure tags]}."""
    tags = tagged_pdf(pdf).in_order("H2", "H3", "H4", "Figure")
    start = next(
        index
        for index, tag in enumerate(tags)
        if tag.type == "H3" and tag.text == "Performance headlines"
    )
    found: dict[str, list] = {}
    current = None
    for tag in tags[start + 1 :]:
        if tag.type in ("H2", "H3"):
            break  # the next part of the report
        if tag.type == "H4":
            current = tag.text
            found[current] = []
        elif tag.type == "Figure" and current is not None:
            found[current].append(tag)
    return found


def assert_each_chart_under_its_metric(pdf: bytes, pack: Pack) -> dict[str, int]:
    """Every headline of the pack has its charts, and only its own, in its unit. Returns how
    many charts each headline has."""
    chosen = list(
        PackMetric.objects.filter(pack=pack, headline=True).select_related("metric")
    )
    names = {text.metric.name for text in chosen}
    found = headline_figures(pdf)
    assert set(found) == names, "the headlines in the PDF are not the pack's"
    counts = {}
    for text in chosen:
        metric = text.metric
        figures = found[metric.name]
        assert figures, f"{metric.name} has no chart"
        for figure in figures:
            assert figure.alt.startswith(f"{metric.name}: "), (metric.name, figure.alt)
            others = [name for name in names if name != metric.name and name in figure.alt]
            assert not others, f"a chart under {metric.name} names {others}"
            assert squeezed(metric.unit_label) in squeezed(figure.text), (
                f"the chart under {metric.name} is not in {metric.unit_label}: {figure.text}"
            )
        kinds = ["statistical process control" in figure.alt for figure in figures]
        assert kinds == ([False, True] if text.show_spc else [False]), (metric.name, kinds)
        counts[metric.name] = len(figures)
    return counts


def set_spc(pack: Pack, codes) -> None:
    """Tick "with its SPC chart" on these headline metrics only."""
    texts = {
        text.metric_id: MetricText(
            commentary=text.commentary,
            headline=text.headline,
            headline_text=text.headline_text,
            show_spc=text.metric.code in codes,
        )
        for text in PackMetric.objects.filter(pack=pack).select_related("metric")
    }
    pack_text_save(pack=pack, text={}, metric_texts=texts)


@pytest.fixture(scope="module")
def renderer():
    with ChartRenderer(tabs=2, idle_seconds=None) as shared:
        yield shared


def build(pack, renderer, sections=HEADLINE_SECTIONS) -> bytes:
    built = run_to_end(
        pack_pdfs_build(
            pack,
            version_label=version_label(number=1, final=False),
            outputs=(FULL,),
            isolate=False,
            sections=sections,
            renderer=renderer,
        )
    )
    return built.pdfs[FULL].pdf


@pytest.fixture
def demo_pack(db):
    """The demo's Draft JCB pack for Q2 2018/19: six headlines in five units of measure."""
    load_demo(log=lambda line: None)
    return Pack.objects.select_related("area").get(board="JCB", quarter="2018-19-Q2")


def headline_codes(pack) -> list[str]:
    return list(
        PackMetric.objects.filter(pack=pack, headline=True).values_list("metric__code", flat=True)
    )


def test_no_spc_one_spc_and_all_spc_with_drawings_kept_between_builds(demo_pack, renderer):
    pack = demo_pack
    codes = headline_codes(pack)
    assert len(codes) >= 5

    set_spc(pack, [])
    counts = assert_each_chart_under_its_metric(build(pack, renderer), pack)
    assert set(counts.values()) == {1}

    # The charts of the first build are kept; ticking SPC on one metric draws one chart more
    # and reuses the others: the mix of kept and new drawings that once put them out of order.
    set_spc(pack, [codes[1]])
    counts = assert_each_chart_under_its_metric(build(pack, renderer), pack)
    assert sum(counts.values()) == len(codes) + 1

    set_spc(pack, codes)
    counts = assert_each_chart_under_its_metric(build(pack, renderer), pack)
    assert set(counts.values()) == {2}

    # Every drawing kept now: the same again, nothing drawn.
    steps = []
    run_to_end(
        pack_pdfs_build(
            pack, version_label="Test", isolate=False, sections=HEADLINE_SECTIONS,
            renderer=renderer,
        ),
        steps.append,
    )
    assert f"{len(codes) * 2} charts drawn for an earlier build" in steps


def test_a_metric_added_and_another_removed(demo_pack, renderer):
    pack = demo_pack
    codes = headline_codes(pack)
    set_spc(pack, [codes[0]])
    build(pack, renderer)  # drawings kept for the next build
    texts = {
        text.metric_id: MetricText(
            commentary=text.commentary,
            headline=text.metric.code != codes[0],  # the first headline removed...
            headline_text=text.headline_text,
            show_spc=text.metric.code in (codes[0], "ae_attendances"),
        )
        for text in PackMetric.objects.filter(pack=pack).select_related("metric")
    }
    added = Metric.objects.get(code="ae_attendances")  # ...and A&E attendances added
    texts[added.pk] = MetricText(headline=True, show_spc=True, headline_text="Added.")
    pack_text_save(pack=pack, text={}, metric_texts=texts)
    counts = assert_each_chart_under_its_metric(build(pack, renderer), pack)
    assert added.name in counts and counts[added.name] == 2
    assert Metric.objects.get(code=codes[0]).name not in counts


def test_the_web_page_build_the_command_line_and_the_final_version(
    demo_pack, renderer, client, tmp_path
):
    from django.contrib.auth import get_user_model

    pack = demo_pack
    codes = headline_codes(pack)
    set_spc(pack, [codes[2]])
    build(pack, renderer)  # an earlier build's drawings
    set_spc(pack, [codes[0], codes[3]])
    secretary = get_user_model().objects.get(username="secretary")
    client.force_login(secretary)

    # The web page's build (its own PDF worker, the process's renderer).
    page = run_requested_build(
        client, client.post(reverse("reports:pack_build", args=[pack.pk]), {"output": "full"})
    )
    assert "The draft PDF is ready" in page, page[-2000:]
    assert_each_chart_under_its_metric(bytes(PackBuild.objects.get(pack=pack).pdf), pack)

    # The command line.
    target = tmp_path / "jcb.pdf"
    call_command(
        "build_pack", "--area", pack.area.code, "--quarter", str(pack.quarter), "--board",
        pack.board, "--output", str(target), stdout=StringIO(),
    )
    assert_each_chart_under_its_metric(target.read_bytes(), pack)

    # Final: the stored full version.
    page = run_requested_build(
        client,
        client.post(
            reverse("reports:pack_finalise", args=[pack.pk]),
            {"confirm": "on", "reason": "Checked with the chair: the missing reports follow."},
        ),
    )
    assert "is Final" in page, page[-2000:]
    version = pack.versions.get()
    assert_each_chart_under_its_metric(bytes(version.full_pdf), pack)
