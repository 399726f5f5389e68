"""Builders for test data: each returns a saved row with sensible defaults you can override."""

import itertools

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from essays.models import Claim, ClaimCandidate, Essay, Quotation, Section
from review.choices import ClaimStatus
from review.models import CounterEvidence, IndependentVerdict, ReviewerNote, StatusChange
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


def make_quotation_check(quotation: Quotation, **fields):
    from django.utils import timezone

    from review.models import QuotationCheck

    fields.setdefault("status", QuotationCheck.Status.NOT_FOUND)
    fields.setdefault("quoted_text", quotation.text)
    return QuotationCheck.objects.create(quotation=quotation, checked_at=timezone.now(), **fields)


def make_status_change(claim: Claim | None = None, **fields) -> StatusChange:
    fields.setdefault("from_status", ClaimStatus.UNREVIEWED)
    fields.setdefault("to_status", ClaimStatus.IN_REVIEW)
    return StatusChange.objects.create(claim=claim or make_claim(), **fields)


# -- a whole newsroom --------------------------------------------------------------------

NEWSROOM_BODY = (
    "Officials said 10 trucks crossed on Monday. Officials said 20 trucks crossed on Tuesday. "
    "Officials said 30 trucks crossed on Wednesday. Officials said 40 trucks crossed on "
    "Thursday. Officials said 50 trucks crossed on Friday. Officials said 60 trucks crossed "
    "on Saturday. Officials said 70 trucks crossed on Sunday. Officials said 80 trucks "
    "crossed at night."
)


def _claim_in(section: Section, exact: str, **fields) -> Claim:
    if fields.get("status") in (ClaimStatus.PROPOSED, ClaimStatus.APPROVED):
        fields.setdefault("verdict", "false")
    return make_claim(section, exact=exact, **fields)


def make_newsroom():
    """One of every kind of row the permission tests need, in every workflow state.

    Users: `editor`, `reviewer`, a second reviewer `reviewer2`, `publisher`, `superuser`.
    Essays: `live` (published, one approved claim with approved counter-evidence, tag
    "ceasefires"), `gone` (published then unpublished), `moved` (published, then
    republished under a new slug; `moved_from` is its old slug) and `draft` (never
    published, tag "drafts-only"), whose claims are: `c_unreviewed`; `c_mine` and
    `c_theirs` in review with `reviewer` and `reviewer2`; `c_proposed_by_me`,
    `c_proposed_by_them` and `c_proposed_by_publisher`; `c_approved_mine` and
    `c_approved_theirs`. Plus a note and unapproved counter-evidence on `c_mine`
    (`ce_mine`) and `c_theirs` (`note`, `ce_theirs`), a pending `candidate`, an audit
    row, a publish override, the outlet/person/source and one row of each django-axes log.
    """
    from types import SimpleNamespace

    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.test import TestCase

    from publishing.services import essay_publish, essay_unpublish
    from review.models import PublishOverride

    n = SimpleNamespace()
    n.editor, n.reviewer = make_user("Editor"), make_user("Reviewer")
    n.reviewer2, n.publisher = make_user("Reviewer"), make_user("Publisher")
    n.superuser = make_user(superuser=True)
    n.outlet = make_outlet(name="Harbor Ledger")
    n.outlet_twin = make_outlet(name="The Harbor Ledger")  # a duplicate, to merge
    n.person = make_person(name="Amal Farouk")
    n.source = make_source(title="Crossing log", outlet=n.outlet)

    def publishable(title: str, slug: str) -> Essay:
        essay = make_essay(title=title, slug=slug)
        section = make_section(essay, body=NEWSROOM_BODY)
        claim = _claim_in(section, "10 trucks crossed", status=ClaimStatus.APPROVED)
        make_counter_evidence(claim, source=n.source, approved=True,
                              summary="The ferry log shows 8 crossings.")  # fmt: skip
        return essay

    with TestCase.captureOnCommitCallbacks(execute=True):
        n.live = publishable("The Bridge Road", "bridge-road")
        n.live.tags.add("ceasefires")
        essay_publish(essay=n.live, actor=n.publisher)
        n.live_claim = Claim.objects.get(section__essay=n.live)
        n.gone = publishable("A Withdrawn Essay", "withdrawn")
        essay_publish(essay=n.gone, actor=n.publisher)
        essay_unpublish(essay=n.gone, actor=n.publisher)
        n.moved = publishable("A Renamed Essay", "old-name")
        essay_publish(essay=n.moved, actor=n.publisher)
        n.moved_from = n.moved.slug
        Essay.objects.filter(pk=n.moved.pk).update(slug="new-name")
        n.moved.refresh_from_db()
        essay_publish(essay=n.moved, actor=n.publisher)

    n.draft = make_essay(title="Drafted Essay", slug="drafted")
    n.draft.tags.add("drafts-only")
    section = n.section = make_section(n.draft, body=NEWSROOM_BODY)
    n.quotation = make_quotation(section, text="trucks crossed at night", speaker=n.person)
    n.quote_check = make_quotation_check(n.quotation)
    S = ClaimStatus
    n.c_unreviewed = _claim_in(section, "10 trucks crossed")
    n.c_mine = _claim_in(section, "20 trucks crossed", status=S.IN_REVIEW, assigned_to=n.reviewer)
    n.c_theirs = _claim_in(
        section, "30 trucks crossed", status=S.IN_REVIEW, assigned_to=n.reviewer2
    )
    n.c_proposed_by_me = _claim_in(
        section,
        "40 trucks crossed",
        status=S.PROPOSED,
        assigned_to=n.reviewer,
        verdict_proposed_by=n.reviewer,
    )
    n.c_proposed_by_them = _claim_in(
        section,
        "50 trucks crossed",
        status=S.PROPOSED,
        assigned_to=n.reviewer2,
        verdict_proposed_by=n.reviewer2,
    )
    n.c_proposed_by_publisher = _claim_in(
        section,
        "60 trucks crossed",
        status=S.PROPOSED,
        assigned_to=n.publisher,
        verdict_proposed_by=n.publisher,
    )
    n.c_approved_mine = _claim_in(
        section, "70 trucks crossed", status=S.APPROVED, assigned_to=n.reviewer
    )
    n.c_approved_theirs = _claim_in(
        section, "80 trucks crossed", status=S.APPROVED, assigned_to=n.reviewer2
    )
    # A double-review essay whose claim got two differing independent verdicts.
    n.double = make_essay(title="Double-reviewed Essay", slug="double-reviewed", double_review=True)
    n.c_disputed = _claim_in(
        make_section(n.double, body="The ministry said 90 trucks crossed on Monday."),
        "90 trucks crossed",
        status=S.PROPOSED,
        assigned_to=n.reviewer2,
        verdict_proposed_by=n.reviewer2,
    )
    n.v_disputed_first = IndependentVerdict.objects.create(
        claim=n.c_disputed, reviewer=n.reviewer2, verdict="false", summary="Only 40 crossed."
    )
    IndependentVerdict.objects.create(
        claim=n.c_disputed, reviewer=make_user("Reviewer"), verdict="supported", summary="90."
    )
    n.note = make_note(n.c_theirs, author=n.reviewer2)
    # Written by the publisher: four eyes, so they may never approve it themselves.
    n.ce_mine = make_counter_evidence(
        n.c_mine, source=n.source, created_by=n.publisher, text_edited_by=n.publisher
    )
    make_counter_evidence(n.c_mine, source=n.source, summary="A second log disagrees.")
    n.ce_theirs = make_counter_evidence(n.c_theirs, source=n.source)
    make_counter_evidence(n.c_theirs, source=n.source, summary="A second log disagrees.")
    n.candidate = make_claim_candidate(section, text="Officials said 10 trucks crossed")
    n.status_change = make_status_change(n.c_mine, actor=n.editor)
    n.override = PublishOverride.objects.create(
        essay=n.draft, actor=n.publisher, reason="Deadline", blockers=[]
    )
    n.access_attempt = AccessAttempt.objects.create(
        username="intruder", ip_address="203.0.113.9", user_agent="x", failures_since_start=1
    )
    n.access_log = AccessLog.objects.create(
        username="intruder", ip_address="203.0.113.9", user_agent="x"
    )
    n.access_failure = AccessFailureLog.objects.create(
        username="intruder", ip_address="203.0.113.9", user_agent="x"
    )
    return n


