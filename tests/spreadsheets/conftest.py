"""A small fact-checking desk's worth of rows with the awkward values real sheets carry."""

from datetime import UTC, datetime

import pytest

from review.choices import ClaimStatus, Verdict
from tests.factories import (
    make_claim,
    make_counter_evidence,
    make_essay,
    make_outlet,
    make_person,
    make_quotation,
    make_section,
    make_source,
)

# An unnamed speaker as an Arabic essay describes them: Arabic script, a no-break space
# and curly quotes ("a spokesman for “the Front”").
SPOKESMAN = "متحدث\u00a0باسم “الجبهة”"
# A claim whose words a re-import of its essay could not find (anchor_lost): its offsets
# point at the closest match, which is other words.
LOST_WORDS = "the checkpoint at Ras Hilal reopened"
APPROVED_AT = datetime(2024, 9, 20, 23, 30, tzinfo=UTC)

# Text a spreadsheet program would run as a formula, one per trigger character.
FORMULAS = [
    '=HYPERLINK("http://evil.example/","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\tleading tab",
    "\rleading carriage return",
]


@pytest.fixture
def desk(db):
    """Two essays' worth of bibliography, quotations, claims and counter-evidence."""
    ledger = make_outlet(
        name="The Harbor Ledger",
        aliases=["Harbor Ledger", "the Ledger"],
        kind="newspaper",
        homepage="https://harborledger.example.com",
        country="Qadirra",
    )
    nahar = make_outlet(name="Qanat al-Nahar", aliases=["Al Nahar", "قناة النهار"])
    comma = make_outlet(name="Reuters, Ltd", aliases=['The "Wire"'], kind="wire")
    amal = make_person(name="Amal al-Haddad", aliases=["Amal Haddad"], affiliation="Interior")
    twin_a = make_person(name="Omar Qassab", affiliation="Mayor")
    twin_b = make_person(name="Omar Qassab", affiliation="Poet")
    report = make_source(
        title=FORMULAS[0],
        outlet=ledger,
        url="https://harborledger.example.com/2023/ras-hilal",
        archived_url="https://archive.example.org/web/1/harborledger",
        published_on="2023-03-13",
        kind="article",
        notes="Internal: “checked” twice,\nsee the binder.",
    )
    report.authors.add(amal, twin_b)
    report.tags.add("Qadirra", "civil war", "ceasefires, 2023")
    book = make_source(title="A History of the Coast", outlet=comma, url="", kind="book")
    broadcast = make_source(title=FORMULAS[1], outlet=nahar, published_on="2023-04-19")

    essay = make_essay(slug="the-quiet", title="The Quiet", byline="by\u00a0Mariam\u00a0Sadeq")
    intro = make_section(essay, heading="")
    idlib = make_section(
        essay,
        heading="Idlib",
        body="Halvorsen said “we are forty people with notebooks” and 412 violations were "
        "logged; later, “we are forty people with notebooks” again. "
        + FORMULAS[2]
        + " is the tally.",
    )
    make_quotation(intro, source=report, speaker=amal, emphasis_added=True)
    make_quotation(
        idlib,
        text="we are forty people with notebooks",
        source=broadcast,
        speaker_description=SPOKESMAN,
    )
    second = idlib.body.rindex("we are forty people with notebooks")
    from essays.models import Claim, Quotation

    Quotation.objects.create(
        section=idlib,
        text="we are forty people with notebooks",
        start=second,
        end=second + len("we are forty people with notebooks"),
        speaker=twin_a,
        via=ledger,
        is_scare_quote=True,
    )
    claim = make_claim(intro, short_statement="40,000 fled", check_worthiness=0.75)
    approved = make_claim(
        idlib,
        exact="412 violations were logged",
        status=ClaimStatus.APPROVED,
        verdict=Verdict.SUPPORTED,
        verdict_summary=FORMULAS[3],
        reviewed_at=APPROVED_AT,
    )
    make_claim(idlib, exact=FORMULAS[2], statement=FORMULAS[4], status=ClaimStatus.IN_REVIEW)
    closest = idlib.body.index("is the tally")
    Claim.objects.create(
        section=idlib,
        exact=LOST_WORDS,
        start=closest,
        end=closest + len("is the tally"),
        prefix="Officials said on Tuesday that ",
        suffix=" after the talks.",
        anchor_lost=True,
    )
    make_counter_evidence(claim, source=report, summary=FORMULAS[5])
    make_counter_evidence(approved, source=book, stance="context", position=1, approved=True)
    make_counter_evidence(approved, source=broadcast, stance="complicates", position=2)

    other = make_essay(slug="حلب-essay", title="حلب")
    make_claim(make_section(other), exact="the road is open")
    return essay


@pytest.fixture(autouse=True)
def _bare_outlet_table(request):
    """These tests count outlet rows from an empty bibliography: take away the shipped
    outlets the data migration loads (the test's transaction puts them back after)."""
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        from sources.models import Outlet

        Outlet.objects.all().delete()
