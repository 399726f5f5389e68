"""Builders for test data: each returns a saved row with sensible defaults you can override."""

import itertools

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from essays.models import Claim, ClaimCandidate, Essay, Quotation, Section
from review.choices import ClaimStatus
from review.models import CounterEvidence, ReviewerNote, StatusChange
from review.roles import sync_role_groups
from sources.models import Outlet, Person, Source

_seq = itertools.count(1)


def make_user(role: str | None = None, *, superuser: bool = False, **fields):
    n = next(_seq)
    fields.setdefault("username", f"{(role or 'user').lower()}{n}")
    fields.setdefault("email", f"{fields['username']}@example.org")
    user_model = get_user_model()
    if superuser:
        return user_model.objects.create_superuser(password="pw", **fields)
    fields.setdefault("is_staff", True)
    user = user_model.objects.create_user(password="pw", **fields)
    if role:
        if not Group.objects.filter(name=role).exists():
            # A transactional test before this one flushed the groups the migration made.
            sync_role_groups(apps)
        user.groups.add(Group.objects.get(name=role))
    return user


def make_outlet(**fields) -> Outlet:
    fields.setdefault("name", f"Outlet {next(_seq)}")
    return Outlet.objects.create(**fields)


def make_person(**fields) -> Person:
    fields.setdefault("name", f"Person {next(_seq)}")
    return Person.objects.create(**fields)


def make_source(**fields) -> Source:
    n = next(_seq)
    fields.setdefault("title", f"Report {n}")
    fields.setdefault("url", f"https://example.org/report-{n}")
    if "outlet" not in fields:
        fields["outlet"] = make_outlet()
    return Source.objects.create(**fields)


def make_essay(**fields) -> Essay:
    n = next(_seq)
    fields.setdefault("title", f"Essay {n}")
    fields.setdefault("slug", f"essay-{n}")
    return Essay.objects.create(**fields)


def make_section(essay: Essay | None = None, **fields) -> Section:
    essay = essay or make_essay()
    fields.setdefault("position", essay.sections.count())
    fields.setdefault(
        "body", "The council said “the road is open” on 3 May, and 40,000 people left."
    )
    return Section.objects.create(essay=essay, **fields)


def _span(section: Section, text: str) -> dict:
    start = section.body.index(text)
    return {"start": start, "end": start + len(text)}


def make_quotation(
    section: Section | None = None, text: str = "the road is open", **fields
) -> Quotation:
    section = section or make_section()
    return Quotation.objects.create(section=section, text=text, **_span(section, text), **fields)


def make_claim(
    section: Section | None = None, exact: str = "40,000 people left", **fields
) -> Claim:
    section = section or make_section()
    span = _span(section, exact)
    fields.setdefault("statement", exact)
    return Claim.objects.create(
        section=section,
        exact=exact,
        prefix=section.body[max(0, span["start"] - 32) : span["start"]],
        suffix=section.body[span["end"] : span["end"] + 32],
        **span,
        **fields,
    )


def make_claim_candidate(
    section: Section | None = None, text: str = "40,000 people left", **fields
) -> ClaimCandidate:
    section = section or make_section()
    fields.setdefault("score", 0.7)
    return ClaimCandidate.objects.create(
        section=section, text=text, **_span(section, text), **fields
    )


def make_note(claim: Claim | None = None, **fields) -> ReviewerNote:
    fields.setdefault("author", make_user("Reviewer"))
    fields.setdefault("body", "Check the council's own release.")
    return ReviewerNote.objects.create(claim=claim or make_claim(), **fields)


def make_counter_evidence(claim: Claim | None = None, **fields) -> CounterEvidence:
    fields.setdefault("source", make_source())
    fields.setdefault("summary", "The monitor counted 26,000 departures, not 40,000.")
    return CounterEvidence.objects.create(claim=claim or make_claim(), **fields)


def make_status_change(claim: Claim | None = None, **fields) -> StatusChange:
    fields.setdefault("from_status", ClaimStatus.UNREVIEWED)
    fields.setdefault("to_status", ClaimStatus.IN_REVIEW)
    return StatusChange.objects.create(claim=claim or make_claim(), **fields)
