"""The metrics dashboard fits the page at 1280px (no sideways scrolling, names on three lines
at most) and reads on a 360px phone, where each metric is a card of labelled figures."""

import pytest

pytestmark = pytest.mark.browser

MEASURE = """() => {
  const table = document.querySelector('[data-testid="dashboard-table"]');
  const names = [...table.querySelectorAll('td.bc-metric-name a')].map(
    (a) => Math.round(
      a.getBoundingClientRect().height / parseFloat(getComputedStyle(a).lineHeight)));
  const box = table.getBoundingClientRect();
  const main = document.querySelector('main').getBoundingClientRect();
  return {
    page: document.documentElement.scrollWidth, view: window.innerWidth,
    tableRight: box.right, mainLeft: main.left, mainRight: main.right, names,
    rows: table.querySelectorAll('tbody tr').length,
    headings: [...table.querySelectorAll('.nhsuk-table-responsive__heading')].filter(
      (h) => getComputedStyle(h).display !== 'none').length,
  };
}"""


@pytest.mark.parametrize("width", [1280, 1920])
def test_the_dashboard_fits_a_desktop_screen(page, demo, log_in, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in("analyst")
    page.goto("/metrics/?month=2018-08")
    found = page.evaluate(MEASURE)
    assert found["page"] == found["view"]  # the page never scrolls sideways
    assert found["mainLeft"] >= 16  # content is not against the screen's edge
    assert found["tableRight"] <= found["mainRight"] + 1  # the last column is on the page
    # Every metric of the demo (eleven since the DTOC family) has its name on three lines at most.
    assert len(found["names"]) == found["rows"] >= 11, found
    assert max(found["names"]) <= 3, found["names"]
    assert found["headings"] == 0  # a table, with its headings at the top
    # Each caveat (the providers' and the revised targets') is on the screen, not cut off.
    caveats = page.get_by_test_id("caveat").all()
    assert len(caveats) >= 3
    for caveat in caveats:
        assert caveat.is_visible() and caveat.bounding_box()["x"] + 40 < width


def test_the_dashboard_reads_on_a_phone(page, demo, log_in):
    page.set_viewport_size({"width": 360, "height": 740})
    log_in("analyst")
    page.goto("/metrics/?month=2018-08")
    found = page.evaluate(MEASURE)
    assert found["page"] == 360
    assert found["tableRight"] <= 360
    # Each figure carries its heading beside it: ten shown columns for every metric.
    assert found["rows"] >= 11
    assert found["headings"] == 10 * found["rows"]
