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

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not SQLite's in-memory default: a live server's threads then hold connections of
    # their own, so that tests of concurrent writers meet the real locks (WAL, IMMEDIATE, the
    # busy timeout) as production does. One file per test process.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"bettercare-test-{os.getpid()}.sqlite3")
    }
