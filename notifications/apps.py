from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """E-mail: every message the service sends, recorded with its outcome, and each person's
    choice about reminders. Apps above bettercare send through `notifications.services`;
    this app names none of them."""

    name = "notifications"
    verbose_name = "E-mail notices and reminders"
    # Its pages are at the site's root: /account/, /emails/ and /accounts/password/reset/.
    url_prefix = ""
    role_permissions = {
        "administrator": {"notifications.view_emailrecord"},
        "analyst": {"notifications.view_emailrecord"},
    }
