"""The admin's two-step essay import: upload or paste → preview → confirm.

Step 1 parses the input and shows what would be created; the input itself (not the
parse result) travels to step 2 in a signed, compressed hidden field tied to the
user, and step 2 parses it again before saving, so a client cannot edit what gets
saved and nothing is kept on the server between the steps (any app server can answer
either step).
"""

from __future__ import annotations

import base64

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from essays.forms import EssayImportConfirmForm, EssayImportForm
from essays.importer import EssayImportError, import_preview, parse_for_import, save_import

SALT = "essays.admin.import"
PREVIEW_MAX_AGE = 60 * 60  # seconds a preview may be confirmed for
TEMPLATE = "admin/essays/essay/import.html"
MAX_WARNING_MESSAGES = 10


def _sign(request: HttpRequest, *, data: bytes, filename: str, format: str, author: str) -> str:
    payload = {
        "user": request.user.pk,
        "data": base64.b64encode(data).decode("ascii"),
        "filename": filename,
        "format": format,
        "author": author,
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def _unsign(request: HttpRequest, token: str) -> dict:
    payload = signing.loads(token, salt=SALT, max_age=PREVIEW_MAX_AGE)
    if payload.get("user") != request.user.pk:
        raise signing.BadSignature("preview belongs to another user")
    payload["data"] = base64.b64decode(payload["data"])
    return payload


def essay_import_view(modeladmin, request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: a preview (step 1) or, with ``payload``, the save (step 2)."""
    if not modeladmin.has_add_permission(request):
        raise PermissionDenied
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "title": "Import essay",
    }
    if request.method == "POST" and "payload" in request.POST:
        return _confirm(modeladmin, request, context)
    form = EssayImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return TemplateResponse(request, TEMPLATE, {**context, "form": form}, status=_status(form))
    cleaned = form.cleaned_data
    try:
        parsed = parse_for_import(
            cleaned["data"],
            filename=cleaned["filename"],
            format=cleaned["format"],
            author=cleaned["author"],
        )
    except EssayImportError as error:
        form.add_error(None, str(error))
        return TemplateResponse(request, TEMPLATE, {**context, "form": form}, status=400)
    token = _sign(
        request,
        data=cleaned["data"],
        filename=cleaned["filename"],
        format=cleaned["format"],
        author=cleaned["author"],
    )
    return TemplateResponse(
        request,
        TEMPLATE,
        {
            **context,
            "title": f"Import essay: preview of {cleaned['filename']}",
            "preview": import_preview(parsed),
            "confirm_form": EssayImportConfirmForm(initial={"payload": token}),
        },
    )


def _status(form: EssayImportForm) -> int:
    return 400 if form.is_bound and form.errors else 200


def _confirm(modeladmin, request: HttpRequest, context: dict) -> HttpResponse:
    confirm = EssayImportConfirmForm(request.POST)
    context["form"] = EssayImportForm()
    try:
        if not confirm.is_valid():
            raise signing.BadSignature("no payload")
        payload = _unsign(request, confirm.cleaned_data["payload"])
    except signing.BadSignature:
        context["error"] = "The preview expired or was altered. Upload the essay again."
        return TemplateResponse(request, TEMPLATE, context, status=400)
    try:
        parsed = parse_for_import(
            payload["data"],
            filename=payload["filename"],
            format=payload["format"],
            author=payload["author"],
        )
        result = save_import(parsed=parsed, actor=request.user, source_name=payload["filename"])
    except EssayImportError as error:
        context["error"] = str(error)
        return TemplateResponse(request, TEMPLATE, context, status=400)
    messages.success(request, result.summary())
    for warning in result.warnings[:MAX_WARNING_MESSAGES]:
        messages.warning(request, warning)
    if len(result.warnings) > MAX_WARNING_MESSAGES:
        hidden = len(result.warnings) - MAX_WARNING_MESSAGES
        messages.warning(request, f"… and {hidden} more warning(s), as in the preview.")
    return HttpResponseRedirect(reverse("admin:essays_essay_change", args=[result.essay.pk]))
