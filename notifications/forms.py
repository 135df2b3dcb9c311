"""The account page's form, and the password reset form that sends through this app."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.urls import reverse

from .services import email_send_now, render, site_url


class AccountForm(forms.Form):
    reminders = forms.BooleanField(
        label="Send me reminders before a report is due and when it is overdue",
        required=False,
        help_text="E-mails about your own reports (returned, accepted) and reports waiting for "
        "you are always sent.",
    )


def _hours_in_words(seconds: int) -> str:
    hours = max(1, round(seconds / 3600))
    if hours % 24 == 0:
        days = hours // 24
        return f"{days} day{'s' if days > 1 else ''}"
    return f"{hours} hour{'s' if hours > 1 else ''}"


class SitePasswordResetForm(PasswordResetForm):
    """Django's password reset, its link built from SITE_URL and sent (and recorded) like
    every other e-mail of the service. The record keeps no copy of the link."""

    email = forms.EmailField(
        label="Your e-mail address",
        max_length=254,
        help_text="The address your account has. We will send a link to choose a new password.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.com",
        },
    )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        path = reverse(
            "notifications:password_reset_confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        rendered = render(
            "notifications/email/password_reset",
            {
                "recipient_name": user.get_full_name() or user.username,
                "username": user.get_username(),
                "reset_url": site_url(path),
                "valid_for": _hours_in_words(settings.PASSWORD_RESET_TIMEOUT),
            },
        )
        email_send_now(
            recipient_address=to_email,
            recipient=user,
            kind="password_reset",
            rendered=rendered,
            keep_body=False,
            note="Not kept: this e-mail held a link to reset the password.",
        )
