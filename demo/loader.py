"""Load the shipped demo content (demo_content.json) through the same services editors use.

Claims walk the real workflow (assign → propose → approve), so the demo has the
StatusChange history a real desk would have. Loading is idempotent: bibliography rows
are matched by name or URL, and an essay whose slug exists is left as it is.
"""

from __future__ import annotations

import datetime
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from essays.choices import ClaimStatus
from essays.models import Claim, Essay, Quotation, Section
from publishing.models import PublishedRevision
from publishing.services import essay_publish
from review import services
from review.models import QuotationCheck
from review.quotecheck_services import quotation_check_judge, quotations_check
from review.roles import EDITOR, PUBLISHER, REVIEWER, sync_role_groups
from sources.models import Outlet, Person, Source
from sources.services import source_document_attach

DEMO_CONTENT = Path(__file__).with_name("demo_content.json")
DEMO_OVERRIDE_REASON = "Demo: published with claims still in review"
DEMO_USERS = {"editor": EDITOR, "reviewer": REVIEWER, "publisher": PUBLISHER}


@dataclass
class DemoReport:
    passwords: dict[str, str] = field(default_factory=dict)
    existing_users: list[str] = field(default_factory=list)
    essays_created: list[Essay] = field(default_factory=list)
    essays_kept: list[Essay] = field(default_factory=list)
    revisions_published: list[PublishedRevision] = field(default_factory=list)


def _nth(haystack: str, needle: str, occurrence: int, what: str) -> int:
    start = -1
    for _ in range(occurrence):
        start = haystack.find(needle, start + 1)
        if start < 0:
            raise ValueError(
                f"demo content: {what} {needle[:60]!r} not found (occurrence {occurrence})"
            )
    return start


def ensure_demo_users(*, reset_passwords: bool, report: DemoReport) -> dict[str, object]:
    """One staff user per role plus a superuser `admin`, with fresh random passwords when new."""
    user_model = get_user_model()
    users = {}
    for username, role in {**DEMO_USERS, "admin": None}.items():
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={
                "is_staff": True,
                "is_superuser": role is None,
                "email": f"{username}@example.org",
            },
        )
        if created or reset_passwords:
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save()
            report.passwords[username] = password
        else:
            report.existing_users.append(username)
        if role:
            user.groups.add(Group.objects.get(name=role))
        users[role or "admin"] = user
    return users


def _bibliography(content: dict) -> tuple[dict, dict, dict]:
    outlets = {}
    for row in content["outlets"]:
        outlet, _ = Outlet.objects.update_or_create(
            name=row["name"],
            defaults={"kind": row["kind"], "aliases": row["aliases"], "homepage": row["homepage"]},
        )
        outlets[outlet.name] = outlet
    people = {}
    for row in content["people"]:
        person = Person.objects.filter(name=row["name"]).first() or Person(name=row["name"])
        person.aliases, person.affiliation = row["aliases"], row["affiliation"]
        person.save()
        people[person.name] = person
    sources = {}
    for row in content["sources"]:
        source, _ = Source.objects.update_or_create(
            url=row["url"],
            defaults={
                "title": row["title"],
                "outlet": outlets.get(row["outlet"]),
                "archived_url": row["archived_url"],
                "published_on": row["published_on"]
                and datetime.date.fromisoformat(row["published_on"]),
                "kind": row["kind"],
            },
        )
        source.authors.set([people[name] for name in row["authors"]])
        sources[row["key"]] = source
    return outlets, people, sources


def _walk_claim(claim: Claim, row: dict, users: dict) -> None:
    """Bring a new claim to the status the demo row asks for, through the workflow services."""
    target = row["status"]
    reviewer, publisher = users[REVIEWER], users[PUBLISHER]
    if target != ClaimStatus.UNREVIEWED:
        services.claim_assign(claim=claim, assignee=reviewer, actor=users[EDITOR])
    if target in (ClaimStatus.PROPOSED, ClaimStatus.APPROVED):
        services.claim_propose_verdict(
            claim=claim, actor=reviewer, verdict=row["verdict"], summary=row["verdict_summary"]
        )
    if target == ClaimStatus.APPROVED:
        services.claim_approve_verdict(claim=claim, actor=publisher)


