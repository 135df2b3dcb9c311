"""Settings for the test suite: the production settings with fast hashing and plain HTTP.

The database still comes from DATABASE_URL, so the same suite runs on SQLite and PostgreSQL.
"""

import os
import tempfile
from pathlib import Path

from .settings import *  # noqa: F403

HTTPS = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Templates use {% static %}; tests must not depend on collectstatic having run.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the apps and packages themselves, never from an older collectstatic:
# WhiteNoise looks in STATIC_ROOT before the finders, so tests give it an empty one.
STATIC_ROOT = Path(tempfile.gettempdir()) / "bettercare-test-static-root"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background jobs run in threads of the test process; the queue's tests start a real Redis and
# worker and switch to RQ themselves (tests/queue).
JOBS = {**JOBS, "BACKEND": "thread", "STALE_SECONDS": 20}  # noqa: F405
# Imports would start Chromium in the background of every test that loads figures; the tests
# of drawing ahead turn it on.
REPORTS_DRAW_AHEAD = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory, so that a worker process (tests/queue) reads the same test database.
    # Named after this process: several test runs on one machine must not share it.
    # Memory-backed where the machine has it, and never synced: a test database need not
    # survive a crash, and syncing made the suite half as slow again.
    shm = Path("/dev/shm")  # noqa: S108 (a file of this process's own name, for tests only)
    folder = shm if shm.is_dir() else Path(tempfile.gettempdir())
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(folder / f"bettercare-test-{os.getpid()}.sqlite3")
    }
    DATABASES["default"]["OPTIONS"]["init_command"] = (  # noqa: F405
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
    )
