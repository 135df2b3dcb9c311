"""Lays out PDFs in a process of its own:

    python -m reports.pdf_worker STATIC.json IN.html OUT.pdf [IN2.html OUT2.pdf ...]

Started by `reports.pdf.render_pdfs_isolated`, so that WeasyPrint's memory goes back to the
operating system when the process ends. STATIC.json says where the static files are (a
`reports.pdf.StaticFiles`): the worker does not set Django up, it never touches the database.
For each document it prints `DOCUMENT <index>`, then `PROGRESS <WeasyPrint step>` lines as it
goes and `PAGES <n>` when its PDF is written.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) < 3 or len(argv) % 2 == 0:
        print(
            "usage: python -m reports.pdf_worker STATIC.json IN.html OUT.pdf [...]",
            file=sys.stderr,
        )
        return 2
    from reports.pdf import StaticFiles, render_pdf, report_weasyprint_progress, url_fetcher

    static = json.loads(Path(argv[0]).read_text())
    static_files = StaticFiles(url=static["url"], roots=tuple(map(tuple, static["roots"])))
    report_weasyprint_progress(lambda step: print(f"PROGRESS {step}", flush=True))
    documents = argv[1:]
    for index in range(len(documents) // 2):
        source, target = Path(documents[2 * index]), Path(documents[2 * index + 1])
        print(f"DOCUMENT {index}", flush=True)
        result = render_pdf(source.read_text(encoding="utf-8"), fetcher=url_fetcher(static_files))
        target.write_bytes(result.pdf)
        print(f"PAGES {result.pages}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