def _load_essay(row: dict, *, bibliography: tuple[dict, dict, dict], users: dict) -> Essay:
    outlets, people, sources = bibliography
    essay = Essay.objects.create(
        title=row["title"],
        slug=row["slug"],
        byline=row["byline"],
        dek=row["dek"],
        canonical_url=row["canonical_url"],
        language=row["language"],
        original_published_on=datetime.date.fromisoformat(row["original_published_on"]),
        created_by=users[EDITOR],
    )
    essay.tags.set(row["tags"])
    sections = [
        Section.objects.create(essay=essay, position=i, heading=s["heading"] or "", body=s["body"])
        for i, s in enumerate(row["sections"])
    ]
    first_seen: dict[str, Quotation] = {}
    for q in row["quotations"]:
        section = sections[q["section"]]
        start = _nth(section.body, q["text"], q["occurrence"], "quotation")
        key = q["text"].casefold().rstrip(".,;:!?")
        quotation = Quotation.objects.create(
            section=section,
            start=start,
            end=start + len(q["text"]),
            text=q["text"],
            speaker=people.get(q["speaker"]),
            source=sources.get(q["source"]),
            outlet=outlets.get(q["outlet"]),
            via=outlets.get(q["via"]),
            emphasis_added=q["emphasis_added"],
            repeat_of=first_seen.get(key),
        )
        first_seen.setdefault(key, quotation)
    for c in row["claims"]:
        section = sections[c["section"]]
        start = _nth(section.body, c["exact"], c["occurrence"], "claim")
        end = start + len(c["exact"])
        claim = Claim.objects.create(
            section=section,
            start=start,
            end=end,
            exact=c["exact"],
            prefix=section.body[max(0, start - 32) : start],
            suffix=section.body[end : end + 32],
            statement=c["statement"],
            short_statement=c["short_statement"],
        )
        _walk_claim(claim, c, users)
        author_of = {
            "editor": users[EDITOR],
            "reviewer": users[REVIEWER],
            "publisher": users[PUBLISHER],
        }
        for n in c["notes"]:
            note = services.note_create(claim=claim, author=author_of[n["author"]], body=n["body"])
            if n["resolved"]:
                services.note_resolve(note=note, actor=users[PUBLISHER])
        for e in c["counter_evidence"]:
            # Written by the desk's lead and approved by the publisher: four eyes.
            evidence = services.counter_evidence_create(
                claim=claim,
                actor=users["admin"],
                source=sources[e["source"]],
                summary=e["summary"],
                stance=e["stance"],
            )
            if e["approved"]:
                services.counter_evidence_approve(evidence=evidence, actor=users[PUBLISHER])
    return essay


# Copies of a few sources (written for the demo, like the essays), so its quotations are
# checked against them: one word for word, one altered.
DEMO_DOCUMENTS = Path(__file__).resolve().parent / "documents"


def _attach_documents(sources: dict[str, Source], *, actor) -> None:
    for path in sorted(DEMO_DOCUMENTS.glob("*.txt")):
        source = sources.get(path.stem)
        if source is not None and not source.documents.exists():
            source_document_attach(
                source=source, data=path.read_bytes(), content_type="text/plain",
                filename=path.name, actor=actor,
            )  # fmt: skip


def _check_quotations(essay: Essay, *, reviewer) -> None:
    """Check the essay's quotations against the sources' documents; the demo reviewer
    confirms each alteration found, so readers are shown the source's own words."""
    for check in quotations_check(essay=essay, actor=reviewer):
        if check.status == QuotationCheck.Status.ALTERED:
            quotation_check_judge(check=check, actor=reviewer)


def load_demo(*, path: Path = DEMO_CONTENT, reset_passwords: bool = False) -> DemoReport:
    """Create the demo users, bibliography and essays in one transaction; safe to re-run."""
    content = json.loads(path.read_text(encoding="utf-8"))
    report = DemoReport()
    with transaction.atomic():
        sync_role_groups(apps)
        users = ensure_demo_users(reset_passwords=reset_passwords, report=report)
        bibliography = _bibliography(content)
        _attach_documents(bibliography[2], actor=users[EDITOR])
        for row in content["essays"]:
            existing = Essay.objects.filter(slug=row["slug"]).first()
            if existing:
                report.essays_kept.append(existing)
                continue
            essay = _load_essay(row, bibliography=bibliography, users=users)
            _check_quotations(essay, reviewer=users[REVIEWER])
            report.essays_created.append(essay)
            if row.get("publish"):
                # The demo essay keeps a few claims in review on purpose, so the site shows
                # "under review" markers; publishing it over the gate is recorded like any other.
                report.revisions_published.append(
                    essay_publish(
                        essay=essay, actor=users[PUBLISHER], override_reason=DEMO_OVERRIDE_REASON
                    )
                )
    return report
