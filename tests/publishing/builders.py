"""Essays in known states for the public-page tests (setup shortcuts, not behaviour)."""

from __future__ import annotations

from django.utils import timezone

from common.markup import render_markdown
from essays.models import Claim, Essay, Section
from review.choices import ClaimStatus, Verdict
from review.models import CounterEvidence
from tests.factories import (
    make_claim,
    make_essay,
    make_note,
    make_outlet,
    make_person,
    make_quotation,
    make_source,
)

NOTE_SECRET = "INTERNAL-NOTE-do-not-publish-7f3a"
DRAFT_SECRET = "DRAFT-ONLY-counter-evidence-91c2"
PROPOSED_SECRET = "PROPOSED-verdict-summary-55d0"

BODY = (
    "Residents said “the **road** is open” on 3 May, and 40,000 people left the valley.\n\n"
    "The council later insisted that no shelling took place after the accord.\n\n"
    "A monitor wrote that “الطريق مفتوح” was painted on the checkpoint."
)


def approve(claim: Claim, verdict: str = Verdict.FALSE, summary: str = "") -> Claim:
    """Give `claim` an approved verdict directly (the workflow itself is tested elsewhere)."""
    Claim.objects.filter(pk=claim.pk).update(
        status=ClaimStatus.APPROVED,
        verdict=verdict,
        verdict_summary=summary,
        reviewed_at=timezone.now(),
    )
    claim.refresh_from_db()
    return claim


def evidence(claim: Claim, *, approved: bool, summary: str, **fields) -> CounterEvidence:
    fields.setdefault("source", make_source(title=f"Source for {summary[:20]}"))
    return CounterEvidence.objects.create(claim=claim, summary=summary, approved=approved, **fields)


def reviewed_essay(**fields) -> Essay:
    """An essay with three claims: one false with approved and unapproved counter-evidence
    and an internal note, one supported with no counter-evidence, one with only a
    proposed verdict; plus two quotations (one in Arabic) with sources."""
    essay = make_essay(
        title=fields.pop("title", "The Valley Road"),
        byline="by\u00a0Lina\u00a0Haddad",
        dek="What the council said, and what the monitors counted.",
        canonical_url=fields.pop("canonical_url", "https://origin.example.com/valley-road"),
        **fields,
    )
    essay.tags.add("Ceasefires", "Valley")
    section = Section.objects.create(essay=essay, position=0, heading="", body=BODY)
    outlet = make_outlet(name="Harbor Ledger")
    speaker = make_person(name="Amal Farouk")
    make_quotation(
        section,
        text="the **road** is open",
        speaker=speaker,
        source=make_source(title="Valley residents speak", outlet=outlet),
    )
    make_quotation(section, text="الطريق مفتوح", source=make_source(title="Checkpoint photos"))

    false_claim = approve(
        make_claim(section, exact="40,000 people left the valley",
                   short_statement="40,000 people left the valley"),
        Verdict.FALSE,
        "The monitor counted **26,000** departures.",
    )  # fmt: skip
    evidence(false_claim, approved=True, summary="The monitor counted 26,000 departures.")
    evidence(false_claim, approved=False, summary=DRAFT_SECRET)
    make_note(false_claim, body=NOTE_SECRET)
    supported = approve(
        make_claim(section, exact="no shelling took place after the accord"),
        Verdict.SUPPORTED,
        "Observer logs show no shelling.",
    )
    proposed = make_claim(section, exact="was painted on the checkpoint")
    Claim.objects.filter(pk=proposed.pk).update(
        status=ClaimStatus.PROPOSED, verdict=Verdict.MISLEADING, verdict_summary=PROPOSED_SECRET
    )
    essay.claims = {"false": false_claim, "supported": supported, "proposed": proposed}
    return essay


def big_essay(n_claims: int, *, evidence_per_claim: int = 2) -> Essay:
    """An essay with `n_claims` approved claims spread over sections, each with approved
    counter-evidence, every text distinct, built with bulk inserts (storing the HTML that
    save() would) so 1,000 claims take well under a second."""
    essay = make_essay(title=f"Essay with {n_claims} claims")
    sentence = "Officials said {n} trucks crossed the bridge that week."
    per_section = 50
    sections = []
    for position in range((n_claims + per_section - 1) // per_section):
        count = min(per_section, n_claims - position * per_section)
        body = "\n\n".join(sentence.format(n=1000 + i) for i in range(count))
        sections.append(
            Section.objects.create(
                essay=essay, position=position, heading=f"Part {position + 1}", body=body
            )
        )
    source = make_source(title="Bridge crossing log")
    claims = []
    for section in sections:
        offset = 0
        for paragraph in section.body.split("\n\n"):
            exact = paragraph[len("Officials said ") :]
            start = offset + len("Officials said ")
            claims.append(
                Claim(
                    section=section,
                    start=start,
                    end=start + len(exact),
                    exact=exact,
                    statement=exact,
                    status=ClaimStatus.APPROVED,
                    verdict=Verdict.MISLEADING,
                    verdict_summary=f"The log shows *fewer* than {exact[:4]} trucks.",
                )
            )
            offset += len(paragraph) + 2
    for claim in claims:  # bulk_create skips save(), which stores the HTML
        claim.verdict_summary_html = render_markdown(claim.verdict_summary)
    claims = Claim.objects.bulk_create(claims)
    items = [
        CounterEvidence(
            claim=claim,
            source=source,
            summary=f"Log entry {i} for {claim.exact[:4]} shows **fewer**.",
            approved=True,
        )
        for claim in claims
        for i in range(evidence_per_claim)
    ]
    for item in items:
        item.summary_html = render_markdown(item.summary)
    CounterEvidence.objects.bulk_create(items)
    return essay
