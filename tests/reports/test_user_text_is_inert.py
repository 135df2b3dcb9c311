"""Text typed by people is shown, never run or fetched: `<script>` and `<img src="http://...">`
in every editable field stay text on the page and in the PDF, and WeasyPrint makes no request;
the little Markdown the texts may hold (lists, bold) is all that becomes markup.

The proof of "no request" is a real HTTP server on loopback that counts every hit, and a
control showing that the same server is hit when WeasyPrint is given such markup unescaped with
its default fetcher: the test would fail if the pack let the markup through."""

import re
import threading
from html.parser import HTMLParser
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


# A list in each long text, with markup inside its items: the list becomes a list, the markup
# stays text.
LISTS = (
    '\n\n- a bullet with <b onclick="alert(1)">markup</b>\n- **bold** and *italic*'
    "\n\n(i) first numbered\n(ii) second numbered"
)
# Escaped by Django (&quot;) or by the Markdown renderer (quotes are harmless in text).
QUOTE = r"(?:&quot;|\")"
ESCAPED_SCRIPT = re.compile(rf"&lt;script&gt;alert\({QUOTE}pwned{QUOTE}\)&lt;/script&gt;")


class Elements(HTMLParser):
    """Every element of a page with its attributes."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


@pytest.fixture
def hostile_pack(pack, priorities, carers, analyst, server, figures):
    short = hostile(server)
    text = short + LISTS
    # A highlight report (appendix 1) and the pack's words on the metrics: the commentary of the
    # performance table and a headline with its chart.
    accepted_report(carers, analyst=analyst, priorities=text, recommendations=text)
    nel = Metric.objects.get(code="nel_admissions")
    metric_texts = {nel.pk: MetricText(commentary=short, headline=True, headline_text=text)}
    portfolio_ratings_save(
        area=pack.area,
        quarter=parse_quarter("2018-19-Q2"),
        entries=[RatingEntry(scheme=carers, rag="amber", narrative=short[:300])],
        user=analyst,
    )
    return pack_text_save(
        pack=pack,
        text={
            "report_of": short[:200],
            "contact_name": short[:200],
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
    elements = Elements(html).found
    # No element of the page came from the text: no image, stylesheet or handler of its.
    for tag, attrs in elements:
        assert not any(server.url in (value or "") for value in attrs.values()), (tag, attrs)
        assert "onclick" not in attrs, (tag, attrs)
    # Escaped wherever it is shown: 2 priorities, the cover's 3 fields, summary, recommendations,
    # reasons, 3 implications, the portfolio, the table's commentary, the headline and the
    # report's two answers.
    assert len(ESCAPED_SCRIPT.findall(html)) == 16
    # The lists are lists, the markup in them text: the summary, the reasons, the three
    # implications, two highlights, the headline and the report's two answers.
    assert html.count("<li>a bullet with &lt;b onclick=") >= 10
    assert html.count("<li><strong>bold</strong> and <em>italic</em></li>") >= 10
    assert html.count('<ol type="i">\n<li>first numbered</li>') >= 10
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
    # The lists laid out as lists, with their bullets and roman numbers.
    assert text.count('• a bullet with <b onclick="alert(1)">markup</b>') >= 10
    assert text.count("i. first numbered ii. second numbered") >= 10
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
