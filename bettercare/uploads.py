"""The import pages the data apps share: upload a file, see what it would change, apply it.

An analyst uploads a CSV or XLSX file for their area. It is checked whole: a file with any bad
row is refused, every bad row named by its line, and nothing is kept. A good file is kept (a
`StagedImport`) and what it would change is shown. Applying it checks the file again and is
refused if what it would change has moved since the preview (someone imported meanwhile). Only
the person who uploaded a file can apply it.

An app describes the pages of its import (a `bettercare.imports.TabularImport`) with an
`ImportFlow` subclass, which gives it both pages:

    class MetricsImport(ImportFlow):
        importer = METRIC_FILE
        ...
    urlpatterns = [*MetricsImport().urlpatterns(), ...]
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from .import_templates import TemplateColumn, template_csv, template_xlsx
from .imports import TabularImport
from .permissions import require
from .selectors import staged_import_get
from .services import staged_import_create
from .tabular import FileRefused, PreviewOutdated
from .views import area_required


class ApplyImportForm(forms.Form):
    """Carries the fingerprint of the preview the person saw. An import that asks something
    more at its apply step subclasses it and gives its answers as `options()`."""

    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, plan=None, **kwargs):
        self.plan = plan
        super().__init__(*args, **kwargs)

    def options(self) -> dict:
        """The answers passed on to the import's `write` (none here)."""
        return {}

    def refused(self, error: ValidationError) -> None:
        """The import's own rules refused these answers: say so on the form (a subclass puts
        the message on the answer it concerns)."""
        self.add_error(None, error)


