"""save_import: what an import writes, and what a re-import keeps."""

from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from essays.importer import EssayImportError, parse, save_import
from essays.models import Claim, ClaimCandidate, Essay, Quotation, Section
from review.choices import ClaimStatus, Verdict
from review.models import CounterEvidence, ReviewerNote, StatusChange
from sources.models import Outlet, Person
from sources.selectors import outlet_registry
from tests.factories import (
    make_counter_evidence,
    make_note,
    make_source,
    make_status_change,
)
from tests.importer.conftest import parse_text

pytestmark = pytest.mark.django_db

CLAIM_TEXT = (
    "The rebel coalition that seized Idlib city in March 2015, the Army of Conquest, "
    "was dominated from the start by Jabhat al-Nusra, then al-Qaeda's Syrian affiliate."
)
URL = "https://counterpoint.example/essays/the-long-siege"


def row_counts() -> dict[str, int]:
    models = [Essay, Section, Quotation, ClaimCandidate, Claim, Person, Outlet]
    return {m.__name__: m.objects.count() for m in models}


def claim_on(essay: Essay, exact: str, **fields) -> Claim:
    section = next(s for s in essay.sections.all() if exact in s.body)
    start = section.body.index(exact)
    return Claim.objects.create(
        section=section,
        start=start,
        end=start + len(exact),
        exact=exact,
        prefix=section.body[max(0, start - 32) : start],
        suffix=section.body[start + len(exact) : start + len(exact) + 32],
        statement=exact,
        **fields,
    )


def reviewed_claim(essay: Essay) -> Claim:
    claim = claim_on(
        essay,
        CLAIM_TEXT,
        status=ClaimStatus.APPROVED,
        verdict=Verdict.PARTLY_SUPPORTED,
        verdict_summary="Nusra led, but Ahrar al-Sham was as large.",
    )
    make_note(claim, body="Ahrar al-Sham's numbers are in the ISW report.")
    make_counter_evidence(claim, summary="Ahrar al-Sham fielded as many fighters.")
    make_status_change(claim, to_status=ClaimStatus.APPROVED)
    return claim


def test_saving_the_long_essay_creates_what_the_parse_found(long_parsed, editor):
    result = save_import(parsed=long_parsed, actor=editor)

    essay = Essay.objects.get()
    assert result.created and result.essay == essay
    assert essay.title == long_parsed.title and essay.byline == "Miriam Haddad"
    assert essay.canonical_url == URL and essay.original_published_on.isoformat() == "2020-06-02"
    assert essay.created_by == editor
    sections = list(essay.sections.order_by("position"))
    assert [s.heading for s in sections] == [s.heading or "" for s in long_parsed.sections]
    assert sections[0].heading == "" and sections[0].anchor == "introduction"
    assert len(sections) == result.sections == 14
    for section, parsed in zip(sections, long_parsed.sections, strict=True):
        assert section.body == "\n\n".join(parsed.paragraphs)
    assert Quotation.objects.count() == result.quotations == len(long_parsed.quotations) == 103
    assert ClaimCandidate.objects.count() == result.candidates == len(long_parsed.claims)
    for row in [*Quotation.objects.select_related("section"),
                *ClaimCandidate.objects.select_related("section")]:  # fmt: skip
        assert row.section.body[row.start : row.end] == row.text


def test_quotations_keep_speaker_outlet_via_flags_and_repeats(long_parsed, editor):
    save_import(parsed=long_parsed, actor=editor)
    by_text = {q.text: q for q in Quotation.objects.select_related("speaker", "outlet", "via")}

    vail = by_text["owed less to rebel unity than to Turkish and Qatari logistics, which arrived "
                   "by the truckload."]  # fmt: skip
    assert vail.speaker.name == "Thomas Vail" and vail.outlet.name == "New York Times"
    spokesman = next(q for t, q in by_text.items() if t.startswith("When they [ISIS]"))
    assert spokesman.speaker is None and spokesman.speaker_description == "a rebel spokesman"
    medic = next(q for t, q in by_text.items() if t.startswith("the hospital has moved"))
    assert medic.outlet.name == "Agence France-Presse"
    assert medic.via.name == "Syrian Observatory for Human Rights"
    assert Quotation.objects.filter(is_scare_quote=True).exists()
    assert Quotation.objects.filter(emphasis_added=True).exists()
    expected_repeats = [q for q in long_parsed.quotations if q.repeat_of is not None]
    repeats = Quotation.objects.filter(repeat_of__isnull=False).select_related("repeat_of")
    assert repeats.count() == len(expected_repeats) > 0
    for repeat in repeats:
        assert repeat.repeat_of.repeat_of is None
        assert repeat.repeat_of.section.essay_id == repeat.section.essay_id


