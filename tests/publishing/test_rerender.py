"""`manage.py rerender_pages`: stored pages follow a deploy, what readers are told does not."""

import gzip
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from essays.models import Essay, Section
from publishing.models import PublishedRevision
from review.choices import Verdict
from tests.factories import make_claim, make_essay, make_section
from tests.publishing.builders import DRAFT_SECRET, NOTE_SECRET, approve, reviewed_essay

pytestmark = pytest.mark.django_db

OLD_SITE, NEW_SITE = "https://old.example.org/", "https://new.example.org/"


def rerender(*args: str) -> str:
    out = StringIO()
    call_command("rerender_pages", *args, stdout=out)
    return out.getvalue()


def page(revision: PublishedRevision) -> str:
    revision.refresh_from_db()
    return gzip.decompress(revision.page_gzip).decode()


@pytest.fixture
def published(publish, publisher):
    """Two essays published under the old site address; the first one twice."""
    with override_settings(COUNTERPOINT_SITE_URL=OLD_SITE):
        first = reviewed_essay(canonical_url="")  # first published here: canonical is ours
        second = make_essay()
        approve(make_claim(make_section(second)), Verdict.SUPPORTED)
        publish(essay=first, actor=publisher, override_reason="Go.")
        publish(essay=first, actor=publisher, override_reason="Again.")
        publish(essay=second, actor=publisher, override_reason="Go.")
    return first, second


def live(essay: Essay) -> PublishedRevision:
    return PublishedRevision.objects.get(essay=essay, is_live=True)


@override_settings(COUNTERPOINT_SITE_URL=NEW_SITE)
def test_live_pages_are_rendered_again_and_served_at_once(client, published):
    first, second = published
    url = f"/essays/{first.slug}/"
    assert f'href="{OLD_SITE}essays/{first.slug}/"' in client.get(url).text  # now cached
    before = {r.pk: (r.snapshot, r.corrections, r.published_at, r.number)
              for r in PublishedRevision.objects.all()}  # fmt: skip
    retired = PublishedRevision.objects.get(essay=first, is_live=False)
    retired_page = page(retired)

    assert "2 pages re-rendered, 0 already current" in rerender()

    served = client.get(url).text
    assert f'href="{NEW_SITE}essays/{first.slug}/"' in served and OLD_SITE not in served
    assert NEW_SITE in page(live(second))
    assert page(retired) == retired_page  # the record of an earlier revision is kept as is
    after = {r.pk: (r.snapshot, r.corrections, r.published_at, r.number)
             for r in PublishedRevision.objects.all()}  # fmt: skip
    assert after == before
    assert "0 pages re-rendered, 2 already current" in rerender()


@override_settings(COUNTERPOINT_SITE_URL=NEW_SITE)
def test_draft_edits_made_since_the_publish_stay_private(published):
    first, _ = published
    Section.objects.filter(essay=first).update(body=f"Rewritten: {DRAFT_SECRET}")
    Essay.objects.filter(pk=first.pk).update(title="A draft title nobody may see yet")
    rerender()
    text = page(live(first))
    for private in (DRAFT_SECRET, NOTE_SECRET, "A draft title nobody may see yet"):
        assert private not in text
    assert first.title in text


@override_settings(COUNTERPOINT_SITE_URL=NEW_SITE)
def test_one_essay_can_be_chosen_by_slug(published):
    first, second = published
    assert "1 page re-rendered" in rerender("--essay", second.slug)
    assert NEW_SITE in page(live(second)) and NEW_SITE not in page(live(first))


def test_an_unknown_slug_is_named_and_nothing_is_rendered(published):
    first, _ = published
    with override_settings(COUNTERPOINT_SITE_URL=NEW_SITE):
        with pytest.raises(CommandError, match="no-such-essay"):
            rerender("--essay", first.slug, "--essay", "no-such-essay")
    assert NEW_SITE not in page(live(first))
