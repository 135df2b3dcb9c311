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
    TRUSTED_PROXY  `true`/`false` (default false): a reverse proxy in front sets
                   X-Forwarded-Proto and X-Forwarded-For, and clients cannot reach the app
                   except through it. Only then are those headers believed.
    CSRF_TRUSTED_ORIGINS  comma-separated origins, needed behind some proxies.
    SITE_URL       the address people reach the service at, for links in e-mails
                   (default http://127.0.0.1:8000).
    EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS,
    DEFAULT_FROM_EMAIL, EMAIL_BACKEND  Django's e-mail settings. With no EMAIL_HOST (and no
                   EMAIL_BACKEND) e-mails are written as files to EMAIL_FILE_PATH (default:
                   the folder `mail/` in the project folder) instead of being sent.
    REDIS_URL      `redis://host:port/db`: background jobs go to RQ, run by
                   `python manage.py rqworker`; unset, they run in a thread of the web process.
    LOG_FORMAT     `text` (default) or `json`: one log line per request, with its duration.
    LOG_LEVEL      default WARNING (requests are always logged, at INFO).
"""

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

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
TRUSTED_PROXY = env_flag("TRUSTED_PROXY", False)
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
    "axes",
    "csp",
    "bettercare",
    "notifications",
    "schemes",
    "metrics",
    "finance",
    "reports",
    "system",
]

MIDDLEWARE = [
    # One log line per request, with its duration; then /healthz, answered before anything
    # else looks at the request (a load balancer asks it by the machine's address, with no
    # login and over plain HTTP).
    "bettercare.logs.RequestLogMiddleware",
    "bettercare.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads a request's body (CSRF checking reads every POST's).
    "bettercare.middleware.RequestSizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "bettercare.middleware.CurrentAreaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a write that met another at the same moment into the conflict page (409).
    "bettercare.middleware.WriteConflictMiddleware",
    # Last, so that it sees the login view's answer (see django-axes' documentation).
    "axes.middleware.AxesMiddleware",
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
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # A transaction takes the write lock when it begins. With SQLite's default
            # (deferred) transactions one that read first and then writes fails at once with
            # "database is locked" when another writer got there first, and the busy timeout
            # never applies; begun IMMEDIATE, it waits its turn instead.
            "transaction_mode": "IMMEDIATE",
            # Seconds a writer waits for another to finish before giving up (the conflict page).
            "timeout": 20,
            # Write-ahead logging: readers never wait for a writer, nor a writer for readers.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails a request (and /healthz) in seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)

FORM_RENDERER = "bettercare.forms.NhsukFormRenderer"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Refuses logins for a username or an address with too many failures (django-axes).
    "bettercare.auth.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
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
    "bettercare.staticfiles.NhsukStylesheetFinder",
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
# The largest file an import takes; a request much larger is refused before it is read
# (bettercare.middleware.RequestSizeLimitMiddleware).
UPLOAD_MAX_BYTES = 10 * 1024 * 1024

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
    if TRUSTED_PROXY:
        # Believed only when a proxy in front sets it: otherwise any client could claim HTTPS.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# E-mail: Django's own settings, from the environment. Without a mail server the messages are
# written to files (one per message) so that `make demo` shows what would have been sent.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT") or 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", False)
# A mail server that does not answer must not hold a person's page for long; the e-mail is
# recorded as failed and sent again later.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT") or 10)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH") or str(BASE_DIR / "mail")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Better Care reporting <better-care@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A password reset link works for a day.
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60

# Login throttling (django-axes): five failed logins in a row lock that username, and
# separately that address, for 15 minutes; an administrator can lift a lock in the admin
# (Access attempts) or with `manage.py axes_reset_username USERNAME`.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# The address is the connection's, or the one a trusted proxy forwards (bettercare.auth).
AXES_CLIENT_IP_CALLABLE = "bettercare.auth.client_address"

# Content-Security-Policy (django-csp): no inline script and nothing from other sites. Charts
# are drawn by a static script from JSON data blocks (see bettercare.charts), with plotly.js's
# strict bundle (no eval). Inline styles stay allowed: plotly sets style attributes on what it
# draws, and a style cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

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
