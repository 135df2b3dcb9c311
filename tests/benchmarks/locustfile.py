"""The load test's users, for locust (run by bench_load.py, which starts everything it needs).

Each user is logged in already: it is given a session of its own from the file
LOAD_SESSIONS names (made by bench_load.py for the demo's analyst and secretary), so that the
test measures the pages and not the password hasher. It opens one of the pages the issue lists
at random, then pauses 2 to 5 s (LOAD_PAUSE=0: no pause, for the most requests a second).
Every page must answer 200 with its own heading; anything else counts as an error.
"""

from __future__ import annotations

import itertools
import json
import os
import threading

from locust import HttpUser, between, constant, task

SESSIONS = json.loads(open(os.environ["LOAD_SESSIONS"]).read())  # noqa: SIM115
PAGES = json.loads(os.environ["LOAD_PAGES"])  # {name: [url, text that must be on it]}
_next_session = itertools.cycle(SESSIONS)
_lock = threading.Lock()


class BoardUser(HttpUser):
    wait_time = between(2, 5) if os.environ.get("LOAD_PAUSE", "1") != "0" else constant(0)

    def on_start(self) -> None:
        with _lock:
            session = next(_next_session)
        self.client.cookies.set("sessionid", session["sessionid"])
        self.pages = [
            (name, url, text) for name, (url, text) in PAGES.items()
            if name in session["pages"]
        ]

    @task
    def open_a_page(self) -> None:
        import random

        name, url, text = random.choice(self.pages)
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as answer:
            if answer.status_code != 200:
                answer.failure(f"status {answer.status_code}")
            elif text not in answer.text:
                answer.failure(f"no {text!r} on the page")
