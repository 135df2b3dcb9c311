"""Profiles the pack page under load (see settings_profile.py)."""

from __future__ import annotations

import atexit
import os
import re
import threading
from pathlib import Path

from pyinstrument import Profiler
from pyinstrument.session import Session

PACK_PAGE = re.compile(r"^/reports/packs/\d+/$")
_sessions: list[Session] = []
_lock = threading.Lock()


class PackPageProfiler:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not PACK_PAGE.match(request.path) or request.method != "GET":
            return self.get_response(request)
        profiler = Profiler(interval=0.001, async_mode="disabled")
        profiler.start()
        try:
            return self.get_response(request)
        finally:
            profiler.stop()
            with _lock:
                _sessions.append(profiler.last_session)


def _write() -> None:
    folder = os.environ.get("BENCH_PROFILE_DIR")
    if not folder or not _sessions:
        return
    combined = _sessions[0]
    for session in _sessions[1:]:
        combined = Session.combine(combined, session)
    from pyinstrument.renderers import ConsoleRenderer

    text = ConsoleRenderer(unicode=False, color=False, short_mode=False).render(combined)
    Path(folder).mkdir(parents=True, exist_ok=True)
    Path(folder, f"pack-page-{os.getpid()}.txt").write_text(
        f"{len(_sessions)} pack pages, {combined.duration:.1f} s of wall time in all\n{text}"
    )


atexit.register(_write)
