"""The public pages: what readers and crawlers get, and what they never get."""

import gzip
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.urls import reverse

from essays.models import Essay
from sources.models import Source
from tests.factories import make_essay, make_person, make_section
from tests.publishing.builders import (
    NOTE_SECRET,
    PROPOSED_SECRET,
    big_essay,
    reviewed_essay,
)
from tests.publishing.pageweight import claim_markup_per_claim

pytestmark = pytest.mark.django_db

SITE = settings.COUNTERPOINT_SITE_URL.rstrip("/")


@pytest.fixture
def published(publisher, publish):
    essay = reviewed_essay()
    essay.revision = publish(essay=essay, actor=publisher, override_reason="Go.")
    return essay


def url(name, **kwargs):
    return reverse(f"public:{name}", kwargs=kwargs)


def claim_path_in(html: str, slug: str, claim_id: int) -> bool:
    return f'href="{url("claim", slug=slug, claim_id=claim_id)}"' in html


def json_ld_blocks(html: str) -> list:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_every_claim_has_a_marker_and_an_evidence_section_with_stable_hooks(client, published):
    html = client.get(url("article", slug=published.slug)).content.decode()
    for claim in published.claims.values():
        assert html.count(f'data-claim="{claim.pk}"') == 1
        assert html.count(f'data-evidence-for="{claim.pk}"') == 1
        assert html.index(f'data-claim="{claim.pk}"') < html.index(
            f'data-evidence-for="{claim.pk}"'
        )


def test_the_article_shows_verdicts_evidence_citations_and_says_when_there_is_none(
    client, published
):
    html = client.get(url("article", slug=published.slug)).content.decode()
    assert "The monitor counted 26,000 departures." in html
    assert "<strong>26,000</strong>" in html  # the verdict explanation's Markdown, rendered
    assert "Contradicts" in html and "Harbor Ledger" in html
    supported = published.claims["supported"]
    reviewed_on = supported.reviewed_at.strftime("%Y-%m-%d")
    aside = html[html.index(f'data-evidence-for="{supported.pk}"') :]
    aside = aside[: aside.index("</aside>")]
    assert "found none" in aside and f'datetime="{reviewed_on}"' in aside
    assert "Under review" in html  # the claim with only a proposed verdict


def test_the_summary_counts_claims_by_verdict(client, published):
    html = client.get(url("article", slug=published.slug)).content.decode()
    summary = html[html.index('class="fact-check-summary"') : html.index('class="toc"')]
    assert "<strong>3 claims: 2 checked, 1 under review</strong> in this essay" in summary
    assert re.search(r"False: <strong>1</strong>", summary)
    assert re.search(r"Supported: <strong>1</strong>", summary)
    assert re.search(r"Under review: <strong>1</strong>", summary)
    assert summary.count("<rect ") == 3


def test_quotations_render_as_quotations_linked_to_the_bibliography(client, published):
    html = client.get(url("article", slug=published.slug)).content.decode()
    # One quotation, one <q>, with the emphasis inside it.
    assert '<q class="quotation" dir="auto">the <strong>road</strong> is open”</q>' in html
    assert 'href="#source-1"' in html and 'id="source-1"' in html
    assert "Quoted: <bdi>Amal Farouk</bdi>" in html  # each name isolated
    assert '<q class="quotation" dir="auto">الطريق مفتوح”</q>' in html  # RTL isolated
    assert "<bdi>by\u00a0Lina\u00a0Haddad</bdi>" in html


def test_the_article_links_its_sources_page(client, published):
    html = client.get(url("article", slug=published.slug)).content.decode()
    sources_url = url("bibliography", slug=published.slug)
    assert f'<a href="{sources_url}">These sources on a page of their own</a>' in html
    sources = client.get(sources_url)
    assert sources.status_code == 200
    assert "Valley residents speak" in sources.content.decode()


