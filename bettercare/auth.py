"""Login throttling: django-axes refuses a login for a username, or from an address, that has
failed too often (settings: AXES_*)."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' check of each login attempt, for attempts made through a web request.

    Code that authenticates without a request (the test client's `login`, a shell) has no
    address or form to throttle, and axes would refuse it outright; it is let through to the
    password check, which still applies."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_address(request) -> str:
    """The address a login attempt came from, as throttling counts it.

    The connection's address, unless TRUSTED_PROXY says a proxy in front of the application
    forwards the client's: then the last address in X-Forwarded-For, the one that proxy added
    (any earlier ones were sent by the client and prove nothing)."""
    if getattr(settings, "TRUSTED_PROXY", False):
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")
