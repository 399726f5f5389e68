"""Public search (/search/) and the read API (/api/): published revisions only, validated
like every public page, and the API's answers match its own OpenAPI schema."""

from __future__ import annotations

import jsonschema
import pytest
from django.core.cache import cache
from django.test import Client

from essays.models import Claim, Essay
from tests.factories import make_essay, make_section
from tests.publishing.builders import DRAFT_SECRET, NOTE_SECRET, PROPOSED_SECRET, reviewed_essay

pytestmark = pytest.mark.django_db
SECRETS = (DRAFT_SECRET, NOTE_SECRET, PROPOSED_SECRET)


@pytest.fixture
def live(publish, publisher):
    essay = reviewed_essay()
    publish(essay=essay, actor=publisher, override_reason="proposed claim left open")
    return essay


# -- /search/ -----------------------------------------------------------------------------


def test_search_finds_published_claims_with_their_verdicts(client, live):
    response = client.get("/search/", {"q": "valley departures"})
    assert response.status_code == 200
    text = response.content.decode()
    false_claim = live.claims["false"]
    assert f'href="/essays/{live.slug}/claims/{false_claim.pk}/"' in text
    assert 'data-verdict="false"' in text and "<mark>" in text
    assert response["X-Robots-Tag"] == "noindex" and response["ETag"]


def test_search_filters_by_verdict_kind_and_tag(client, live):
    by_verdict = client.get("/search/", {"q": "shelling", "verdict": "supported"}).content.decode()
    assert f"/claims/{live.claims['supported'].pk}/" in by_verdict
    none = client.get("/search/", {"q": "shelling", "verdict": "false"}).content.decode()
    assert "Nothing published matches" in none
    sources = client.get("/search/", {"q": "checkpoint photos", "kind": "source"}).content.decode()
    assert f"/essays/{live.slug}/sources/#source-" in sources
    assert "/claims/" not in sources.split("search-results")[-1]
    essays = {"q": "valley road", "kind": "essay"}
    assert "1 result" in client.get("/search/", {**essays, "tag": "valley"}).content.decode()
    assert "Nothing" in client.get("/search/", {**essays, "tag": "other"}).content.decode()


def test_search_never_shows_drafts_notes_proposed_verdicts_or_unapproved_evidence(client, live):
    make_section(make_essay(title="Unpublished zeppelin draft"), body="A zeppelin landed.")
    for text in ["zeppelin", *SECRETS, *(s.split("-")[0] for s in SECRETS)]:
        page = client.get("/search/", {"q": text}).content.decode()
        assert "Nothing published matches" in page, text
    # The proposed claim is public as "under review", without its proposed summary.
    page = client.get("/search/", {"q": "painted checkpoint"}).content.decode()
    assert 'data-verdict="under_review"' in page


def test_unpublishing_removes_an_essay_from_search_and_republishing_updates_it(
    client, live, publish, publisher
):
    publish.unpublish(essay=live, actor=publisher)
    assert "Nothing published" in client.get("/search/", {"q": "shelling"}).content.decode()
    Claim.objects.filter(pk=live.claims["supported"].pk).update(statement="No mortar fire at all")
    publish(essay=Essay.objects.get(pk=live.pk), actor=publisher, override_reason="again")
    assert "1 result" in client.get("/search/", {"q": "mortar fire"}).content.decode()


def test_search_pages_are_paginated_and_bad_parameters_are_harmless(client, live):
    assert client.get("/search/", {"q": "valley", "page": "2"}).status_code == 404
    assert client.get("/search/", {"q": "valley", "page": "x"}).status_code == 200
    assert client.get("/search/", {"q": "valley", "verdict": "<script>"}).status_code == 200
    assert client.get("/search/", {"q": "x" * 5000}).status_code == 200
    assert client.get("/search/").status_code == 200  # the empty form
    assert client.post("/search/", {"q": "valley"}).status_code == 405


