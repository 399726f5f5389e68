"""Counts tell the truth: claims still under review are never counted as checked."""

import pytest
from django.urls import reverse

from publishing.counts import claims_phrase
from tests.publishing.builders import reviewed_essay


@pytest.mark.parametrize(
    ("counts", "phrase"),
    [
        ({"false": 2, "supported": 1, "under_review": 4}, "7 claims: 3 checked, 4 under review"),
        ({"mixed": 1, "under_review": 1}, "2 claims: 1 checked, 1 under review"),
        ({"false": 5}, "5 claims, all checked"),
        ({"supported": 1}, "1 claim, checked"),
        ({"under_review": 3}, "3 claims, all under review"),
        ({"under_review": 1}, "1 claim, under review"),
        ({}, "No claims marked yet"),
        ({"false": 0, "under_review": 0}, "No claims marked yet"),
    ],
)
def test_the_phrase_separates_checked_from_under_review(counts, phrase):
    assert claims_phrase(counts) == phrase


@pytest.mark.django_db
def test_article_home_and_tag_pages_count_claims_under_review_apart(client, publisher, publish):
    essay = reviewed_essay()  # one false, one supported, one only proposed
    essay.tags.add("Valley")
    publish(essay=essay, actor=publisher, override_reason="Go.")
    for name, kwargs in (
        ("article", {"slug": essay.slug}),
        ("home", {}),
        ("tag", {"slug": "valley"}),
    ):
        html = client.get(reverse(f"public:{name}", kwargs=kwargs)).content.decode()
        assert "3 claims: 2 checked, 1 under review" in html, name
        assert "We checked" not in html and "3 claims checked" not in html, name
