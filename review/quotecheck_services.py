"""Checking quotations against their sources' documents: the reads and writes around
``review.quotecheck.align``. Admin actions, commands and tests call these.

``actor=None`` means a trusted caller (a management command run on the server).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from essays.models import Essay, Quotation
from review.models import QuotationCheck
from review.quotecheck import DocumentIndex, QuoteAlignment, align
from sources.models import SourceDocument

# What a reviewer decided about a check stays only while the check finds the same thing.
_FINDING_FIELDS = ("status", "document_sha256", "start", "end", "changes", "quoted_text")


def quotations_to_check(*, essay: Essay | None = None) -> QuerySet[Quotation]:
    """Quotations in reading order (essay, section, position), with source and last check."""
    quotations = Quotation.objects.select_related("source", "section", "source_check")
    if essay is not None:
        quotations = quotations.filter(section__essay=essay)
    return quotations.order_by("section__essay_id", "section__position", "start", "pk")


def current_documents(source_ids: Iterable[int]) -> dict[int, SourceDocument]:
    """Each source's current document (text included), keyed by source id; one query."""
    documents = SourceDocument.objects.current().filter(source_id__in=set(source_ids))
    return {document.source_id: document for document in documents}


def _require(actor: AbstractBaseUser | None) -> None:
    if actor is not None and not (actor.is_active and actor.has_perm("review.add_quotationcheck")):
        raise PermissionDenied("You do not have permission to check quotations.")


def quotation_check(
    *, quotation: Quotation, actor: AbstractBaseUser | None = None
) -> QuotationCheck:
    """Check one quotation against its source's current document and record the result."""
    return quotations_check(quotations=[quotation], actor=actor)[0]


def quotations_check(
    *,
    essay: Essay | None = None,
    quotations: Iterable[Quotation] | None = None,
    actor: AbstractBaseUser | None = None,
) -> list[QuotationCheck]:
    """Check ``quotations`` (default: every quotation of ``essay``, or of every essay).

    Each source's document is read and indexed once, however many quotations cite it.
    Every quotation gets one ``QuotationCheck`` row, replaced on each run; a reviewer's
    confirmation or override is kept when the finding is unchanged and cleared when it
    changed. One transaction; returns the checks in the quotations' order.
    """
    _require(actor)
    if quotations is None:
        quotations = quotations_to_check(essay=essay)
    quotations = list(quotations)
    documents = current_documents(q.source_id for q in quotations if q.source_id)
    indexes: dict[int, DocumentIndex] = {}
    results = []
    for quotation in quotations:  # aligned before the transaction: no lock held meanwhile
        document = documents.get(quotation.source_id)
        if document is not None and document.pk not in indexes:
            indexes[document.pk] = DocumentIndex(document.text)
        results.append(align(quotation.text, indexes[document.pk] if document else None))
    now = timezone.now()
    with transaction.atomic():
        # Lock the quotations, so two runs at once queue instead of racing to add a check.
        list(
            Quotation.objects.select_for_update()
            .filter(pk__in=[q.pk for q in quotations])
            .values_list("pk", flat=True)
        )
        existing = {
            c.quotation_id: c
            for c in QuotationCheck.objects.filter(quotation__in=[q.pk for q in quotations])
        }
        return [
            _record(
                quotation,
                documents.get(quotation.source_id),
                result,
                existing.get(quotation.pk),
                checked_at=now,
            )
            for quotation, result in zip(quotations, results, strict=True)
        ]


def _record(
    quotation: Quotation,
    document: SourceDocument | None,
    result: QuoteAlignment,
    check: QuotationCheck | None,
    *,
    checked_at,
) -> QuotationCheck:
    finding = {
        "status": result.status,
        "document_sha256": document.sha256 if document else "",
        "start": result.start,
        "end": result.end,
        "changes": [change.as_dict() for change in result.changes],
        "quoted_text": quotation.text,
    }
    if check is None:
        check = QuotationCheck(quotation=quotation)
    elif any(getattr(check, name) != value for name, value in finding.items()):
        check.confirmed_by = check.confirmed_at = None
        check.override_status = check.override_reason = ""
    for name, value in finding.items():
        setattr(check, name, value)
    check.document = document
    check.score = result.score
    check.checked_at = checked_at
    # The related rows were just read, the row's uniqueness looked up under the lock, and
    # the database enforces the constraints: validate the fields, not those (a query each).
    check.full_clean(
        exclude=["quotation", "document", "confirmed_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    check.save()
    quotation.source_check = check
    return check
