import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from sources.models import Outlet, Person, Source
from tests.factories import (
    make_counter_evidence,
    make_outlet,
    make_person,
    make_quotation,
    make_section,
    make_source,
)

pytestmark = pytest.mark.django_db


def test_outlet_str_is_its_name_and_slug_is_derived_from_unicode_name():
    outlet = make_outlet(name="الجزيرة", aliases=["Al Jazeera", "al-Jazeera"])
    assert str(outlet) == "الجزيرة"
    assert outlet.slug == "الجزيرة"


def test_outlet_names_are_unique():
    make_outlet(name="Harbor Ledger Wire")
    with pytest.raises(IntegrityError), transaction.atomic():
        Outlet.objects.create(name="Harbor Ledger Wire")


def test_person_str_includes_affiliation_and_slugs_never_collide():
    first = make_person(name="Amal al-Haddad", affiliation="Harbor Ledger")
    second = make_person(name="Amal al-Haddad")
    assert str(first) == "Amal al-Haddad (Harbor Ledger)"
    assert str(second) == "Amal al-Haddad"
    assert first.slug != second.slug


def test_source_str_names_title_outlet_and_date():
    import datetime

    source = make_source(
        title="Road report",
        outlet=make_outlet(name="Meridian Wire"),
        published_on=datetime.date(2024, 3, 1),
    )
    assert str(source) == "Road report — Meridian Wire — 2024-03-01"


def test_two_sources_cannot_share_a_url_but_many_may_have_none():
    make_source(url="https://example.org/a")
    make_source(url="")
    make_source(url="")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_source(url="https://example.org/a")
    assert Source.objects.filter(url="").count() == 2


def test_deleting_a_source_that_a_quotation_cites_is_refused():
    source = make_source()
    make_quotation(make_section(), source=source)
    with pytest.raises(ProtectedError) as refused:
        source.delete()
    assert "Quotation" in str(refused.value)
    assert Source.objects.filter(pk=source.pk).exists()


def test_deleting_a_source_that_counter_evidence_cites_is_refused():
    evidence = make_counter_evidence()
    with pytest.raises(ProtectedError):
        evidence.source.delete()
    assert Source.objects.filter(pk=evidence.source_id).exists()


def test_deleting_an_outlet_with_sources_or_a_quoted_person_is_refused():
    source = make_source()
    with pytest.raises(ProtectedError):
        source.outlet.delete()
    speaker = make_person()
    make_quotation(speaker=speaker)
    with pytest.raises(ProtectedError):
        speaker.delete()
    assert Person.objects.filter(pk=speaker.pk).exists()
