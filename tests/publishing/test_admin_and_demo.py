"""Publishing from the admin, and the demo site's published essay."""

import io

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from essays.models import Essay
from publishing.models import PublishedRevision
from review.models import PublishOverride
from tests.factories import make_claim, make_essay, make_section
from tests.publishing.builders import approve, reviewed_essay

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:essays_essay_changelist"


def run_action(client, action: str, essays, **extra):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse(CHANGELIST),
            {"action": action, "_selected_action": [e.pk for e in essays], **extra},
        )


def test_the_publish_action_publishes_a_reviewed_essay(client, publisher):
    essay = make_essay()
    approve(make_claim(make_section(essay)))
    client.force_login(publisher)
    response = run_action(client, "publish_selected", [essay])
    assert response.status_code == 302
    assert PublishedRevision.objects.get(essay=essay).published_by == publisher
    assert client.get(reverse("public:article", kwargs={"slug": essay.slug})).status_code == 200


def test_a_blocked_essay_asks_for_a_reason_and_publishes_with_it(client, publisher):
    essay = reviewed_essay()
    client.force_login(publisher)
    page = run_action(client, "publish_selected", [essay])
    assert page.status_code == 200 and b"Publish over the review gate?" in page.content
    assert b"unresolved note" in page.content
    assert not PublishedRevision.objects.exists()

    again = run_action(client, "publish_selected", [essay], confirm_override="yes")
    assert b"Give a reason" in again.content and not PublishedRevision.objects.exists()

    done = run_action(
        client, "publish_selected", [essay], confirm_override="yes", override_reason="Urgent."
    )
    assert done.status_code == 302
    assert PublishOverride.objects.get(essay=essay).reason == "Urgent."
    assert PublishedRevision.objects.get(essay=essay).override_reason == "Urgent."


def test_editors_do_not_get_the_publish_actions(client, editor):
    essay = make_essay()
    client.force_login(editor)
    changelist = client.get(reverse(CHANGELIST)).content.decode()
    assert "publish_selected" not in changelist and "unpublish_selected" not in changelist
    run_action(client, "publish_selected", [essay])
    assert not PublishedRevision.objects.exists()


def test_the_unpublish_action_withdraws_the_page(client, publisher):
    essay = make_essay()
    make_section(essay)
    client.force_login(publisher)
    run_action(client, "publish_selected", [essay])
    run_action(client, "unpublish_selected", [essay])
    assert Essay.objects.get(pk=essay.pk).status == Essay.Status.UNPUBLISHED
    client.logout()
    assert client.get(reverse("public:article", kwargs={"slug": essay.slug})).status_code == 410


def test_the_essay_form_shows_the_live_revision(client, publisher):
    essay = make_essay()
    make_section(essay)
    client.force_login(publisher)
    run_action(client, "publish_selected", [essay])
    page = client.get(reverse("admin:essays_essay_change", args=[essay.pk])).content.decode()
    assert "Revision 1 of 1, published" in page and "Preview the draft" in page


def test_the_demo_publishes_its_first_essay_and_leaves_the_second_a_draft(client):
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    published = Essay.objects.get(slug="the-quiet-that-was-not-peace")
    draft = Essay.objects.get(slug="who-counts-the-returned")
    assert published.status == Essay.Status.PUBLISHED and draft.status == Essay.Status.DRAFT
    revision = published.revisions.get()
    assert revision.override_reason == "Demo: published with claims still in review"
    assert PublishOverride.objects.filter(essay=published).exists()
    html = client.get(revision.get_absolute_url()).content.decode()
    assert html.count("data-evidence-for=") == len(revision.snapshot["claims"]) > 10
    assert "Under review" in html and "Contradicts" in html
    assert client.get(reverse("public:article", kwargs={"slug": draft.slug})).status_code == 404


@pytest.mark.parametrize(
    "role, sees_reason, override_pages",
    [("Reviewer", False, 403), ("Editor", True, 200), ("Publisher", True, 200)],
)
def test_the_override_reason_shows_only_to_who_may_read_the_override_pages(
    client, publisher, role, sees_reason, override_pages
):
    from tests.factories import make_user

    essay = reviewed_essay()
    client.force_login(publisher)
    run_action(
        client,
        "publish_selected",
        [essay],
        confirm_override="yes",
        override_reason="Deadline from the board, sorry",
    )
    client.force_login(make_user(role))
    page = client.get(reverse("admin:essays_essay_change", args=[essay.pk])).content.decode()
    assert ("Deadline from the board" in page) is sees_reason
    assert "over the review gate" in page
    listing = client.get(reverse("admin:review_publishoverride_changelist"))
    assert listing.status_code == override_pages
