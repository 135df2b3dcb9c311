from tests.reports.test_charts_under_their_metrics import build, demo_pack, renderer, PACK_SECTIONS  # noqa
def test_zdbg(demo_pack, renderer):
    pdf = build(demo_pack, renderer, sections=PACK_SECTIONS)
    open('/tmp/full.pdf','wb').write(pdf)