def test_claim_permalink_carries_exactly_one_claim_review(client, published):
    claim = published.claims["false"]
    response = client.get(url("claim", slug=published.slug, claim_id=claim.pk))
    html = response.content.decode()
    assert response.status_code == 200
    [review] = json_ld_blocks(html)
    assert review["@type"] == "ClaimReview"
    assert (
        review["url"]
        == f"https://counterpoint.example.org/essays/{published.slug}/claims/{claim.pk}/"
    )
    assert review["claimReviewed"] == "40,000 people left the valley"
    assert len(review["claimReviewed"]) < 75
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "False",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert review["author"] == {
        "@type": "Organization",
        "name": "Counterpoint",
        "url": "https://counterpoint.example.org/",
    }
    assert review["itemReviewed"]["@type"] == "Claim"
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "Lina Haddad"}
    assert review["itemReviewed"]["appearance"]["url"] == "https://origin.example.com/valley-road"
    assert review["itemReviewed"]["datePublished"]
    assert review["datePublished"] == claim.reviewed_at.date().isoformat()
    assert f'<link rel="canonical" href="{review["url"]}">' in html


def test_a_claim_under_review_has_a_page_but_no_claim_review(client, published):
    claim = published.claims["proposed"]
    html = client.get(url("claim", slug=published.slug, claim_id=claim.pk)).content.decode()
    assert json_ld_blocks(html) == []
    assert "Under review" in html
    assert client.get(url("claim", slug=published.slug, claim_id=999999)).status_code == 404


def test_the_article_carries_article_data_and_each_claim_page_its_claim_review(client, published):
    html = client.get(url("article", slug=published.slug)).content.decode()
    [graph] = json_ld_blocks(html)
    [article] = graph  # one ClaimReview per page: on the claims' permalinks
    assert article["@type"] == "Article" and article["headline"] == "The Valley Road"
    assert article["author"]["name"] == "Lina Haddad"
    ratings = set()
    for name in ("false", "supported"):
        claim = published.claims[name]
        assert claim_path_in(html, published.slug, claim.pk)
        page = client.get(url("claim", slug=published.slug, claim_id=claim.pk)).content.decode()
        [review] = json_ld_blocks(page)
        assert review["@type"] == "ClaimReview"
        ratings.add(review["reviewRating"]["alternateName"])
    assert ratings == {"False", "Supported"}
    canonical = "https://origin.example.com/valley-road"  # first published there
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert '<meta property="og:title" content="The Valley Road">' in html
    assert '<meta property="og:type" content="article">' in html


def test_an_essay_first_published_elsewhere_names_the_original_as_canonical(
    client, publisher, publish
):
    essay = make_essay(canonical_url="https://origin.example.com/essays/valley-road")
    make_section(essay)
    publish(essay=essay, actor=publisher)
    html = client.get(url("article", slug=essay.slug)).content.decode()
    original = "https://origin.example.com/essays/valley-road"
    assert f'<link rel="canonical" href="{original}">' in html
    assert f'<meta property="og:url" content="{original}">' in html
    [graph] = json_ld_blocks(html)
    assert graph[0]["url"] == f"https://counterpoint.example.org/essays/{essay.slug}/"
    assert graph[0]["isBasedOn"] == original
    # a scheme a browser would run is never a canonical address
    hostile = make_essay(canonical_url="javascript:alert(1)")
    make_section(hostile)
    publish(essay=hostile, actor=publisher)
    html = client.get(url("article", slug=hostile.slug)).content.decode()
    ours = f"https://counterpoint.example.org/essays/{hostile.slug}/"
    assert f'<link rel="canonical" href="{ours}">' in html


def test_structured_data_cannot_be_broken_out_of_by_essay_text(client, publisher, publish):
    essay = make_essay(title='</script><script>alert("x")</script>')
    make_section(essay)
    publish(essay=essay, actor=publisher)
    html = client.get(url("article", slug=essay.slug)).content.decode()
    assert '<script>alert("x")' not in html
    [graph] = json_ld_blocks(html)
    assert graph[0]["headline"] == '</script><script>alert("x")</script>'


