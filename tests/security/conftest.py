"""Shared by the security tests: the published-ready essay the hostile-input properties edit
(their tally of examples is printed by tests/conftest.py)."""

import pytest

from essays.models import Claim, Section
from review.choices import ClaimStatus, Verdict
from review.models import CounterEvidence
from sources.models import Outlet, Person
from tests.factories import make_claim, make_essay, make_quotation, make_source, make_user


@pytest.fixture(autouse=True)
def _empty_page_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


BODY = "The council said “the road is open” on 3 May, and 40,000 people left the valley."


@pytest.fixture
def world(db):
    """One published-ready essay that touches every public text: a section with a
    quotation (speaker, source with outlet and author) and an approved claim with
    approved counter-evidence."""
    publisher = make_user(superuser=True)
    essay = make_essay(title="Plain title", byline="by Someone", dek="Plain dek.")
    essay.tags.add("plain")
    section = Section.objects.create(essay=essay, position=0, heading="Start", body=BODY)
    person = Person.objects.create(name="Amal Farouk")
    outlet = Outlet.objects.create(name="Harbor Ledger")
    source = make_source(title="Valley report", outlet=outlet)
    source.authors.add(person)
    quotation = make_quotation(section, text="the road is open", speaker=person, source=source)
    claim = make_claim(section, exact="40,000 people left the valley", short_statement="40,000")
    Claim.objects.filter(pk=claim.pk).update(
        status=ClaimStatus.APPROVED, verdict=Verdict.FALSE, verdict_summary="Fewer left."
    )
    evidence = CounterEvidence.objects.create(
        claim=claim, source=source, summary="The monitor counted 26,000.", approved=True
    )
    return {
        "publisher": publisher,
        "essay": essay,
        "section": section,
        "person": person,
        "outlet": outlet,
        "source": source,
        "quotation": quotation,
        "claim": claim,
        "evidence": evidence,
    }
