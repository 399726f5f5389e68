"""Writes of the bibliography: capturing a source's document. Admin, commands and tests call these.

``actor=None`` means a trusted caller (a management command run on the server);
otherwise the actor's permissions are checked inside each service.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from sources.documents import DocumentError, extract_text
from sources.fetching import FetchLimits, fetch_document
from sources.models import Outlet, Person, Source, SourceDocument, source_document_path


def _require(actor: AbstractBaseUser | None, perm: str, what: str) -> None:
    if actor is not None and not (actor.is_active and actor.has_perm(perm)):
        raise PermissionDenied(f"You do not have permission to {what}.")


def source_get_or_create_for_url(
    *, url: str, actor: AbstractBaseUser | None = None
) -> tuple[Source, bool]:
    """The Source with exactly this URL, or a new one titled with the URL (editors retitle it).

    Returns ``(source, created)``. Raises ``ValidationError`` for an invalid URL.
    """
    url = url.strip()
    existing = Source.objects.filter(url=url).first() if url else None
    if existing is not None:
        return existing, False
    _require(actor, "sources.add_source", "add sources")
    source = Source(url=url, title=url[:500])
    source.full_clean()
    with transaction.atomic():
        source.save()
    return source, True


def source_document_attach(
    *,
    source: Source,
    data: bytes,
    content_type: str | None,
    filename: str,
    actor: AbstractBaseUser | None,
    fetched_from: str = "",
) -> SourceDocument:
    """Store ``data`` as ``source``'s current document, with its extracted text and SHA-256.

    The previous capture stays, no longer current (quotation checks made against it
    keep pointing at it). Attaching the bytes of the current capture again changes
    nothing and returns it. Raises ``ValidationError`` (too big, unreadable, no text) or
    ``PermissionDenied``.
    """
    _require(actor, "sources.add_sourcedocument", "attach source documents")
    limit = settings.COUNTERPOINT_FETCH_MAX_BYTES
    if len(data) > limit:
        raise ValidationError(
            f"The document is {len(data):,} bytes, over the {limit:,}-byte limit."
        )
    try:
        extracted = extract_text(data, content_type=content_type, filename=filename)
    except DocumentError as error:
        raise ValidationError(f"Cannot read {filename or 'the document'}: {error}.") from error
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        Source.objects.select_for_update().filter(pk=source.pk).first()  # one capture at a time
        current = SourceDocument.objects.current().filter(source=source).first()
        if current is not None and current.sha256 == digest:
            return current
        document = SourceDocument(
            source=source,
            sha256=digest,
            text=extracted.text,
            content_type=extracted.content_type,
            byte_size=len(data),
            filename=(filename or "")[:255],
            fetched_from=fetched_from,
            extraction_method=extracted.method,
            captured_at=timezone.now(),
            captured_by=actor,
        )
        # Storage is not transactional: the name is derived from the bytes, so a capture
        # retried after a rollback reuses the file it left behind instead of adding one.
        name = source_document_path(document, filename or "document")
        storage = document.file.storage
        document.file.name = name if storage.exists(name) else storage.save(name, ContentFile(data))
        if current is not None:
            current.is_current = False
            current.save(update_fields=["is_current"])
        document.full_clean()
        document.save()
    return document


def fetch_limits() -> FetchLimits:
    """The fetch limits from settings (COUNTERPOINT_FETCH_*)."""
    return FetchLimits(
        max_bytes=settings.COUNTERPOINT_FETCH_MAX_BYTES,
        connect_timeout=settings.COUNTERPOINT_FETCH_CONNECT_TIMEOUT,
        read_timeout=settings.COUNTERPOINT_FETCH_READ_TIMEOUT,
        total_timeout=settings.COUNTERPOINT_FETCH_TOTAL_TIMEOUT,
        max_redirects=settings.COUNTERPOINT_FETCH_MAX_REDIRECTS,
    )


def source_document_fetch(*, source: Source, actor: AbstractBaseUser | None) -> SourceDocument:
    """Fetch ``source.url`` (sources.fetching's SSRF rules) and attach what comes back.

    The network request runs before, and outside, the database transaction. Raises
    ``sources.fetching.FetchError`` when the fetch is refused or fails, and what
    ``source_document_attach`` raises.
    """
    _require(actor, "sources.add_sourcedocument", "fetch source documents")
    if not source.url:
        raise ValidationError(f"“{source.title}” has no URL to fetch.")
    fetched = fetch_document(
        source.url,
        limits=fetch_limits(),
        allowed_addresses=settings.COUNTERPOINT_FETCH_ALLOWED_ADDRESSES,
    )
    return source_document_attach(
        source=source,
        data=fetched.data,
        content_type=fetched.content_type,
        filename=fetched.filename,
        actor=actor,
        fetched_from=fetched.url,
    )


def merge_into(*, keep: Outlet | Person, others: list, actor: AbstractBaseUser) -> int:
    """Merge duplicate outlets (or people) into `keep`: every reference to the others
    (quotations' speaker, outlet and via; sources' outlet and authors; anything else that
    points at them) moves to `keep`, each referring row saved with its history ("merged
    X into Y"), and the others' names and aliases become aliases of `keep` so that the
    importer recognises those spellings as `keep`; then the others are deleted. Needs the
    model's change and delete permissions. Returns the number of rows moved."""
    model = type(keep)
    label = model._meta
    for codename in (f"change_{label.model_name}", f"delete_{label.model_name}"):
        _require(actor, f"{label.app_label}.{codename}", f"merge {label.verbose_name_plural}")
    others = [other for other in others if other.pk != keep.pk and type(other) is model]
    if not others:
        raise ValidationError("Choose at least two to merge.")
    moved = 0
    with transaction.atomic():
        keep = model.objects.select_for_update().get(pk=keep.pk)
        for other in others:
            reason = f"merged “{other}” into “{keep}”"
            for relation in label.related_objects:
                if relation.many_to_many:
                    for row in getattr(other, relation.get_accessor_name()).all():
                        getattr(row, relation.field.name).remove(other)
                        getattr(row, relation.field.name).add(keep)
                        moved += 1
                    continue
                if not (relation.one_to_many or relation.one_to_one):
                    continue
                for row in relation.related_model.objects.filter(**{relation.field.name: other}):
                    setattr(row, relation.field.name, keep)
                    if hasattr(row, "version"):
                        row.version += 1  # an editor's form loaded before the merge is stale
                    row._history_user, row._change_reason = actor, reason
                    row.save()
                    moved += 1
            spellings = [other.name, *other.aliases]
            known = {keep.name.casefold(), *(alias.casefold() for alias in keep.aliases)}
            keep.aliases = [*keep.aliases, *(s for s in spellings if s.casefold() not in known)]
            other.delete()
        keep.save(update_fields=["aliases"])
    return moved
