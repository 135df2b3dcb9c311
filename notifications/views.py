"""The account page (reminders on or off) and the record of e-mails sent about an area."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_tables2 import RequestConfig

from bettercare.views import area_required

from . import services
from .forms import AccountForm
from .models import EmailRecord
from .permissions import may_view_email_log
from .selectors import email_for_area, emails_for_area, wants_reminders
from .tables import EmailTable


@require_http_methods(["GET", "POST"])
def account(request):
    if request.method == "POST":
        form = AccountForm(request.POST)
        if form.is_valid():
            services.email_preference_save(
                user=request.user, reminders=form.cleaned_data["reminders"]
            )
            messages.success(
                request,
                "Reminders are on." if form.cleaned_data["reminders"] else "Reminders are off.",
            )
            return redirect("notifications:account")
    else:
        form = AccountForm(initial={"reminders": wants_reminders(request.user)})
    return render(request, "notifications/account.html", {"form": form})


@require_http_methods(["GET"])
@area_required
def email_log(request):
    if not may_view_email_log(request.user, request.area):
        raise PermissionDenied("The record of e-mails is for the area's analysts.")
    records = emails_for_area(area=request.area)
    state = request.GET.get("state", "")
    if state in EmailRecord.State.values:
        records = records.filter(state=state)
    table = EmailTable(records)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    failed = emails_for_area(area=request.area).filter(state=EmailRecord.State.FAILED).count()
    return render(
        request,
        "notifications/email_log.html",
        {"table": table, "failed": failed, "state": state, "states": EmailRecord.State},
    )


@require_POST
@area_required
def email_send_again(request, pk: int):
    if not may_view_email_log(request.user, request.area):
        raise PermissionDenied("Only the area's analysts can send e-mails again.")
    record = email_for_area(area=request.area, pk=pk)
    if record is None:
        raise Http404("There is no such e-mail among your area's.")
    record = services.email_send_again(record=record, user=request.user)
    if record.state == EmailRecord.State.SENT:
        messages.success(request, f"Sent to {record.to_address}: “{record.subject}”.")
    else:
        messages.error(request, f"It failed again: {record.error}")
    return redirect(request.POST.get("next") or "notifications:email_log")