def test_a_speaker_description_cut_to_fit_does_not_end_in_a_space(long_parsed, editor):
    """Cut at the field's 300 characters; a cut that lands after a space drops the space,
    as every form would (so a spreadsheet round trip of it changes nothing)."""
    description = "a spokesman for the rebel council, " + "ح" * 264 + " and more"
    assert description[299] == " "
    sections = tuple(
        replace(section, quotations=tuple(
            replace(q, speaker=description) if q.speaker == "a rebel spokesman" else q
            for q in section.quotations
        ))
        for section in long_parsed.sections
    )  # fmt: skip
    save_import(parsed=replace(long_parsed, sections=sections), actor=editor)
    [stored, *_] = Quotation.objects.filter(speaker_description__startswith="a spokesman for")
    assert stored.speaker_description == description[:299]


def test_outlets_are_reused_by_alias_not_duplicated(long_parsed, editor):
    before = Outlet.objects.count()
    result = save_import(parsed=long_parsed, actor=editor)

    assert Outlet.objects.count() == before and result.outlets_created == []
    al_jazeera = Outlet.objects.get(name="Al Jazeera")
    # The essay writes "Al Jazeera", "al-Jazeera" and "Aljazeera": one outlet.
    assert Quotation.objects.filter(outlet=al_jazeera).count() >= 2
    assert "Al Jazeera" in result.outlets_reused


def test_outlets_and_aliases_added_by_editors_are_recognised(shipped_outlets, editor):
    ledger = Outlet.objects.create(name="Harbor Ledger", aliases=["the Ledger"], slug="hl")
    parsed = parse_text(
        "A Title\n\nIntro\n\n"
        "“The port is closed to everyone,” the harbour master told the Ledger in 2020.\n"
    )
    save_import(parsed=parsed, actor=editor)
    assert Quotation.objects.get().outlet == ledger


def test_an_outlet_missing_from_the_database_is_created_once(shipped_outlets, editor):
    Outlet.objects.filter(name="Reuters").delete()
    text = (
        "A Title\n\nIntro\n\n“We lost forty fighters,” the commander told Reuters.\n\n"
        "“We lost more,” the other commander told Reuters.\n"
    )
    parsed = parse(text, filename="essay.txt")  # recognised with the shipped list
    result = save_import(parsed=parsed, actor=editor)

    reuters = Outlet.objects.get(name="Reuters")
    assert result.outlets_created == ["Reuters"] and reuters.kind == Outlet.Kind.WIRE
    assert reuters.slug and Quotation.objects.filter(outlet=reuters).count() == 2


def test_people_are_reused_across_short_references_and_imports(long_parsed, editor):
    save_import(parsed=long_parsed, actor=editor)
    harrow = Person.objects.get(name="Daniel Harrow")
    assert harrow.quotations.count() >= 4  # "Harrow explained", "Harrow called", …
    assert not Person.objects.filter(name="Harrow").exists()

    other = parse_text(
        "Another Essay\n\nIntro\n\n"
        "Secretary of State Daniel Harrow said the talks were “over for now.”\n\n"
        "Published at https://counterpoint.example/essays/another\n"
    )
    result = save_import(parsed=other, actor=editor)
    assert result.people_created == [] and result.people_reused == ["Daniel Harrow"]
    assert Person.objects.filter(name="Daniel Harrow").count() == 1
    assert harrow.quotations.count() >= 5


def test_reimport_updates_the_essay_and_keeps_review_work_on_claims(long_parsed, long_text, editor):
    first = save_import(parsed=long_parsed, actor=editor)
    claim = reviewed_claim(first.essay)
    candidate = ClaimCandidate.objects.order_by("-score").first()
    candidate.decision, candidate.decided_by = ClaimCandidate.Decision.REJECTED, editor
    candidate.save()

    edited = long_text.replace(
        "Origins\n\n",
        "Origins\n\nA new paragraph, added in revision, explains where the story starts and "
        "why it matters to the people who lived it.\n\n",
    ).replace("When the green buses rolled north", "When the green buses finally rolled north")
    result = save_import(parsed=parse_text(edited, "long_siege.txt"), actor=editor)

    assert not result.created and Essay.objects.count() == 1
    assert result.essay.pk == first.essay.pk
    assert result.claims_reanchored == 1 and result.claims_unanchored == []
    claim.refresh_from_db()
    assert (claim.status, claim.verdict) == (ClaimStatus.APPROVED, Verdict.PARTLY_SUPPORTED)
    assert claim.verdict_summary.startswith("Nusra led")
    assert claim.section.body[claim.start : claim.end] == CLAIM_TEXT == claim.exact
    assert claim.section.heading == "Origins" and not claim.anchor_lost
    assert claim.prefix.endswith("who lived it.\n\n")
    assert ReviewerNote.objects.filter(claim=claim).count() == 1
    assert CounterEvidence.objects.filter(claim=claim).count() == 1
    assert StatusChange.objects.filter(claim=claim).count() == 1
    assert Section.objects.filter(essay=first.essay).count() == 14
    assert "finally rolled north" in first.essay.sections.get(position=0).body
    assert Quotation.objects.count() == 103
    kept = ClaimCandidate.objects.get(text=candidate.text)
    assert kept.decision == ClaimCandidate.Decision.REJECTED and result.decisions_kept == 1