def test_search_is_revalidated_like_every_public_page(client, live, publish, publisher):
    first = client.get("/search/", {"q": "valley"})
    again = client.get("/search/", {"q": "valley"}, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    publish(essay=Essay.objects.get(pk=live.pk), actor=publisher, override_reason="again")
    after = client.get("/search/", {"q": "valley"}, headers={"if-none-match": first["ETag"]})
    assert after.status_code == 200


# -- /api/ --------------------------------------------------------------------------------


@pytest.fixture
def schema(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def conforms(schema: dict, path: str, response, status: int = 200) -> dict:
    """The response's JSON validated against the schema the API publishes for `path`."""
    operation = schema["paths"][path]["get"]
    body = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    document = {**body, "components": schema["components"]}
    data = response.json()
    jsonschema.validate(data, document, cls=jsonschema.Draft202012Validator)
    return data


def test_essay_list_and_detail_match_the_schema_and_the_published_revision(client, live, schema):
    listing = conforms(schema, "/api/essays/", client.get("/api/essays/"))
    assert listing["count"] == 1 and listing["results"][0]["slug"] == live.slug
    detail = conforms(schema, "/api/essays/{slug}/", client.get(f"/api/essays/{live.slug}/"))
    claims = {c["id"]: c for c in detail["claims"]}
    false_claim = claims[live.claims["false"].pk]
    assert false_claim["verdict"] == "false"
    assert [e["summary"] for e in false_claim["counter_evidence"]] == [
        "The monitor counted 26,000 departures."
    ]
    assert false_claim["counter_evidence"][0]["source"]["title"].startswith("Source for")
    assert claims[live.claims["proposed"].pk]["verdict"] is None
    speakers = {q["text"]: q["speaker"] for q in detail["quotations"]}
    assert speakers["the **road** is open"] == "Amal Farouk"
    assert "الطريق مفتوح" in speakers
    assert {s["title"] for s in detail["sources"]} >= {"Valley residents speak"}
    body = client.get(f"/api/essays/{live.slug}/").content.decode()
    assert not any(secret in body for secret in SECRETS)


def test_claim_and_search_endpoints(client, live, schema):
    pk = live.claims["supported"].pk
    data = conforms(schema, "/api/claims/{claim_id}/", client.get(f"/api/claims/{pk}/"))
    assert data["verdict"] == "supported" and data["essay"]["slug"] == live.slug
    found = conforms(schema, "/api/search/", client.get("/api/search/", {"q": "shelling"}))
    assert [hit["id"] for hit in found["results"] if hit["kind"] == "claim"] == [pk]
    assert client.get("/api/search/", {"q": DRAFT_SECRET}).json()["count"] == 0


def test_drafts_and_unpublished_essays_are_not_found(client, live, publish, publisher, schema):
    draft = make_essay(title="Draft only")
    claim = Claim.objects.create(section=make_section(draft, body="Ten ships."), exact="Ten",
                                 start=0, end=3)  # fmt: skip
    assert client.get(f"/api/essays/{draft.slug}/").status_code == 404
    assert client.get(f"/api/claims/{claim.pk}/").status_code == 404
    publish.unpublish(essay=live, actor=publisher)
    missing = client.get(f"/api/essays/{live.slug}/")
    assert missing.status_code == 404
    conforms(schema, "/api/essays/{slug}/", missing, status=404)
    assert client.get(f"/api/claims/{live.claims['false'].pk}/").status_code == 404
    assert client.get("/api/essays/").json()["count"] == 0


def test_api_answers_conditional_gets_and_is_open_to_any_origin_for_reading(client, live):
    first = client.get(f"/api/essays/{live.slug}/", headers={"origin": "https://elsewhere.example"})
    assert first["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in first
    again = client.get(f"/api/essays/{live.slug}/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    preflight = client.options("/api/essays/", headers={
        "origin": "https://elsewhere.example", "access-control-request-method": "GET"})  # fmt: skip
    assert preflight.status_code == 200
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert client.post("/api/essays/").status_code == 405


def test_api_limits_each_client(settings, live):
    settings.COUNTERPOINT_API_RATE = "3/m"
    cache.clear()
    one, other = Client(REMOTE_ADDR="198.51.100.1"), Client(REMOTE_ADDR="198.51.100.2")
    statuses = [one.get("/api/essays/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert other.get("/api/essays/").status_code == 200
    cache.clear()


def test_api_documentation_is_served_from_our_own_static_files(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert "swagger-ui-bundle.js" in page.content.decode() and "cdn" not in page.content.decode()
