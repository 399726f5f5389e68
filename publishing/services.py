"""Writes of publishing: freezing a revision of an essay for readers, withdrawing it, and
re-rendering stored pages after a deploy. Also the staff preview of what a publish would show."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from essays.models import Essay
from publishing import corrections, frontcache, rendering, selectors
from publishing.caching import bump_generation
from publishing.corrections import Correction
from publishing.indexing import index_revision, unindex_essay
from publishing.models import PublishedRevision
from publishing.snapshot import Snapshot, essay_snapshot, stored_snapshot, verdict_counts
from review.services import publish_override_record
from review.workflow import Blocker, can_publish

PUBLISH_PERMISSION = "essays.publish_essay"


class PublishBlocked(ValidationError):
    """The review gate lists blockers and no override reason was given; nothing was written."""

    def __init__(self, blockers: list[Blocker]) -> None:
        self.blockers = blockers
        lines = "; ".join(blocker.message for blocker in blockers)
        super().__init__(
            f"This essay cannot be published yet ({len(blockers)} open item"
            f"{'s' if len(blockers) != 1 else ''}): {lines}. A publisher may publish anyway "
            "by giving a reason, which is recorded.",
            code="publish_blocked",
        )


def _require_publisher(actor: AbstractBaseUser | None) -> None:
    if not (actor and actor.is_active and actor.has_perm(PUBLISH_PERMISSION)):
        raise PermissionDenied("You do not have permission to publish or unpublish essays.")


def _public_pages_changed(*slugs: str) -> None:
    """Inside the transaction: move the public generation on (every app server validates
    and caches pages under it, so all serve the change from the commit on); after the
    commit: purge these essays' pages and the lists from the front caches."""
    bump_generation()
    paths = [*frontcache.essay_paths(*slugs), *frontcache.listing_paths()]
    transaction.on_commit(lambda: frontcache.purge(paths), robust=True)


@dataclass(frozen=True)
class _NextRevision:
    """What the next publish of an essay would freeze, computed but not stored."""

    snapshot: Snapshot
    number: int
    published_at: datetime.datetime
    first_published_at: datetime.datetime
    corrections: list[Correction]
    counts: dict[str, int]

    def render(self, *, preview: bool = False) -> rendering.RenderedArticle:
        return rendering.render_article(
            self.snapshot,
            number=self.number,
            published_at=self.published_at,
            first_published_at=self.first_published_at,
            corrections=self.corrections,
            counts=self.counts,
            preview=preview,
        )


def _next_revision(essay: Essay) -> _NextRevision:
    """Snapshot `essay` and list the corrections since its latest revision (same for
    preview and publish, so the preview shows exactly what a publish would)."""
    snapshot = essay_snapshot(essay=essay)
    previous = selectors.latest_revision(essay=essay)
    now = timezone.now()
    number = previous.number + 1 if previous else 1
    entries = corrections.accumulate(
        previous.corrections if previous else [],
        corrections.diff_snapshots(
            stored_snapshot(previous.snapshot) if previous else None,
            snapshot,
            date=now.date().isoformat(),
            revision=number,
        ),
    )
    return _NextRevision(
        snapshot=snapshot,
        number=number,
        published_at=now,
        first_published_at=previous.first_published_at if previous else now,
        corrections=entries,
        counts=verdict_counts(snapshot),
    )


def essay_render_preview(*, essay: Essay) -> rendering.RenderedArticle:
    """What publishing `essay` now would show readers, rendered without storing anything.

    Uses the same snapshot rules as publishing (no notes, no unapproved verdicts or
    counter-evidence) and lists the corrections a publish would add.
    """
    return _next_revision(essay).render(preview=True)


