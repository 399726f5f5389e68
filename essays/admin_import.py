"""The admin's two-step essay import: upload or paste → preview → confirm.

Step 1 parses the input and shows what would be created; the input itself (not the
parse result) waits on the server in an ImportUpload row, and step 2 gets only a signed
reference to it, tied to the user. Step 2 parses the stored input again before saving, so
a client cannot edit what gets saved; a file of any allowed size can be confirmed; any
app server can answer either step (the row is in the database); and confirming the same
preview twice (a double click, a resent form) makes one essay, not two.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import ngettext

from essays.forms import EssayImportConfirmForm, EssayImportForm
from essays.importer import EssayImportError, import_preview, parse_for_import, save_import
from essays.models import ImportUpload

SALT = "essays.admin.import"
PREVIEW_MAX_AGE = 60 * 60  # seconds a preview may be confirmed for
TEMPLATE = "admin/essays/essay/import.html"
MAX_WARNING_MESSAGES = 10


def _keep(request: HttpRequest, *, data: bytes, filename: str, format: str, author: str) -> str:
    """Store the upload for its confirmation; the signed reference the form carries."""
    # Previews nobody confirmed in time are dropped as new ones arrive.
    cutoff = timezone.now() - timedelta(seconds=PREVIEW_MAX_AGE)
    ImportUpload.objects.filter(created_at__lt=cutoff).delete()
    upload = ImportUpload.objects.create(
        user=request.user, data=data, filename=filename, format=format, author=author
    )
    return signing.dumps({"upload": upload.pk, "user": request.user.pk}, salt=SALT)


def _upload_for(request: HttpRequest, token: str) -> ImportUpload:
    """The caller's stored upload, locked for the confirmation; BadSignature otherwise."""
    reference = signing.loads(token, salt=SALT, max_age=PREVIEW_MAX_AGE)
    if reference.get("user") != request.user.pk:
        raise signing.BadSignature("preview belongs to another user")
    upload = (
        ImportUpload.objects.select_for_update()
        .filter(pk=reference.get("upload"), user=request.user)
        .first()
    )
    if upload is None:
        raise signing.BadSignature("preview no longer stored")
    return upload


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
    token = _keep(
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
    with transaction.atomic():
        try:
            if not confirm.is_valid():
                raise signing.BadSignature("no payload")
            upload = _upload_for(request, confirm.cleaned_data["payload"])
        except signing.BadSignature:
            context["error"] = "The preview expired or was altered. Upload the essay again."
            return TemplateResponse(request, TEMPLATE, context, status=400)
        if upload.essay_id is not None:  # confirmed already: the same essay, not a second
            messages.info(request, f"“{upload.filename}” was already imported; here it is.")
            return _to_essay(upload.essay_id)
        try:
            parsed = parse_for_import(
                bytes(upload.data),
                filename=upload.filename,
                format=upload.format,
                author=upload.author,
            )
            result = save_import(parsed=parsed, actor=request.user, source_name=upload.filename)
        except EssayImportError as error:
            context["error"] = str(error)
            return TemplateResponse(request, TEMPLATE, context, status=400)
        upload.essay, upload.confirmed_at, upload.data = result.essay, timezone.now(), b""
        upload.save(update_fields=["essay", "confirmed_at", "data"])
    messages.success(request, result.summary())
    messages.info(
        request,
        format_html(
            'Check who said what: <a href="{}?order=confidence">the attribution desk</a> '
            "lists every quotation in its sentence, low confidence first.",
            reverse("admin:essays_essay_attributions", args=[result.essay.pk]),
        ),
    )
    for conflict in result.conflicts[:MAX_WARNING_MESSAGES]:
        messages.warning(request, conflict)
    for warning in result.warnings[:MAX_WARNING_MESSAGES]:
        messages.warning(request, warning)
    if len(result.warnings) > MAX_WARNING_MESSAGES:
        hidden = len(result.warnings) - MAX_WARNING_MESSAGES
        messages.warning(
            request,
            ngettext(
                "… and %d more warning, as in the preview.",
                "… and %d more warnings, as in the preview.",
                hidden,
            )
            % hidden,
        )
    return _to_essay(result.essay.pk)


def _to_essay(pk: int) -> HttpResponse:
    return HttpResponseRedirect(reverse("admin:essays_essay_change", args=[pk]))