def test_reimport_disambiguates_a_repeated_sentence_by_its_context(shipped_outlets, editor):
    sentence = "The road was closed on 3 May by the council."
    text = (
        "Roads\n\nIntro paragraph that is long enough to be prose.\n\n"
        f"In the north, {sentence} Traders waited.\n\nIn the south, {sentence} Nobody waited.\n\n"
        "Published at https://counterpoint.example/essays/roads\n"
    )
    essay = save_import(parsed=parse_text(text), actor=editor).essay
    section = essay.sections.get()
    second = section.body.rindex(sentence)
    end = second + len(sentence)
    claim = Claim.objects.create(
        section=section, start=second, end=end, exact=sentence,
        prefix=section.body[second - 32 : second], suffix=section.body[end : end + 32],
    )  # fmt: skip
    edited = text.replace("Intro paragraph", "A longer intro paragraph")
    save_import(parsed=parse_text(edited), actor=editor)
    claim.refresh_from_db()
    assert claim.section.body[claim.start - 14 : claim.start] == "In the south, "


def test_reimport_keeps_a_claim_whose_text_vanished_and_reports_it(long_parsed, long_text, editor):
    first = save_import(parsed=long_parsed, actor=editor)
    claim = reviewed_claim(first.essay)
    version = claim.version
    edited = long_text.replace(CLAIM_TEXT, "The coalition's story is told elsewhere.")
    result = save_import(parsed=parse_text(edited, "long_siege.txt"), actor=editor)

    claim.refresh_from_db()
    assert result.claims_unanchored == [claim.pk] and result.claims_reanchored == 0
    assert any(f"claim #{claim.pk}" in w and "anchor lost" in w for w in result.warnings)
    assert claim.anchor_lost and claim.exact == CLAIM_TEXT
    assert claim.status == ClaimStatus.APPROVED and claim.verdict == Verdict.PARTLY_SUPPORTED
    assert claim.section.essay == first.essay and claim.section.heading == "Origins"
    assert 0 <= claim.start < claim.end <= len(claim.section.body)
    assert claim.version == version + 1  # open review forms must reload


def test_reimport_moves_claims_off_sections_that_disappear(long_parsed, long_text, editor):
    first = save_import(parsed=long_parsed, actor=editor)
    claim = reviewed_claim(first.essay)
    old_section = claim.section_id
    result = save_import(
        parsed=parse_text(long_text.replace("\nOrigins\n", "\nBeginnings\n"), "long_siege.txt"),
        actor=editor,
    )
    claim.refresh_from_db()
    assert claim.section.heading == "Beginnings" and claim.section_id != old_section
    assert not Section.objects.filter(pk=old_section).exists()
    assert result.claims_reanchored == 1
    assert claim.section.body[claim.start : claim.end] == CLAIM_TEXT


def test_reimport_of_a_published_essay_is_allowed_and_says_so(long_parsed, editor):
    first = save_import(parsed=long_parsed, actor=editor)
    Essay.objects.filter(pk=first.essay.pk).update(status=Essay.Status.PUBLISHED)
    result = save_import(parsed=long_parsed, actor=editor)
    assert result.was_published and not result.created
    assert any("published revision" in w for w in result.warnings)


def test_quotation_sources_set_by_editors_survive_a_reimport(long_parsed, editor):
    first = save_import(parsed=long_parsed, actor=editor)
    source = make_source()
    quotation = Quotation.objects.filter(section__essay=first.essay).first()
    Quotation.objects.filter(pk=quotation.pk).update(source=source)
    save_import(parsed=long_parsed, actor=editor)
    assert Quotation.objects.get(text=quotation.text, repeat_of=None).source == source


def test_an_invalid_essay_writes_nothing(long_parsed, editor):
    before = row_counts()
    with pytest.raises(EssayImportError, match="canonical_url"):
        save_import(parsed=replace(long_parsed, canonical_url="not a url"), actor=editor)
    assert row_counts() == before


def test_only_users_who_may_add_essays_can_import(long_parsed, reviewer):
    before = row_counts()
    with pytest.raises(PermissionDenied):
        save_import(parsed=long_parsed, actor=reviewer)
    assert row_counts() == before


def _essay_with(quotations: int) -> str:
    paragraphs = [
        f"“Quotation number {n} says something different,” said Speaker{n} Person{n} "
        f"of the New York Times in {2000 + n}." for n in range(quotations)
    ]  # fmt: skip
    return f"Counting {quotations}\n\nIntro paragraph of the essay.\n\nPart\n\n" + "\n\n".join(
        paragraphs
    )


def test_query_count_of_save_import_does_not_grow_with_quotations(shipped_outlets, editor):
    counts = {}
    for n in (3, 60):
        parsed = parse(_essay_with(n), filename="essay.txt", outlets=outlet_registry())
        assert len(parsed.quotations) == n
        with CaptureQueriesContext(connection) as queries:
            save_import(parsed=parsed, actor=editor)
        counts[n] = len(queries)
    assert counts[60] == counts[3], counts
    # About ten of them keep the search index (search.index: the essay's entries, each
    # delete and insert a fixed number of statements).
    assert counts[60] <= 45, counts