def essay_publish(
    *, essay: Essay, actor: AbstractBaseUser, override_reason: str = ""
) -> PublishedRevision:
    """Publish `essay`: freeze what readers may see into a new live PublishedRevision.

    Needs the "essays.publish_essay" permission. The review gate (`can_publish`) must pass,
    or `override_reason` must say why the publisher publishes anyway; the override is
    recorded with the blockers it overrode. In one transaction, with the essay row locked:
    build the snapshot, list the corrections against the previous revision, render the
    page once, store it as revision N+1, make it the only live revision and mark the essay
    published, and move the public generation on; after commit, the front caches are told
    to drop the essay's pages and the lists. Edits made after this call change nothing
    public until the next publish.
    """
    _require_publisher(actor)
    with transaction.atomic():
        essay = Essay.objects.select_for_update().get(pk=essay.pk)
        holder = (
            PublishedRevision.objects.filter(slug=essay.slug, is_live=True)
            .exclude(essay=essay)
            .first()
        )
        if holder is not None:
            # Not a review blocker: no override reason can give one address to two essays.
            raise ValidationError(
                f"The address /essays/{essay.slug}/ belongs to the live essay “{holder.title}”. "
                "Give this essay another slug, or unpublish that one first.",
                code="slug_taken",
            )
        check = can_publish(essay)
        override_reason = override_reason.strip()
        if not check.ok:
            if not override_reason:
                raise PublishBlocked(check.blockers)
            publish_override_record(essay=essay, actor=actor, reason=override_reason)

        next_revision = _next_revision(essay)
        snapshot = next_revision.snapshot
        rendered = next_revision.render()
        previous_slugs = list(
            PublishedRevision.objects.filter(essay=essay, is_live=True).values_list(
                "slug", flat=True
            )
        )
        PublishedRevision.objects.filter(essay=essay, is_live=True).update(is_live=False)
        revision = PublishedRevision(
            essay=essay,
            number=next_revision.number,
            is_live=True,
            slug=essay.slug,
            title=essay.title,
            byline=essay.byline,
            dek=essay.dek,
            language=essay.language,
            snapshot=snapshot,
            verdict_counts=next_revision.counts,
            claim_ids=[claim["id"] for claim in snapshot["claims"] if claim["verdict"]],
            corrections=next_revision.corrections,
            page_gzip=rendered.page_gzip(),
            page_identity=rendered.page,
            published_by=actor,
            published_at=next_revision.published_at,
            first_published_at=next_revision.first_published_at,
            override_reason=override_reason if not check.ok else "",
        )
        revision.full_clean()
        revision.save()
        revision.tags.set(
            Tag.objects.filter(slug__in=[t["slug"] for t in snapshot["essay"]["tags"]])
        )
        index_revision(revision)
        if essay.status != Essay.Status.PUBLISHED:
            essay.status = Essay.Status.PUBLISHED
            essay.save(update_fields=["status", "updated_at"])
        _public_pages_changed(essay.slug, *previous_slugs)
    return revision


def essay_unpublish(*, essay: Essay, actor: AbstractBaseUser) -> Essay:
    """Withdraw `essay` from readers: its pages answer 410 Gone from the next request on.

    Needs the "essays.publish_essay" permission and a published essay. Revisions are
    kept (they are the record of what was published); none stays live. Publishing the
    essay again later creates a new revision and lists corrections against the last one.
    """
    _require_publisher(actor)
    with transaction.atomic():
        essay = Essay.objects.select_for_update().get(pk=essay.pk)
        if essay.status != Essay.Status.PUBLISHED:
            raise ValidationError(
                f"Only a published essay can be unpublished; this one is "
                f"“{essay.get_status_display()}”.",
                code="not_published",
            )
        PublishedRevision.objects.filter(essay=essay, is_live=True).update(is_live=False)
        unindex_essay(essay.pk)
        essay.status = Essay.Status.UNPUBLISHED
        essay.save(update_fields=["status", "updated_at"])
        _public_pages_changed(essay.slug)
    return essay


def revisions_rerender(*, slugs: list[str] | None = None) -> tuple[list, list]:
    """Render the stored page of every live revision again (or of those essays whose
    slugs are given), from its frozen snapshot, with today's templates and settings.

    For after a deploy that changed the page's markup, styles' class names or the site's
    address: what readers are told cannot change, because the snapshot, corrections,
    verdict counts, revision number and dates are the stored ones; only the HTML around
    them is new. Each revision is rewritten in its own transaction with its row locked
    (a publish running at the same time wins; a revision it retired is skipped), and the
    generation moves on with each (and the front caches are told after each commit).
    Returns (re-rendered, unchanged) revisions.
    """
    live = PublishedRevision.objects.filter(is_live=True).order_by("pk")
    if slugs is not None:
        live = live.filter(slug__in=slugs)
    changed, unchanged = [], []
    for pk in live.values_list("pk", flat=True):
        with transaction.atomic():
            revision = (
                PublishedRevision.objects.select_for_update().filter(pk=pk, is_live=True).first()
            )
            if revision is None:  # retired by a publish or unpublish meanwhile
                continue
            rendered = _NextRevision(  # the stored revision, as it was computed then
                snapshot=stored_snapshot(revision.snapshot),
                number=revision.number,
                published_at=revision.published_at,
                first_published_at=revision.first_published_at,
                corrections=revision.corrections,
                counts=revision.verdict_counts,
            ).render()
            if bytes(revision.page_identity) == rendered.page:
                unchanged.append(revision)
                continue
            revision.page_gzip = rendered.page_gzip()
            revision.page_identity = rendered.page
            revision.save(update_fields=["page_gzip", "page_identity"])
            _public_pages_changed(revision.slug)
            changed.append(revision)
    return changed, unchanged


__all__ = [
    "PublishBlocked",
    "essay_publish",
    "essay_render_preview",
    "essay_unpublish",
    "revisions_rerender",
]