def test_home_tag_pages_feeds_and_sitemap_list_the_published_essay(client, published):
    draft = make_essay(title="Unpublished essay")
    draft.tags.add("Valley")
    home = client.get(url("home")).content.decode()
    assert "The Valley Road" in home and "Unpublished essay" not in home
    tag_page = client.get(url("tag", slug="valley")).content.decode()
    assert "The Valley Road" in tag_page and "Unpublished essay" not in tag_page
    assert client.get(url("tag", slug="no-such-tag")).status_code == 404

    atom = client.get(url("feed"))
    assert atom["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(atom.content).findall("{http://www.w3.org/2005/Atom}entry")
    assert [e.findtext("{http://www.w3.org/2005/Atom}title") for e in entries] == [
        "The Valley Road"
    ]
    rss = ET.fromstring(client.get(url("feed-rss")).content)
    assert [i.findtext("title") for i in rss.iter("item")] == ["The Valley Road"]

    sitemap = ET.fromstring(client.get(url("sitemap")).content)
    locs = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"{SITE}/essays/{published.slug}/" in locs
    assert f"{SITE}/essays/{published.slug}/sources/" in locs
    for name in ("false", "supported"):
        claim_url = url("claim", slug=published.slug, claim_id=published.claims[name].pk)
        assert f"{SITE}{claim_url}" in locs
    proposed = url("claim", slug=published.slug, claim_id=published.claims["proposed"].pk)
    assert f"{SITE}{proposed}" not in locs


def test_tag_pills_stand_apart_without_commas_and_every_page_has_an_icon(
    client, published, publisher, publish
):
    published.tags.add("Water rights")
    publish(essay=published, actor=publisher, override_reason="Go.")  # carries both tags
    for page in (url("home"), url("tag", slug="valley"), url("article", slug=published.slug)):
        html = client.get(page).content.decode()
        pills = re.findall(r'<a class="tag" href="[^"]+" dir="auto">[^<]+</a>(.?)', html)
        assert len(pills) >= 2, page
        assert "," not in pills, page
        assert '<link rel="icon" href="/favicon.ico"' in html
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon["Content-Type"] in {
        "image/x-icon",
        "image/vnd.microsoft.icon",
    }
    assert b"".join(icon.streaming_content if icon.streaming else [icon.content])[:4] == (
        b"\x00\x00\x01\x00"
    )


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_previews(client):
    text = client.get(url("robots")).content.decode()
    assert f"Sitemap: {SITE}/sitemap.xml" in text
    assert "Disallow: /preview/" in text and "Disallow: /admin/" in text


def test_rating_and_corrections_policy_pages_document_the_scale(client):
    html = client.get(url("ratings")).content.decode()
    for label, value in [("Supported", "5"), ("Partly supported", "4"), ("False", "1")]:
        assert re.search(rf"{label}</span></th><td>[^<]*</td><td>{value}</td>", html)
    assert "Unverifiable" in html and "Opinion" in html
    assert client.get(url("corrections-policy")).status_code == 200


def test_only_staff_who_may_view_essays_can_preview_a_draft(client, editor, django_user_model):
    draft = reviewed_essay(title="Draft valley essay")
    preview = url("preview", slug=draft.slug)
    anonymous = client.get(preview)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]

    outsider = django_user_model.objects.create_user("outsider", password="pw", is_staff=True)
    client.force_login(outsider)
    # The same answer for an existing draft and a missing one: nothing to learn from it.
    assert client.get(preview).status_code == 404
    assert client.get(url("preview", slug="no-such-essay")).status_code == 404

    client.force_login(editor)
    response = client.get(preview)
    html = response.content.decode()
    assert response.status_code == 200 and "Draft preview" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["Cache-Control"] == "private, no-store"
    assert NOTE_SECRET not in html and PROPOSED_SECRET not in html
    assert "These sources on a page of their own" not in html  # a draft has no such page
    client.logout()
    assert client.get(url("article", slug=draft.slug)).status_code == 404


@pytest.mark.parametrize("n_claims", [10, 1000])
def test_the_article_page_runs_one_query_whatever_its_size(
    client, publisher, publish, django_assert_num_queries, n_claims
):
    essay = big_essay(n_claims)
    publish(essay=essay, actor=publisher)
    article = url("article", slug=essay.slug)
    with django_assert_num_queries(1):  # the stored page and the generation, together
        response = client.get(article, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).decode().count("data-evidence-for=") == n_claims
    with django_assert_num_queries(1):  # a revalidation reads only the generation
        again = client.get(
            article, headers={"accept-encoding": "gzip", "if-none-match": response["ETag"]}
        )
    assert again.status_code == 304 and again.content == b""


@pytest.mark.parametrize("n_claims", [10, 1000])
def test_list_and_claim_pages_run_a_fixed_number_of_queries(
    client, publisher, publish, django_assert_max_num_queries, n_claims
):
    essay = big_essay(n_claims)
    essay.tags.add("bridges")
    publish(essay=essay, actor=publisher)
    claim_id = essay.revisions.get().claim_ids[-1]
    for page in (
        url("home"),
        url("tag", slug="bridges"),
        url("claim", slug=essay.slug, claim_id=claim_id),
        url("bibliography", slug=essay.slug),
        url("feed"),
        url("sitemap"),
    ):
        with django_assert_max_num_queries(4):
            assert client.get(page).status_code == 200, page


def test_a_draft_slug_that_was_never_published_does_not_leak_through_a_stale_cache(
    client, publisher, publish
):
    essay = reviewed_essay()
    assert client.get(url("article", slug=essay.slug)).status_code == 404
    publish(essay=essay, actor=publisher, override_reason="Go.")
    assert client.get(url("article", slug=essay.slug)).status_code == 200
    assert Essay.objects.get(pk=essay.pk).status == Essay.Status.PUBLISHED


def test_feeds_sitemap_and_robots_build_links_from_the_site_url_never_the_host(
    client, published, settings
):
    settings.ALLOWED_HOSTS = ["*"]
    settings.COUNTERPOINT_SITE_URL = "https://news.example.org"
    for name in ("feed", "feed-rss", "sitemap", "robots"):
        body = client.get(url(name), HTTP_HOST="evil.example").content.decode()
        assert "evil.example" not in body, name
        assert "https://news.example.org/" in body, name
    # A second reader, with the real Host, gets the same links from the shared cache.
    body = client.get(url("feed")).content.decode()
    assert "evil.example" not in body and "testserver" not in body


def test_feeds_carry_the_dek_as_escaped_text(client, publisher, publish):
    essay = reviewed_essay()
    Essay.objects.filter(pk=essay.pk).update(dek='Water <img src=x onerror="alert(1)"> & power')
    publish(essay=essay, actor=publisher, override_reason="Go.")
    for name, tag in (
        ("feed", "{http://www.w3.org/2005/Atom}summary"),
        ("feed-rss", "description"),
    ):
        tree = ET.fromstring(client.get(url(name)).content)
        texts = [node.text for node in tree.iter(tag)]
        # The element is read as HTML: the dek's markup must arrive as text, not as a tag.
        assert "Water &lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; power" in texts, name


def _fully_cited(essay):
    """Give every source of `essay` all a citation can show: author, date, archived copy."""
    for source in Source.objects.filter(counter_evidence__claim__section__essay=essay).distinct():
        Source.objects.filter(pk=source.pk).update(
            archived_url=f"https://archive.example.org/{source.pk}", published_on="2024-05-01"
        )
        source.authors.add(make_person(name="Nadia Karam"))


@pytest.mark.parametrize("build", [big_essay, lambda n: reviewed_essay()], ids=["big", "mixed"])
def test_a_claim_costs_at_most_1_5_kb_of_markup_beyond_its_words(client, publisher, publish, build):
    essay = build(40)
    _fully_cited(essay)
    publish(essay=essay, actor=publisher, override_reason="page weight")
    page = client.get(url("article", slug=essay.slug), headers={"accept-encoding": "identity"})
    html = page.content.decode()
    assert "archived copy" in html and "Nadia Karam" in html  # the fullest citation
    assert claim_markup_per_claim(html) <= 1500
