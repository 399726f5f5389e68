"""Every field of every model is public, exported on purpose, or internal (issue 18, item 2).

A new field fails `test_every_field_is_classified` until it is added to one of the three
sets below; internal ones must then be absent from every default export, every feed,
the sitemap, the ClaimReview export and every public page.
"""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from essays.models import Essay
from publishing.services import essay_publish
from review.models import PublishOverride, ReviewerNote, StatusChange
from spreadsheets.exchange import RESOURCES, export_bytes, resource_named
from tests.factories import make_user
from tests.publishing.builders import reviewed_essay

APPS = ("sources", "essays", "review", "publishing")

# What readers may see (published through a revision) and sheets carry.
PUBLIC = {
    "sources.outlet": {"name", "slug", "aliases", "kind", "homepage", "country"},
    "sources.person": {"name", "slug", "aliases", "affiliation", "description"},
    "sources.source": {
        "title", "outlet", "url", "archived_url", "published_on", "kind", "authors", "tags",
    },
    "essays.essay": {
        "title", "slug", "byline", "dek", "canonical_url", "original_published_on", "language",
        "tags",
    },
    "essays.section": {"essay", "position", "heading", "anchor", "body"},
    "essays.quotation": {
        "start", "end", "section", "text", "speaker", "speaker_description", "source",
        "outlet", "via", "emphasis_added", "is_scare_quote",
    },
    "essays.claim": {
        "start", "end", "section", "exact", "statement", "short_statement", "verdict",
        "verdict_summary", "verdict_summary_html", "reviewed_at",
    },
    "review.counterevidence": {"claim", "summary", "summary_html", "source", "stance", "position"},
    "publishing.publishedrevision": {
        "essay", "number", "slug", "title", "byline", "dek", "language", "snapshot",
        "verdict_counts", "claim_ids", "corrections", "page_gzip", "page_identity", "published_at",
        "first_published_at", "tags", "is_live",
    },
    # every public page's ETag and Last-Modified
    "publishing.publicgeneration": {"id", "token", "changed_at"},
}  # fmt: skip

# Not shown to readers, but carried by the staff spreadsheets on purpose (workflow state
# partners and reviewers work with; see docs/spreadsheets.md).
EXPORTED = {
    "essays.claim": {
        "prefix", "suffix", "status", "assigned_to", "check_worthiness", "anchor_lost",
        "version",
    },
    "review.counterevidence": {"approved"},
    "sources.outlet": {"domains"},
}  # fmt: skip

# Internal: never in a default export, a feed, the API or a public page. Text fields among
# them are seeded with a marker below and looked for everywhere public.
INTERNAL = {
    "sources.outlet": {"id", "created_at", "updated_at"},
    "sources.person": {"id", "created_at", "updated_at"},
    "sources.source": {"id", "notes", "created_at", "updated_at"},
    "sources.sourcedocument": {
        "id", "source", "is_current", "file", "text", "sha256", "content_type", "byte_size",
        "filename", "fetched_from", "extraction_method", "captured_at", "captured_by",
    },
    "essays.essay": {"id", "status", "double_review", "created_by", "created_at", "updated_at"},
    "essays.section": {"id"},
    "essays.quotation": {
        "id", "repeat_of", "confidence", "imported", "checked_by", "checked_at", "version",
    },
    "essays.claim": {"id", "verdict_proposed_by", "created_at", "updated_at"},
    "essays.claimcandidate": {
        "id", "start", "end", "section", "text", "score", "features", "decision",
        "decided_by", "decided_at", "claim", "created_at",
    },
    "essays.importupload": {
        "id", "user", "data", "filename", "format", "author", "created_at", "essay",
        "confirmed_at",
    },
    "review.reviewernote": {
        "id", "claim", "parent", "author", "body", "resolved", "resolved_by", "resolved_at",
        "created_at",
    },
    "review.counterevidence": {
        "id", "approved_by", "approved_at", "created_by", "text_edited_by", "created_at",
        "updated_at",
    },
    "review.independentverdict": {
        "id", "claim", "reviewer", "verdict", "summary", "comment", "active", "created_at",
    },
    "review.statuschange": {
        "id", "claim", "from_status", "to_status", "from_verdict", "to_verdict", "actor",
        "comment", "created_at",
    },
    "review.publishoverride": {"id", "essay", "actor", "reason", "blockers", "created_at"},
    "review.quotationcheck": {
        "id", "quotation", "status", "document", "document_sha256", "start", "end",
        "changes", "score", "quoted_text", "checked_at", "confirmed_by", "confirmed_at",
        "override_status", "override_reason",
    },
    "publishing.publishedrevision": {"id", "published_by", "override_reason"},
}  # fmt: skip
# A proxy of Claim (the reviewer's queue): its fields are Claim's.
PROXIES = {"review.queueitem": "essays.claim", "review.approvalitem": "essays.claim"}


def model_fields() -> dict[str, set[str]]:
    fields = {}
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            fields[model._meta.label_lower] = {
                f.name
                for f in model._meta.get_fields()
                if f.concrete or (f.many_to_many and not f.auto_created)
            }
    return fields


