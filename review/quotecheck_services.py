"""Checking quotations against their sources' documents: the reads and writes around
``review.quotecheck.align``. Admin actions, commands and tests call these.

``actor=None`` means a trusted caller (a management command run on the server).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
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


def quotation_check_judge(
    *,
    check: QuotationCheck,
    actor: AbstractBaseUser,
    override_status: str = "",
    reason: str = "",
) -> QuotationCheck:
    """A reviewer's judgement of a check: confirm what it found (no override), or set
    another status with a reason ("translation", "spoken: the transcript differs").

    Recorded with who and when; a later check that finds something else clears it
    (`_record`). Needs review.change_quotationcheck.
    """
    if not (actor and actor.is_active and actor.has_perm("review.change_quotationcheck")):
        raise PermissionDenied("You do not have permission to judge quotation checks.")
    reason = reason.strip()
    if override_status and override_status not in QuotationCheck.Status.values:
        raise ValidationError({"override_status": f"No such status: {override_status!r}."})
    with transaction.atomic():
        check = QuotationCheck.objects.select_for_update().get(pk=check.pk)
        if override_status == check.status:
            override_status = ""  # the same as the machine's finding: a confirmation
        if override_status and not reason:
            raise ValidationError(
                {"override_reason": "Say why the check's finding does not stand."}
            )
        check.override_status = override_status
        check.override_reason = reason if override_status else ""
        check.confirmed_by, check.confirmed_at = actor, timezone.now()
        check.save(
            update_fields=["override_status", "override_reason", "confirmed_by", "confirmed_at"]
        )
    return check


_SENTENCE_END = re.compile(r"[.!?…][\"”’»)\]]*\s+|\n\s*\n")


def quotation_check_context(check: QuotationCheck, *, sentences: int = 2) -> dict | None:
    """The passage the quotation was matched to in its document, with `sentences`
    sentences either side, for a reviewer to judge whether it was cut where the original
    qualifies or contradicts it. None when the check matched no passage."""
    if check.start is None or check.document_id is None:
        return None
    text = check.document.text
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    before = [end for end in ends if end <= check.start]
    after = [end for end in ends if end > check.end]
    # The start of the quoted sentence, then `sentences` more before it.
    start = before[-sentences - 1] if len(before) > sentences else 0
    # A quotation that stops mid-sentence: the rest of its sentence, then `sentences` more.
    following = sentences + bool(after and re.search(r"\w", text[check.end : after[0]]))
    end = after[following - 1] if len(after) >= following else len(text)
    return {
        "before": ("…" if start else "") + text[start : check.start],
        "matched": text[check.start : check.end],
        "after": text[check.end : end].rstrip() + ("…" if end < len(text) else ""),
    }
