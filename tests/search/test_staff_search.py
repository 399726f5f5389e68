"""The staff index follows every write, and the admin's search boxes read it."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from essays.models import Essay
from search.index import STAFF, search
from search.models import Entry
from tests.factories import (
    make_claim,
    make_essay,
    make_outlet,
    make_person,
    make_quotation,
    make_section,
    make_source,
    make_user,
)

pytestmark = pytest.mark.django_db


def found(kind, text):
    return [hit.object_id for hit in search(STAFF, text, kinds=[kind]).hits]


def listed(client, model, term):
    """The object ids of the changelist search for `term`, in the order shown."""
    response = client.get(reverse(f"admin:{model}_changelist"), {"q": term})
    assert response.status_code == 200
    return [obj.pk for obj in response.context["cl"].result_list]


def test_every_kind_is_indexed_on_save_and_forgotten_on_delete():
    person = make_person(name="Amal Farouk", aliases=["Amal Faruq"], affiliation="Harbor Council")
    outlet = make_outlet(name="Harbor Ledger")
    source = make_source(title="Crossing log of the ferries", outlet=outlet)
    essay = make_essay(title="The Ferry Road", dek="Counting crossings.")
    section = make_section(essay, body="Officials said 10 ferries crossed on Monday.")
    claim = make_claim(section, exact="10 ferries crossed")
    quotation = make_quotation(section, text="Officials said", speaker=person)
    assert found("person", "Faruq") == [person.pk]
    assert found("outlet", "ledger") == [outlet.pk]
    assert found("source", "ferries log") == [source.pk]
    assert found("essay", "Monday crossings") == [essay.pk]  # section text and dek
    assert found("claim", "ferries") == [claim.pk]
    assert found("quotation", "Amal Farouk") == [quotation.pk]  # by its speaker
    person.name = "Amal Haddad"
    person.save()
    assert found("person", "Haddad") == [person.pk] and not found("person", "Farouk")
    quotation.delete()
    assert not found("quotation", "Officials")


def test_claims_and_quotations_follow_their_essays_title():
    essay = make_essay(title="The Ferry Road")
    claim = make_claim(make_section(essay, body="Ten boats sailed."), exact="Ten boats sailed")
    assert found("claim", "ferry road") == [claim.pk]
    essay.title = "The Harbour Mouth"
    essay.save()
    assert found("claim", "harbour mouth") == [claim.pk] and not found("claim", "ferry")


def test_changelist_search_is_ranked_and_matches_words_as_typed(admin_client):
    essay = make_essay(title="Essay")
    section = make_section(essay, body="Latakia port. Bread in Latakia port.")
    weak = make_claim(section, exact="Bread in Latakia port", statement="Bread prices rose",
                      short_statement="")  # fmt: skip
    strong = make_claim(section, exact="Latakia port", statement="Latakia port closed")
    assert listed(admin_client, "essays_claim", "latakia port") == [strong.pk, weak.pk]
    assert listed(admin_client, "essays_claim", "Latak") == [strong.pk, weak.pk]
    assert listed(admin_client, "essays_claim", "bread pri") == [weak.pk]
    assert listed(admin_client, "essays_claim", "nothing like it") == []
    people = [make_person(name=n).pk for n in ("Amal Farouk", "Amal Haddad", "Samir Amal")]
    assert set(listed(admin_client, "sources_person", "amal")) == set(people)
    assert listed(admin_client, "sources_person", "amal far")[0] == people[0]
    if connection.vendor == "postgresql":  # names spelled nearly alike (trigrams)
        assert listed(admin_client, "sources_person", "Amal Farook")[0] == people[0]
    # Sorting by a column still works on the found rows.
    response = admin_client.get(reverse("admin:sources_person_changelist"),
                                {"q": "amal", "o": "1"})  # fmt: skip
    assert [p.name for p in response.context["cl"].result_list] == sorted(
        ["Amal Farouk", "Amal Haddad", "Samir Amal"]
    )


def test_staff_search_page_finds_drafts_for_staff_with_view_permission(client):
    draft = make_essay(title="Unpublished zeppelin essay")
    make_section(draft, body="A zeppelin landed.")
    url = reverse("staff-search")
    assert client.get(url, {"q": "zeppelin"}).status_code == 302  # to the login page
    client.force_login(make_user("Reviewer"))
    page = client.get(url, {"q": "zeppelin"}).content.decode()
    assert reverse("admin:essays_essay_change", args=[draft.pk]) in page
    assert "<mark>zeppelin</mark>" in page
    client.force_login(make_user(None, is_staff=True))  # staff, but may view nothing
    assert "Unpublished zeppelin" not in client.get(url, {"q": "zeppelin"}).content.decode()


def test_search_index_command_rebuilds_what_bulk_writes_skipped(publisher):
    essay = make_essay(title="Essay")
    section = make_section(essay, body="Ten boats sailed.")
    make_claim(section, exact="Ten boats sailed")
    Essay.objects.filter(pk=essay.pk).update(title="Renamed in bulk")  # no signal
    Entry.objects.all().delete()
    call_command("search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert found("essay", "renamed bulk") == [essay.pk]
    assert len(found("claim", "boats")) == 1
