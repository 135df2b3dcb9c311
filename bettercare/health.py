"""`/healthz`: does this web process reach its database and its queue?

A load balancer (or an operator's curl) asks it without logging in, often by the machine's
address and over plain HTTP, so it is answered by a middleware placed before the host check,
the HTTPS redirect and the login: 200 with `"status": "ok"` when both answer, 503 with
`"status": "failing"` and the failing part named otherwise. It says nothing more than which
part answered: no versions, no addresses, no error text beyond the exception's class.
"""

from __future__ import annotations

from django.db import connection
from django.http import JsonResponse

from . import jobs

PATHS = {"/healthz", "/healthz/"}


def database_health() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return False, f"failing: the database did not answer ({type(error).__name__})"
    return True, "ok"


def health() -> tuple[int, dict[str, object]]:
    checks = {"database": database_health(), "queue": jobs.queue_health()}
    failing = [name for name, (ok, _) in checks.items() if not ok]
    body: dict[str, object] = {"status": "failing" if failing else "ok"}
    body.update({name: detail for name, (_, detail) in checks.items()})
    if failing:
        body["failing"] = failing
    return (503 if failing else 200), body


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path not in PATHS:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return JsonResponse({"status": "method not allowed"}, status=405)
        status, body = health()
        response = JsonResponse(body, status=status)
        response["Cache-Control"] = "no-store"
        return response
