"""What the application writes to its log: one line per request, as text or as JSON.

Each request gets one line from `RequestLogMiddleware`, at INFO on the `bettercare.request`
logger, with its method, path, status and duration in milliseconds. The line is plain text
(`GET /reports/ 200 41.2ms`) unless `LOG_FORMAT=json`, when every log record, the requests'
and gunicorn's and the workers' alike, is one JSON object a log collector can read without a
parsing rule of its own (`JsonFormatter`).

The path is logged without its query string: query strings are the user's filters and never
needed to find a slow page, and they are where a careless link would carry something private.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time

# Attributes every LogRecord has; anything else on a record was passed in `extra=` and is
# written out as a field of its own.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}

request_logger = logging.getLogger("bettercare.request")


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, then the
    record's extra fields (`status`, `duration_ms`...) and the exception's traceback, if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, value in vars(record).items():
            if name not in _STANDARD and not name.startswith("_"):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def logging_config(*, log_format: str, level: str) -> dict:
    """The LOGGING setting (and gunicorn's `logconfig_dict`): everything to standard error,
    requests always at INFO, other loggers from `level` up."""
    if log_format not in {"text", "json"}:
        raise ValueError(f"LOG_FORMAT must be text or json, not {log_format!r}.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            "json": {"()": "bettercare.logs.JsonFormatter"},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": log_format},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # One line a request whatever LOG_LEVEL says: it is what an operator reads first.
            "bettercare.request": {"level": "INFO", "handlers": ["console"], "propagate": False},
            # gunicorn's own lines (start-up, workers booting, timeouts) in the same format;
            # its access log is off (see bettercare/gunicorn.conf.py): requests are logged here.
            "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
            # RQ's worker says which job it takes and how it ended.
            "rq.worker": {"level": "INFO", "handlers": ["console"], "propagate": False},
        },
    }


class RequestLogMiddleware:
    """Logs every request once it is answered: method, path, status, duration (ms). First in
    the middleware, so that the duration is the whole of the application's time, static files
    and refused requests included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        user = getattr(request, "user", None)
        request_logger.info(
            "%s %s %s %sms",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response
