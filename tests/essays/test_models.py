import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from essays.models import Claim, Essay, Quotation, Section
from review.choices import ClaimStatus, Verdict
from tests.factories import make_claim, make_essay, make_quotation, make_section, make_source

pytestmark = pytest.mark.django_db


def test_essay_str_and_new_essays_start_as_drafts():
    essay = make_essay(title="The Road to Tal Safir")
    assert str(essay) == "The Road to Tal Safir"
    assert essay.status == Essay.Status.DRAFT


def test_essay_slugs_are_unique():
    make_essay(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_essay(slug="same")


def test_essay_canonical_urls_are_unique_when_present():
    make_essay(canonical_url="https://example.org/essay")
    make_essay(canonical_url="")
    make_essay(canonical_url="")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_essay(canonical_url="https://example.org/essay")


def test_section_positions_are_unique_per_essay_and_order_the_sections():
    essay = make_essay()
    make_section(essay, position=1, heading="Later")
    make_section(essay, position=0, heading="")
    assert [s.heading for s in essay.sections.all()] == ["", "Later"]
    make_section(make_essay(), position=1)  # other essays may reuse the position
    with pytest.raises(IntegrityError), transaction.atomic():
        make_section(essay, position=1)


def test_section_anchor_comes_from_the_heading_and_never_repeats_within_an_essay():
    essay = make_essay()
    intro = make_section(essay, heading="")
    first = make_section(essay, heading="Idlib, again")
    second = make_section(essay, heading="Idlib again")
    arabic = make_section(essay, heading="إدلب")
    assert intro.anchor == "introduction"
    assert first.anchor == "idlib-again"
    assert second.anchor == "idlib-again-2"
    assert arabic.anchor == "إدلب"
    assert str(first) == "§2 Idlib, again"
    assert str(intro) == "§1 Introduction"
    assert str(arabic) == "§4 إدلب"


def test_a_span_must_end_after_it_starts():
    section = make_section()
    with pytest.raises(IntegrityError), transaction.atomic():
        Quotation.objects.create(section=section, text="x", start=5, end=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(section=section, exact="x", start=9, end=3)


def test_quotation_str_is_the_quoted_words_and_outlet_follows_its_source():
    source = make_source()
    quotation = make_quotation(source=source)
    assert str(quotation) == "the road is open"
    assert quotation.outlet_id == source.outlet_id


def test_claim_verdict_is_present_exactly_when_the_status_carries_one():
    claim = make_claim()
    assert claim.status == ClaimStatus.UNREVIEWED and claim.verdict == ""
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(verdict=Verdict.FALSE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.PROPOSED)
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.PROPOSED, verdict=Verdict.FALSE)
    claim.refresh_from_db()
    assert claim.get_verdict_display() == "False"


def test_claim_str_prefers_the_short_statement():
    assert str(make_claim(short_statement="40,000 left the town")) == "40,000 left the town"
    assert str(make_claim()) == "40,000 people left"


def test_deleting_a_section_with_claims_is_refused_so_reviewer_work_survives():
    claim = make_claim()
    with pytest.raises(ProtectedError):
        claim.section.delete()
    with pytest.raises(ProtectedError):
        claim.section.essay.delete()
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_unicode_text_survives_the_database_unchanged():
    body = "قال المتحدث «الطريق مفتوح» — “a ‘quoted’ word”\u00a0[emphasis mine] . . ."
    section = make_section(heading="حلب", body=body)
    section.refresh_from_db()
    assert section.body == body
    assert Section.objects.get(heading="حلب").pk == section.pk
