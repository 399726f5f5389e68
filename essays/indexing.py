"""Staff search entries for essays, claims and quotations (search.registry).

An essay's entry holds its title, standfirst and every section's text, so a section's
save rewrites its essay's entry; writers that bypass save() (the importer's bulk
inserts) call `reindex_essay` in their transaction.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from essays.choices import ClaimStatus
from essays.models import Claim, Essay, Quotation, Section
from search import index
from search.index import STAFF, Document
from search.registry import KINDS, register
from sources.indexing import _joined, admin_url


def essay_document(essay: Essay) -> Document:
    sections = essay.sections.all()  # prefetched by the kind's queryset
    return Document(
        kind="essay",
        object_id=essay.pk,
        essay_id=essay.pk,
        title=essay.title,
        body=_joined(
            essay.dek, essay.byline, *(_joined(s.heading, s.body) for s in sections)
        ),  # fmt: skip
        url=admin_url(essay),
        tags=[tag.slug for tag in essay.tags.all()],
    )


def claim_document(claim: Claim) -> Document:
    approved = claim.status == ClaimStatus.APPROVED and claim.verdict
    return Document(
        kind="claim",
        object_id=claim.pk,
        essay_id=claim.section.essay_id,
        title=claim.statement or claim.exact,
        body=_joined(
            claim.exact if claim.statement else "", claim.verdict_summary, claim.section.essay.title
        ),  # fmt: skip
        url=admin_url(claim),
        # Only an approved verdict counts as "checked" (review's "checked before").
        verdict=claim.verdict if approved else "",
    )


def quotation_document(quotation: Quotation) -> Document:
    return Document(
        kind="quotation",
        object_id=quotation.pk,
        essay_id=quotation.section.essay_id,
        title=quotation.text,
        body=_joined(
            quotation.speaker.name if quotation.speaker_id else quotation.speaker_description,
            quotation.outlet.name if quotation.outlet_id else "",
            quotation.section.essay.title,
        ),
        url=admin_url(quotation),
    )


def reindex_essay(essay_id: int) -> None:
    """Rewrite the staff entries of one essay, its claims and its quotations (rows
    written or deleted in bulk included)."""
    essay = KINDS["essay"]
    documents = [essay.document(obj) for obj in essay.queryset().filter(pk=essay_id)]
    for kind in (KINDS["claim"], KINDS["quotation"]):
        rows = kind.queryset().filter(section__essay_id=essay_id)
        documents += [kind.document(obj) for obj in rows]
    index.replace(STAFF, documents, essay_id=essay_id)


def _essay_changed(sender, instance, raw=False, action="post_save", **kwargs):
    if raw or not action.startswith("post"):
        return
    essay_id = instance.essay_id if isinstance(instance, Section) else instance.pk
    retitled = isinstance(instance, Essay) and instance.title != index.indexed_title(
        STAFF, "essay", essay_id
    )
    if retitled:  # its claims and quotations are found by the essay's title too
        reindex_essay(essay_id)
    else:
        KINDS["essay"].write_ids([essay_id])


def register_kinds() -> None:
    essays = Essay.objects.prefetch_related("sections", "tags")
    claims = Claim.objects.select_related("section__essay")
    quotations = Quotation.objects.select_related("section__essay", "speaker", "outlet")
    register("essay", Essay, essay_document, queryset=essays.all, on_save=False)
    register("claim", Claim, claim_document, queryset=claims.all)
    register("quotation", Quotation, quotation_document, queryset=quotations.all)
    post_save.connect(_essay_changed, sender=Essay, dispatch_uid="search:essay:save")
    # The essay's entry holds its sections' text and its tags.
    post_save.connect(_essay_changed, sender=Section, dispatch_uid="search:section:save")
    post_delete.connect(_essay_changed, sender=Section, dispatch_uid="search:section:delete")
    m2m_changed.connect(_essay_changed, sender=Essay.tags.through, dispatch_uid="search:tags")
