"""Merging duplicate outlets and people: every reference moves, spellings become aliases,
history says so, and only those who may change and delete them can."""

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from essays.models import Quotation
from sources.models import Outlet, Person
from tests.factories import make_outlet, make_person, make_quotation, make_source, make_user

pytestmark = pytest.mark.django_db


def test_merging_outlets_moves_every_reference_and_keeps_the_spellings(admin_client):
    keep = make_outlet(name="Gulf Courier", aliases=["صحيفة الخليج"])
    variant = make_outlet(name="Gulf Currier", aliases=["The Gulf Courier TV"])
    source = make_source(title="Report", outlet=variant)
    quotation = make_quotation(text="the road is open", outlet=variant)
    relayed = make_quotation(text="40,000 people left", via=variant)
    changelist = reverse("admin:sources_outlet_changelist")
    chosen = {"action": "merge_selected", helpers.ACTION_CHECKBOX_NAME: [keep.pk, variant.pk]}
    page = admin_client.post(changelist, chosen)
    assert "Gulf Courier" in page.content.decode() and 'name="keep"' in page.content.decode()
    assert Outlet.objects.filter(pk=variant.pk).exists()  # nothing until confirmed

    response = admin_client.post(changelist, {**chosen, "keep": keep.pk})
    assert response.status_code == 302
    assert not Outlet.objects.filter(pk=variant.pk).exists()
    keep.refresh_from_db()
    assert keep.aliases == ["صحيفة الخليج", "Gulf Currier", "The Gulf Courier TV"]
    source.refresh_from_db()
    quotation.refresh_from_db()
    relayed.refresh_from_db()
    assert source.outlet == quotation.outlet == relayed.via == keep
    assert quotation.version == 2  # a desk form loaded before the merge is stale
    reason = quotation.history.first().history_change_reason
    assert reason == "merged “Gulf Currier” into “Gulf Courier”"


def test_merging_people_moves_quotations_and_authorship(admin_client):
    keep, duplicate = make_person(name="Amal Farouk"), make_person(name="Amal Faruq")
    source = make_source(title="Interview")
    source.authors.add(duplicate)
    quotation = make_quotation(text="the road is open", speaker=duplicate)
    changelist = reverse("admin:sources_person_changelist")
    selected = {helpers.ACTION_CHECKBOX_NAME: [keep.pk, duplicate.pk]}
    admin_client.post(changelist, {"action": "merge_selected", "keep": keep.pk, **selected})
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert list(source.authors.all()) == [keep]
    assert Quotation.objects.get(pk=quotation.pk).speaker == keep
    assert Person.objects.get(pk=keep.pk).aliases == ["Amal Faruq"]


def test_only_those_who_may_change_and_delete_them_can_merge(client):
    reviewer = make_user("Reviewer")
    a, b = make_outlet(name="Harbor Ledger"), make_outlet(name="Harbour Ledger")
    client.force_login(reviewer)
    response = client.post(reverse("admin:sources_outlet_changelist"), {
        "action": "merge_selected", "keep": a.pk, helpers.ACTION_CHECKBOX_NAME: [a.pk, b.pk],
    })  # fmt: skip
    assert response.status_code in (200, 302, 403)
    assert Outlet.objects.filter(pk__in=[a.pk, b.pk]).count() == 2