def test_every_field_is_classified_exactly_once():
    for label, names in model_fields().items():
        label = PROXIES.get(label, label)
        classes = [PUBLIC.get(label, set()), EXPORTED.get(label, set()), INTERNAL.get(label, set())]
        unclassified = names - set().union(*classes)
        assert not unclassified, f"{label}: classify {sorted(unclassified)} in this module"
        twice = [n for n in names if sum(n in c for c in classes) > 1]
        assert not twice, f"{label}: {twice} is in more than one class"
        stale = set().union(*classes) - names
        assert not stale, f"{label}: {sorted(stale)} no longer exist"


def _exported_model_fields(resource_class, *, include_internal: bool) -> set[str]:
    """Model fields behind the columns an export writes."""
    resource = resource_class(include_internal=include_internal)
    return {f.attribute.split("__")[0] for f in resource.get_export_fields() if f.attribute}


@pytest.mark.parametrize("model", sorted(RESOURCES))
def test_no_default_export_carries_an_internal_field(model):
    resource_class = resource_named(model)
    label = resource_class._meta.model._meta.label_lower
    exported = _exported_model_fields(resource_class, include_internal=False)
    assert not exported & INTERNAL.get(label, set()), label
    # …and every internal column a resource declares is an internal field.
    assert set(resource_class.internal_columns) <= INTERNAL.get(label, set())


SECRET = "INTERNAL-FIELD-VALUE-1c9e"


@pytest.mark.django_db
def test_no_internal_text_reaches_a_public_page_feed_sitemap_or_claimreview(client, publisher):
    essay = reviewed_essay()
    claim = essay.claims["false"]
    source = claim.counter_evidence.first().source
    source.notes = SECRET
    source.save()
    ReviewerNote.objects.create(claim=claim, author=publisher, body=SECRET)
    StatusChange.objects.create(
        claim=claim, from_status="unreviewed", to_status="unreviewed", actor=publisher,
        comment=SECRET,
    )  # fmt: skip
    revision = essay_publish(essay=essay, actor=publisher, override_reason=SECRET)
    assert PublishOverride.objects.get(essay=essay).reason == SECRET
    slug = Essay.objects.get(pk=essay.pk).slug
    paths = [
        reverse("public:article", kwargs={"slug": slug}),
        reverse("public:bibliography", kwargs={"slug": slug}),
        reverse("public:home"),
        reverse("public:feed"),
        reverse("public:feed-rss"),
        reverse("public:sitemap"),
        *[
            reverse("public:claim", kwargs={"slug": slug, "claim_id": claim_id})
            for claim_id in revision.claim_ids
        ],
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert SECRET not in response.content.decode(), path
    out = io.StringIO()
    call_command("export_claimreview", essay=slug, stdout=out)
    assert slug in out.getvalue()
    assert SECRET not in out.getvalue()
    for model in RESOURCES:
        for file_format in ("csv", "json"):
            assert SECRET.encode() not in export_bytes(
                resource_named(model), file_format=file_format
            ), model


@pytest.mark.django_db
def test_internal_fields_leave_only_on_purpose_with_the_permission_and_say_so(publisher, editor):
    from sources.models import Source
    from tests.factories import make_source

    make_source(title="Ministry figures", notes=SECRET)
    with pytest.raises(Exception, match="export_internal_source"):
        export_bytes(resource_named("source"), file_format="csv", include_internal=True,
                     user=editor)  # fmt: skip
    for file_format in ("csv", "json", "xlsx"):
        data = export_bytes(
            resource_named("source"), file_format=file_format, include_internal=True,
            user=publisher,
        )  # fmt: skip
        if file_format == "xlsx":
            import openpyxl

            book = openpyxl.load_workbook(io.BytesIO(data))
            assert book.active["A1"].value.startswith("INTERNAL:")
            assert book.properties.subject.startswith("INTERNAL:")
            assert SECRET in [c.value for row in book.active.iter_rows() for c in row]
        else:
            text = data.decode("utf-8-sig")
            first = text.splitlines()[0].strip('"[{ ')
            assert first.startswith("INTERNAL:") or '"INTERNAL":' in text.splitlines()[0]
            assert SECRET in text
        # The marked file still imports back, changing nothing.
        from spreadsheets.exchange import import_bytes

        result = import_bytes(
            resource_named("source"), data=data, file_format=file_format, dry_run=True,
            user=make_user(superuser=True),
        )  # fmt: skip
        assert not result.has_errors() and not result.has_validation_errors(), file_format
        assert result.totals["update"] == 0 and result.totals["new"] == 0, file_format
    assert Source.objects.get().notes == SECRET


@pytest.mark.django_db
def test_the_export_command_includes_internal_fields_only_when_told_and_allowed(
    publisher, editor, tmp_path
):
    from django.core.management.base import CommandError

    from tests.factories import make_source

    make_source(title="Ministry figures", notes=SECRET)
    plain = tmp_path / "plain.csv"
    call_command("export_data", "source", output=str(plain))
    assert SECRET not in plain.read_text(encoding="utf-8-sig")
    with pytest.raises(CommandError, match="needs --user"):
        call_command("export_data", "source", include_internal=True, output=str(plain))
    with pytest.raises(CommandError, match="export_internal_source"):
        call_command(
            "export_data", "source", include_internal=True, user=editor.username,
            output=str(plain),
        )  # fmt: skip
    marked = tmp_path / "marked.csv"
    call_command(
        "export_data", "source", include_internal=True, user=publisher.username,
        output=str(marked),
    )  # fmt: skip
    text = marked.read_text(encoding="utf-8-sig")
    assert text.startswith("INTERNAL: this file holds Counterpoint's internal fields (notes)")
    assert SECRET in text
