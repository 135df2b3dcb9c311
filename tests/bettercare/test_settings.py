"""Production settings are safe: `check --deploy` is clean with DEBUG off."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "bettercare.settings", **env}
    # The browser tests lift Django's async guard for their session; production never does.
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_is_clean_in_production_settings():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="bettercare.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_would_catch_debug_left_on():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="true", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="bettercare.example.org",
    )
    assert result.returncode != 0
    assert "security.W018" in result.stderr + result.stdout


def test_a_bad_flag_is_refused_with_its_name():
    result = _manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("sqlite:////tmp/x.sqlite3", "django.db.backends.sqlite3"),
        ("postgres://u:p@127.0.0.1:5432/bettercare", "django.db.backends.postgresql"),
    ],
)
def test_database_url_chooses_the_engine(url, engine):
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bettercare.settings", "DATABASE_URL": url},
    )
    assert result.stdout.strip() == engine, result.stderr


@pytest.mark.parametrize(
    ("trusted", "expected"),
    [("", "None"), ("false", "None"), ("true", "('HTTP_X_FORWARDED_PROTO', 'https')")],
)
def test_the_forwarded_protocol_is_believed_only_behind_a_trusted_proxy(trusted, expected):
    """With HTTPS on, a client could otherwise claim HTTPS with X-Forwarded-Proto itself."""
    code = (
        "from django.conf import settings; "
        "print(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bettercare.settings", "HTTPS": "true",
             "TRUSTED_PROXY": trusted},
    )
    assert result.stdout.strip() == expected, result.stderr


def test_sqlite_runs_in_wal_mode_with_immediate_transactions_and_a_busy_timeout(tmp_path):
    """Writers wait for each other (IMMEDIATE: the lock is taken when the transaction begins,
    so the busy timeout applies) and readers never wait for a writer (WAL)."""
    code = (
        "from django.db import connection; "
        "cursor = connection.cursor(); "
        "print(cursor.execute('PRAGMA journal_mode').fetchone()[0], "
        "connection.transaction_mode, connection.settings_dict['OPTIONS']['timeout'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bettercare.settings",
             "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
    )
    assert result.stdout.split() == ["wal", "IMMEDIATE", "20"], result.stderr


def test_every_page_carries_a_content_security_policy_without_inline_script(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