def claim_admin_form(claim: Claim, **overrides) -> dict:
    """POST data for the claim's admin change form as it loads, with no inline rows;
    `overrides` replace or add fields (inline rows included)."""
    data = {
        "section": claim.section_id,
        "exact": claim.exact,
        "start": claim.start,
        "end": claim.end,
        "prefix": claim.prefix,
        "suffix": claim.suffix,
        "statement": claim.statement,
        "short_statement": claim.short_statement,
        "check_worthiness": "" if claim.check_worthiness is None else claim.check_worthiness,
        "verdict_summary": claim.verdict_summary,
        "expected_version": claim.version,
    }
    for inline in ("notes", "counter_evidence"):
        data |= {
            f"{inline}-TOTAL_FORMS": "0",
            f"{inline}-INITIAL_FORMS": "0",
            f"{inline}-MIN_NUM_FORMS": "0",
            f"{inline}-MAX_NUM_FORMS": "1000",
        }
    return data | overrides


def admin_form_as_loaded(context, *, include_disabled: bool = False, edit_text=None) -> dict:
    """The POST body an admin page's form holds as it loads (its inlines included), from
    the page's template context. `include_disabled`: a disabled field's value too (a
    history page shows its form disabled); `edit_text(name, value)` changes each text
    field's value on its way into the body."""
    from django.forms import MultiWidget

    forms, data = [], {}
    if "adminform" in context:
        forms.append(context["adminform"].form)
    elif "form" in context and hasattr(context["form"], "fields"):
        forms.append(context["form"])
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        forms.extend(formset.forms)
        data.update(
            {f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()}
        )
    for bound_form in forms:
        for bound in bound_form:
            if bound.field.disabled and not include_disabled:
                continue
            value = bound.value()
            if isinstance(bound.field.widget, MultiWidget):
                for i, part in enumerate(bound.field.widget.decompress(value)):
                    data[f"{bound.html_name}_{i}"] = "" if part is None else str(part)
            elif isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [v for v in value if v is not None]
            else:
                value = "" if value is None else value
                text_field = bound.field.__class__.__name__ in ("CharField", "SlugField")
                if edit_text and isinstance(value, str) and text_field:
                    value = edit_text(bound.name, value)
                data[bound.html_name] = value
    return data
