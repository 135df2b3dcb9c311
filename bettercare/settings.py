"""Settings for Better Care reporting, read from the environment.

Production is the default: DEBUG is off and HTTPS is assumed unless the environment says
otherwise. `make demo` turns HTTPS off because it serves on loopback over plain HTTP.

Environment:
    DATABASE_URL   default: SQLite file `db.sqlite3` in the project folder;
                   `postgres://user:password@host:port/name` uses PostgreSQL (psycopg 3).
    SECRET_KEY     default: a random key kept in `.secret_key` in the project folder.
    DEBUG          `true`/`false` (default false).
    ALLOWED_HOSTS  comma-separated host names (default: localhost names).
    HTTPS          `true`/`false` (default true): secure cookies, HSTS and redirect to HTTPS.
    CSRF_TRUSTED_ORIGINS  comma-separated origins, needed behind some proxies.
    REDIS_URL      `redis://host:port/db`: background jobs go to RQ, run by
                   `python manage.py rqworker`; unset, they run in a thread of the web process.
    LOG_FORMAT     `text` (default) or `json`: one log line per request, with its duration.
    LOG_LEVEL      default WARNING (requests are always logged, at INFO).
"""

import os
import secrets
from pathlib import Path

import dj_database_url

from .logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"Environment variable {name} must be true or false, not {value!r}.")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def secret_key_from_file(path: Path) -> str:
    """A key generated on first run and kept beside the code (git-ignored), so sessions survive
    restarts without anyone having to invent a secret for a local installation."""
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


DEBUG = env_flag("DEBUG", False)
HTTPS = env_flag("HTTPS", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or secret_key_from_file(BASE_DIR / ".secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "bettercare.staticfiles.StaticFilesConfig",
    "django.contrib.humanize",
    "django.forms",
    "django_tables2",
    "django_filters",
    "simple_history",
    "django_rq",
    "bettercare",
    "schemes",
    "metrics",
    "finance",
    "reports",
]

MIDDLEWARE = [
    # One log line per request, with its duration; then /healthz, answered before anything
    # else looks at the request (a load balancer asks it by the machine's address, with no
    # login and over plain HTTP).
    "bettercare.logs.RequestLogMiddleware",
    "bettercare.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "bettercare.middleware.CurrentAreaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "bettercare.urls"
WSGI_APPLICATION = "bettercare.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bettercare.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Readers must not fail while an import or a background job writes: wait for the lock
    # rather than erroring. WAL lets pages read while a job stores a PDF; IMMEDIATE takes the
    # write lock when a transaction starts, so that a transaction that reads and then writes
    # waits for it (a deferred one would fail at once with "database is locked").
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20, transaction_mode="IMMEDIATE", init_command="PRAGMA journal_mode=WAL;"
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails a request (and /healthz) in seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)

FORM_RENDERER = "bettercare.forms.NhsukFormRenderer"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d.%m.%y"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    # NHS.UK frontend, installed by npm from package.json; never copied into the repository.
    # Only its compiled bundle and assets are collected (see bettercare.staticfiles).
    ("nhsuk", NODE_MODULES / "nhsuk-frontend" / "dist" / "nhsuk"),
]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "bettercare.staticfiles.PlotlyJsFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "media/"

# Uploads (metric and finance files) are read in memory up to this size, then spooled to disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

DJANGO_TABLES2_TEMPLATE = "tables/nhsuk_table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "nhsuk-table"}

LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").lower()
LOGGING = logging_config(log_format=LOG_FORMAT, level=os.environ.get("LOG_LEVEL", "WARNING"))

# Background jobs (see bettercare.jobs): RQ with Redis when REDIS_URL is set, else threads of
# the web process.
REDIS_URL = os.environ.get("REDIS_URL", "")
JOBS = {
    "BACKEND": "rq" if REDIS_URL else "thread",
    "QUEUE": os.environ.get("JOBS_QUEUE", "default"),
    "THREADS": int(os.environ.get("JOBS_THREADS", "2")),  # per web process, without Redis
    "HEARTBEAT_SECONDS": float(os.environ.get("JOBS_HEARTBEAT_SECONDS", "5")),
    "STALE_SECONDS": float(os.environ.get("JOBS_STALE_SECONDS", "60")),
    "TIMEOUT_SECONDS": int(os.environ.get("JOBS_TIMEOUT_SECONDS", "900")),
    # Without Redis: how long an ending process waits for its jobs (gunicorn allows 30 s).
    "EXIT_WAIT_SECONDS": float(os.environ.get("JOBS_EXIT_WAIT_SECONDS", "25")),
}
RQ_QUEUES = {
    JOBS["QUEUE"]: {
        "URL": REDIS_URL or "redis://127.0.0.1:6379/0",
        "DEFAULT_TIMEOUT": JOBS["TIMEOUT_SECONDS"],
    }
}
RQ = {"WORKER_CLASS": "bettercare.jobs.Worker"}
# After an import commits, draw the charts its area's draft packs need (reports.jobs).
REPORTS_DRAW_AHEAD = env_flag("REPORTS_DRAW_AHEAD", True)
# django-rq's dashboard lists every area's jobs: not in the admin. Jobs are in the admin as
# records of their own (bettercare.admin.JobAdmin), limited to the administrator's areas.
RQ_SHOW_ADMIN_LINK = False
