"""Publishing from the essay's own page: the gate's blockers in place, buttons that save first."""

import pytest
from django.test import TestCase
from django.urls import reverse

from essays.models import Essay
from publishing.models import PublishedRevision
from review.models import PublishOverride
from tests.factories import admin_form_as_loaded, make_claim, make_essay, make_section
from tests.publishing.builders import approve

pytestmark = pytest.mark.django_db


def page_url(essay) -> str:
    return reverse("admin:essays_essay_change", args=[essay.pk])


def form_as_loaded(client, essay) -> dict:
    """What the essay page's form holds when it loads (sections inline included)."""
    data = admin_form_as_loaded(client.get(page_url(essay)).context)
    data["tags"] = ", ".join(essay.tags.names())
    return data


def post(client, essay, data):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(page_url(essay), data)


def test_a_reviewed_essay_is_saved_and_published_from_its_page(client, publisher):
    essay = make_essay(title="Before")
    approve(make_claim(make_section(essay)))
    client.force_login(publisher)
    html = client.get(page_url(essay)).content.decode()
    assert "The review gate passes" in html and 'name="_publish" value="publish"' in html
    data = form_as_loaded(client, essay) | {"title": "After, and published", "_publish": "publish"}
    response = post(client, essay, data)
    assert response.status_code == 302 and response["Location"] == page_url(essay)
    revision = PublishedRevision.objects.get(essay=essay, is_live=True)
    assert revision.title == "After, and published"  # the edit went out with the publish
    page = client.get(reverse("public:article", kwargs={"slug": essay.slug}))
    assert page.status_code == 200 and "After, and published" in page.content.decode()

    # and unpublished from the same page
    html = client.get(page_url(essay)).content.decode()
    assert 'value="unpublish"' in html
    post(client, essay, form_as_loaded(client, essay) | {"_publish": "unpublish"})
    assert Essay.objects.get(pk=essay.pk).status == Essay.Status.UNPUBLISHED
    assert client.get(reverse("public:article", kwargs={"slug": essay.slug})).status_code == 410


def test_a_blocked_essay_shows_its_blockers_and_publishes_only_with_a_reason(client, publisher):
    essay = make_essay()
    make_claim(make_section(essay), short_statement="Still unreviewed")
    client.force_login(publisher)
    html = client.get(page_url(essay)).content.decode()
    assert "1 open item blocks publishing" in html and "Still unreviewed" in html
    assert 'value="override"' in html and 'value="publish"' not in html

    page = post(client, essay, form_as_loaded(client, essay) | {"_publish": "override"})
    assert not PublishedRevision.objects.filter(essay=essay).exists()
    messages = client.get(page["Location"]).content.decode()
    assert "Saved, not published: 1 open item blocks it." in messages

    data = form_as_loaded(client, essay) | {
        "_publish": "override",
        "override_reason": "The minister resigned an hour ago.",
    }
    post(client, essay, data)
    assert PublishedRevision.objects.get(essay=essay).override_reason == (
        "The minister resigned an hour ago."
    )
    assert PublishOverride.objects.get(essay=essay).reason == "The minister resigned an hour ago."


def test_editors_see_no_publish_buttons_and_cannot_publish_by_posting_one(client, editor):
    essay = make_essay()
    approve(make_claim(make_section(essay)))
    client.force_login(editor)
    html = client.get(page_url(essay)).content.decode()
    assert "Publishing is for publishers." in html and 'name="_publish"' not in html
    data = form_as_loaded(client, essay) | {"title": "Edited by the editor", "_publish": "publish"}
    response = post(client, essay, data)
    assert response.status_code == 302
    assert Essay.objects.get(pk=essay.pk).title == "Edited by the editor"  # the save stands
    assert not PublishedRevision.objects.filter(essay=essay).exists()


def test_the_essay_page_costs_the_same_queries_for_1000_claims_as_for_50(client, publisher):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from essays.models import Claim
    from tests.publishing.builders import big_essay

    client.force_login(publisher)
    counts, pages = [], []
    for n in (50, 1000):  # 1 section, then 20
        essay = big_essay(n)
        Claim.objects.filter(section__essay=essay).update(status="in_review", verdict="")
        client.get(page_url(essay))
        with CaptureQueriesContext(connection) as queries:
            pages.append(client.get(page_url(essay)).content.decode())
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # the long list of open items is cut, with a way to all of them
    assert "… and 980 more" in pages[1] and "every claim of this essay" in pages[1]


def test_the_essay_page_lists_doubtful_quotations_beside_the_publish_buttons(client, publisher):
    from tests.factories import make_quotation, make_quotation_check

    essay = make_essay()
    section = make_section(essay, body="They said “the road is open” that day.")
    check = make_quotation_check(make_quotation(section, "the road is open"), status="altered")
    client.force_login(publisher)
    html = client.get(page_url(essay)).content.decode()
    assert "To look at before publishing (not blocking): 1 quotation check" in html
    assert reverse("admin:review_quotationcheck_change", args=[check.pk]) in html
    assert "1 quotation altered or not found in its source" in html
    assert 'name="_publish" value="publish"' in html  # not blocked
