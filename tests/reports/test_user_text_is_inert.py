"""Text typed by people is shown, never run or fetched: `<script>` and `<img src="http://...">`
in every editable field stay text on the page and in the PDF, and WeasyPrint makes no request.

The proof of "no request" is a real HTTP server on loopback that counts every hit, and a
control showing that the same server is hit when WeasyPrint is given such markup unescaped with
its default fetcher: the test would fail if the pack let the markup through."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bettercare.periods import parse_quarter
from metrics.models import Metric
from reports.assembly import FULL, PUBLIC, PackAssembly, pack_pdfs_build, run_to_end
from reports.pdf import URLRefused, _url_fetcher_class, render_pdf
from reports.services import MetricText, RatingEntry, pack_text_save, portfolio_ratings_save

from .conftest import accepted_report
from .pdf_reading import flat, pdf_pages

pytestmark = pytest.mark.django_db

# The smallest valid PNG: 1 x 1 pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class CountingServer:
    def __init__(self):
        self.hits: list[str] = []
        counter = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                counter.hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                self.wfile.write(PNG)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server():
    with CountingServer() as counting:
        yield counting


def hostile(server) -> str:
    return (
        f'<script>alert("pwned")</script><img src="{server.url}/tracker.png">'
        f'<link rel="stylesheet" href="{server.url}/evil.css">'
    )


@pytest.fixture
def hostile_pack(pack, priorities, carers, analyst, server, figures):
    text = hostile(server)
    # A highlight report (appendix 1) and the pack's words on the metrics: the commentary of the
    # performance table and a headline with its chart.
    accepted_report(carers, analyst=analyst, priorities=text, recommendations=text)
    nel = Metric.objects.get(code="nel_admissions")
    metric_texts = {nel.pk: MetricText(commentary=text[:600], headline=True, headline_text=text)}
    portfolio_ratings_save(
        area=pack.area,
        quarter=parse_quarter("2018-19-Q2"),
        entries=[RatingEntry(scheme=carers, rag="amber", narrative=text[:300])],
        user=analyst,
    )
    return pack_text_save(
        pack=pack,
        text={
            "report_of": text[:200],
            "contact_name": text[:200],
            "confidentiality": text,
            "brief_summary": text,
            "recommendations": text,
            "reasons": text,
            "legal_implications": text,
            "risk_implications": text,
            "policy_implications": text,
        },
        highlights={priority.pk: text for priority in priorities},
        metric_texts=metric_texts,
    )


def test_user_text_is_escaped_on_the_page(hostile_pack, server, login, secretary):
    response = login(secretary).get(f"/reports/packs/{hostile_pack.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<script>alert("pwned")' not in html
    assert f'<img src="{server.url}' not in html and f'href="{server.url}' not in html
    # Escaped wherever it is shown: 2 priorities, the cover's 3 fields, summary, recommendations,
    # reasons, 3 implications, the portfolio, the table's commentary, the headline and the
    # report's two answers.
    assert html.count("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;") == 16
    assert server.hits == []


def test_the_pdf_shows_the_markup_as_text_and_fetches_nothing(hostile_pack, server):
    fetched: list[str] = []

    class RecordingFetcher(_url_fetcher_class()):
        def fetch(self, url, headers=None):
            fetched.append(url)
            return super().fetch(url, headers)

    html = PackAssembly(hostile_pack, version_label="Test").print_html(public=False)
    result = render_pdf(html, fetcher=RecordingFetcher())
    text = flat(" ".join(pdf_pages(result.pdf)))

    # Shown as the words typed, in every place it was typed (the commentary of the table, the
    # headline and the highlight report among them); a narrow cell may wrap it.
    assert "".join(text.split()).count('<script>alert("pwned")</script>') == 16
    assert f'<img src="{server.url}/tracker.png">' in text
    assert server.hits == []
    # The only things WeasyPrint asked for: the print stylesheet and the charts' data: URIs.
    assert fetched[0] == "file:///static/reports/pack-print.css"
    assert len(fetched) == 2 and all(  # one chart: the headline's
        url.startswith("data:image/svg+xml;base64,") for url in fetched[1:]
    )


def test_the_web_build_in_its_own_process_fetches_nothing(hostile_pack, server):
    built = run_to_end(
        pack_pdfs_build(hostile_pack, version_label="Test", outputs=(FULL, PUBLIC))
    )
    assert server.hits == []
    # It did lay the hostile text out (as text), so nothing was fetched for a real reason.
    text = "".join(flat(" ".join(pdf_pages(built.pdfs[FULL].pdf))).split())
    assert '<script>alert("pwned")</script>' in text


def test_control_the_server_counts_a_fetch_that_weasyprint_is_allowed_to_make(server):
    """Without escaping and with WeasyPrint's default fetcher, the same markup is fetched:
    so the zero counts above are real."""
    from weasyprint.urls import URLFetcher

    raw = f'<p>Raw</p><img src="{server.url}/tracker.png">'
    render_pdf(raw, fetcher=URLFetcher())
    assert server.hits == ["/tracker.png"]


def test_even_unescaped_markup_cannot_make_the_pack_fetcher_go_out(server):
    raw = (
        f'<p>Raw</p><img src="{server.url}/tracker.png">'
        f'<link rel=stylesheet href="{server.url}/x.css">'
    )
    render_pdf(raw)  # WeasyPrint logs the refused images and carries on
    assert server.hits == []
    with pytest.raises(URLRefused):
        _url_fetcher_class()().fetch(f"{server.url}/tracker.png")
