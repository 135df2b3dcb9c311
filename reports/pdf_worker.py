"""Lays out PDFs in a process of its own:

    python -m reports.pdf_worker STATIC.json

Started by `reports.pdf.PdfWorker`, so that WeasyPrint's memory goes back to the operating
system when the process ends. It is started before the pack's HTML is ready: while the pack is
read and its charts drawn, it imports WeasyPrint and lays out a small page with the print
stylesheet (loading the fonts), and then prints `READY`. It then reads the documents to lay out
from its standard input, one `IN.html<TAB>OUT.pdf` line each, until the input ends. For each it
prints `DOCUMENT <index>`, then `PROGRESS <WeasyPrint step>` lines as it goes and `PAGES <n>`
when its PDF is written.

STATIC.json says where the static files are (a `reports.pdf.StaticFiles`): the worker does not
set Django up, it never touches the database.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# Enough of a pack page to load what every layout needs: the stylesheet, its fonts, bold text.
WARM_UP = (
    '<!DOCTYPE html><html lang="en-GB"><head><link rel="stylesheet" '
    'href="{static}reports/pack-print.css"></head><body><h2>Warm up</h2><p>A <strong>page'
    "</strong> of text.</p><table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr>"
    "</tbody></table></body></html>"
)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m reports.pdf_worker STATIC.json < documents", file=sys.stderr)
        return 2
    from reports.pdf import StaticFiles, render_pdf, report_weasyprint_progress, url_fetcher

    static = json.loads(Path(argv[0]).read_text())
    static_files = StaticFiles(url=static["url"], roots=tuple(map(tuple, static["roots"])))
    render_pdf(WARM_UP.format(static=static_files.url), fetcher=url_fetcher(static_files))
    print("READY", flush=True)
    report_weasyprint_progress(lambda step: print(f"PROGRESS {step}", flush=True))
    for index, line in enumerate(sys.stdin):
        source, target = (Path(part) for part in line.rstrip("\n").split("\t"))
        print(f"DOCUMENT {index}", flush=True)
        result = render_pdf(source.read_text(encoding="utf-8"), fetcher=url_fetcher(static_files))
        target.write_bytes(result.pdf)
        print(f"PAGES {result.pages}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
