"""Lays out PDFs in a process of its own:

    python -m reports.pdf_worker IN.html OUT.pdf [IN2.html OUT2.pdf ...]

Started by `reports.pdf.render_pdfs_isolated`, so that WeasyPrint's memory goes back to the
operating system when the process ends. For each document it prints `DOCUMENT <index>`, then
`PROGRESS <WeasyPrint step>` lines as it goes and `PAGES <n>` when its PDF is written. Django
is set up for its settings only (static files); the worker never touches the database.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    if not argv or len(argv) % 2:
        print("usage: python -m reports.pdf_worker IN.html OUT.pdf [...]", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bettercare.settings")
    import django

    django.setup()
    from reports.pdf import render_pdf, report_weasyprint_progress

    report_weasyprint_progress(lambda step: print(f"PROGRESS {step}", flush=True))
    for index in range(len(argv) // 2):
        source, target = Path(argv[2 * index]), Path(argv[2 * index + 1])
        print(f"DOCUMENT {index}", flush=True)
        result = render_pdf(source.read_text(encoding="utf-8"))
        target.write_bytes(result.pdf)
        print(f"PAGES {result.pages}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
