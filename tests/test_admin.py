"""Every admin page an editor opens renders, refuses strangers, and stays cheap with many rows."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from essays.models import Claim
from review.choices import ClaimStatus
from review.models import PublishOverride
from tests.factories import (
    claim_admin_form,
    make_claim,
    make_claim_candidate,
    make_counter_evidence,
    make_essay,
    make_note,
    make_person,
    make_quotation,
    make_quotation_check,
    make_section,
    make_source,
    make_status_change,
)

pytestmark = pytest.mark.django_db

OUR_APPS = {"essays", "sources", "review"}
MODELS = sorted(
    (m for m in admin.site._registry if m._meta.app_label in OUR_APPS),
    key=lambda m: m._meta.label,
)


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def one_of_everything(superuser):
    essay = make_essay(title="Sample “essay” with حلب")
    essay.tags.add("Syria", "ceasefire")
    section = make_section(essay, heading="Idlib")
    quotation = make_quotation(
        section, source=make_source(), speaker=make_person(name="Amal al-Haddad")
    )
    make_quotation_check(quotation)
    claim = make_claim(section)
    make_claim_candidate(section, claim=claim, decision="accepted")
    make_note(claim)
    make_counter_evidence(claim)
    make_status_change(claim)
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.IN_REVIEW, assigned_to=superuser)
    PublishOverride.objects.create(essay=essay, actor=superuser, reason="Deadline", blockers=[])


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_changelist_add_and_change_pages_render_for_a_superuser(
    client, superuser, one_of_everything, model
):
    client.force_login(superuser)
    assert client.get(admin_url(model, "changelist")).status_code == 200
    assert client.get(admin_url(model, "changelist"), {"q": "حلب"}).status_code == 200
    obj = model._default_manager.first()
    assert client.get(admin_url(model, "change", obj.pk)).status_code == 200
    if admin.site._registry[model].has_add_permission(_request_for(superuser)):
        assert client.get(admin_url(model, "add")).status_code == 200


def _request_for(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


def _changelist_queries(client, model, user) -> int:
    client.force_login(user)
    url = admin_url(model, "changelist")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow(n: int) -> None:
    essay = make_essay()
    essay.tags.add("a", "b")
    section = make_section(essay)
    for _ in range(n):
        claim = make_claim(section)
        make_quotation(section, source=make_source(), speaker=make_person())
        make_counter_evidence(claim, source=make_source())
        make_note(claim)
        make_status_change(claim)
        make_essay().tags.add("c")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_changelist_query_count_does_not_grow_with_rows(client, superuser, model):
    _grow(5)
    few = _changelist_queries(client, model, superuser)
    _grow(45)
    many = _changelist_queries(client, model, superuser)
    assert many == few, f"{model._meta.label}: {few} queries for 5 rows, {many} for 50"


def test_editor_can_create_an_essay_with_sections_in_one_form(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:essays_essay_add"),
        {
            "title": "Ceasefire “numbers”",
            "slug": "ceasefire-numbers",
            "byline": "Lina\u00a0Haddad",
            "dek": "",
            "tags": "ceasefire, Idlib",
            "language": "en",
            "canonical_url": "",
            "original_published_on": "",
            "sections-TOTAL_FORMS": "2",
            "sections-INITIAL_FORMS": "0",
            "sections-MIN_NUM_FORMS": "0",
            "sections-MAX_NUM_FORMS": "1000",
            "sections-0-position": "0",
            "sections-0-heading": "",
            "sections-0-body": "An untitled introduction.",
            "sections-1-position": "1",
            "sections-1-heading": "Idlib",
            "sections-1-body": "The council said “the road is open”.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    from essays.models import Essay

    essay = Essay.objects.get(slug="ceasefire-numbers")
    assert essay.created_by == editor
    assert [(s.heading, s.anchor) for s in essay.sections.all()] == [
        ("", "introduction"),
        ("Idlib", "idlib"),
    ]
    assert {t.name for t in essay.tags.all()} == {"ceasefire", "Idlib"}


def test_reviewer_can_add_a_note_and_counter_evidence_to_a_claim(client, reviewer):
    claim = make_claim(assigned_to=reviewer, status=ClaimStatus.IN_REVIEW)
    source = make_source()
    client.force_login(reviewer)
    url = reverse("admin:essays_claim_change", args=[claim.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        claim_admin_form(
            claim,
            **{
                "notes-TOTAL_FORMS": "1",
                "notes-0-body": "The 40,000 figure needs a second source.",
                "notes-0-parent": "",
                "counter_evidence-TOTAL_FORMS": "1",
                "counter_evidence-0-position": "0",
                "counter_evidence-0-stance": "contradicts",
                "counter_evidence-0-source": source.pk,
                "counter_evidence-0-summary": "The monitor counted *26,000*.",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    note = claim.notes.get()
    assert note.author == reviewer and not note.resolved
    evidence = claim.counter_evidence.get()
    assert evidence.source == source and evidence.created_by == reviewer and not evidence.approved


def test_status_and_verdict_cannot_be_set_through_the_claim_form(client, superuser):
    claim = make_claim()
    client.force_login(superuser)
    client.post(
        reverse("admin:essays_claim_change", args=[claim.pk]),
        claim_admin_form(claim, status=ClaimStatus.APPROVED, verdict="false"),
    )
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.status == ClaimStatus.UNREVIEWED and claim.verdict == ""


def test_list_filters_say_what_they_filter(client, superuser):
    from sources.models import Source

    source = make_source()
    source.tags.add("water")
    make_quotation(make_section(make_essay()))
    client.force_login(superuser)
    sources = client.get(admin_url(Source, "changelist")).content.decode()
    assert "By source kind" in sources and "By outlet kind" in sources
    assert "By kind" not in sources
    assert ">Untagged</a>" in sources and ">-</a>" not in sources
    from essays.models import Quotation

    quotations = client.get(admin_url(Quotation, "changelist")).content.decode()
    assert "By outlet kind" in quotations and "By kind" not in quotations


def test_admin_counts_read_as_english(client, reviewer):
    from review.models import QueueItem

    section = make_section(make_essay())
    for _ in range(2):
        make_claim(section, assigned_to=reviewer, status=ClaimStatus.IN_REVIEW)
    client.force_login(reviewer)
    page = client.get(admin_url(QueueItem, "changelist")).content.decode()
    assert "2 claims in my queue" in page and "2 my queue" not in page