class ImportFlow:
    """One app's import pages. Subclasses set the attributes and provide `applied` (and
    `preview_context` for their preview's own figures)."""

    importer: TabularImport  # what the file holds, how it is checked and written
    form_class: type[forms.Form]  # the upload form; its file field is called `file`
    upload_template: str  # context: form, refused (a FileRefused or None)
    preview_template: str  # context: staged, plan, apply_form, and preview_context's
    apply_form_class: type[ApplyImportForm] = ApplyImportForm
    url_name = "import"  # its pages are <url_name> and <url_name>_preview in the app's URLs
    url_path = "import/"

    @property
    def kind(self) -> str:
        return self.importer.kind

    def check(self, *, data: bytes, file_name: str, area) -> Any:
        """The plan of what importing the file for `area` would change; it has a
        `fingerprint`. Raises `FileRefused` naming every bad row."""
        return self.importer.plan(content=data, file_name=file_name, only_area=area)

    def apply(self, *, staged, user, expected_fingerprint: str, **options) -> Any:
        """Import the staged file (checking it again) unless its plan no longer has
        `expected_fingerprint` (`PreviewOutdated`); returns what was done. `options` are the
        apply form's answers."""
        return self.importer.apply_staged(
            staged=staged, user=user, expected_fingerprint=expected_fingerprint, **options
        )

    def applied(self, request: HttpRequest, staged, result) -> HttpResponse:
        """Where the person goes, told what changed, once the file is imported."""
        raise NotImplementedError

    def preview_context(self, request: HttpRequest, plan) -> dict:
        return {}

    # The template to fill in (CSV or XLSX): the columns, described, and an example row for
    # the person's area. Flows without `template_columns` offer none.
    template_columns: tuple[TemplateColumn, ...] = ()
    template_title: str = "A file to import"

    def template_example(self, area) -> dict[str, str]:
        return {}

    def template(self, request: HttpRequest, file_format: str) -> HttpResponse:
        if not self.template_columns or file_format not in ("csv", "xlsx"):
            raise Http404("There is no such template.")
        example = self.template_example(request.area)
        name = f"{self.kind}-template-{request.area.code}.{file_format}"
        if file_format == "csv":
            content = template_csv(self.template_columns, example)
            content_type = "text/csv; charset=utf-8"
        else:
            content = template_xlsx(self.template_columns, example, title=self.template_title)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def may_import(self, user, area) -> bool:
        """The app's answer (its permissions.py) to: may this person import into this area?"""
        return self.importer.may_import(user, area)

    def urlpatterns(self) -> list:
        def guarded(view, methods=("GET", "POST")):
            # The upload, its preview and the template: for the people who may import.
            @wraps(view)
            def allowed(request, *args, **kwargs):
                require(
                    self.may_import(request.user, request.area),
                    "Your role does not include importing these files.",
                )
                return view(request, *args, **kwargs)

            return require_http_methods(list(methods))(area_required(allowed))

        return [
            path(self.url_path, guarded(self.upload), name=self.url_name),
            path(
                f"{self.url_path}template.<str:file_format>",
                guarded(self.template, methods=("GET",)),
                name=f"{self.url_name}_template",
            ),
            path(
                f"{self.url_path}<int:pk>/", guarded(self.preview), name=f"{self.url_name}_preview"
            ),
        ]

    def upload(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            form = self.form_class(request.POST, request.FILES)  # bound even when empty
        else:
            form = self.form_class()
        if form.is_bound and form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                self.check(data=data, file_name=upload.name, area=request.area)
            except FileRefused as refused:
                return self._refused(request, refused, form=form)
            staged = staged_import_create(
                area=request.area,
                kind=self.kind,
                file_name=upload.name,
                content=data,
                user=request.user,
            )
            return redirect(self._preview_url(request), pk=staged.pk)
        status = 400 if form.errors else 200
        return render(request, self.upload_template, {"form": form, "refused": None}, status=status)

    def preview(self, request: HttpRequest, pk: int) -> HttpResponse:
        staged = staged_import_get(pk=pk, area=request.area, kind=self.kind)
        if staged is None:
            raise Http404(
                "That upload is not waiting to be applied: it was applied, or it has expired. "
                "Upload the file again."
            )
        if staged.created_by_id != request.user.pk:
            raise Http404(
                "That upload is not yours: only the person who uploaded a file can apply it."
            )
        try:
            plan = self.check(
                data=bytes(staged.content), file_name=staged.file_name, area=request.area
            )
        except FileRefused as refused:  # the data changed since the upload was checked
            return self._refused(request, refused)
        apply_form = self.apply_form_class(
            request.POST if request.method == "POST" else None,
            initial={"fingerprint": plan.fingerprint},
            plan=plan,
        )
        if apply_form.is_bound and apply_form.is_valid():
            try:
                result = self.apply(
                    staged=staged,
                    user=request.user,
                    expected_fingerprint=apply_form.cleaned_data["fingerprint"],
                    **apply_form.options(),
                )
            except PreviewOutdated as outdated:
                messages.warning(request, str(outdated))
                return redirect(self._preview_url(request), pk=staged.pk)
            except FileRefused as refused:
                return self._refused(request, refused)
            except ValidationError as refused:  # what the import's own rules refuse
                # shown on the answers it concerns, which keep what was typed
                apply_form.refused(refused)
            else:
                return self.applied(request, staged, result)
        # Answers with errors are shown again with their messages; a post without the
        # preview's fingerprint (tampered with, or stale) just shows the preview again.
        answered = apply_form.is_bound and set(apply_form.errors) - {"fingerprint"}
        if apply_form.is_bound and not answered:
            apply_form = self.apply_form_class(
                initial={"fingerprint": plan.fingerprint}, plan=plan
            )
        context = {
            "staged": staged,
            "plan": plan,
            "apply_form": apply_form,
            **self.preview_context(request, plan),
        }
        return render(request, self.preview_template, context, status=400 if answered else 200)

    def _refused(self, request, refused: FileRefused, form=None) -> HttpResponse:
        return render(
            request,
            self.upload_template,
            {"form": form or self.form_class(), "refused": refused},
            status=400,
        )

    def _preview_url(self, request) -> str:
        return f"{request.resolver_match.namespace}:{self.url_name}_preview"
