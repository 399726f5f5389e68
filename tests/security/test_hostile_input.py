"""Hostile text through every way in (admin forms, importer), out through every public page.

Each property feeds arbitrary Unicode, markup and script payloads, RTL overrides, control
characters and very long strings into the text fields of one admin form (posted as a
superuser, with the form's other fields as the admin rendered them) or into the importer,
publishes, and fetches the public pages. It holds when:

- no request answers 500: the input is saved, or refused with a validation error;
- no page carries active content from the input (`pages.assert_inert`: no inline script,
  no on*= attribute, no javascript: address) and every public page keeps an RTL override
  from the input inside the input's own element (`pages.assert_bidi_contained`);
- feeds stay well-formed XML and the sitemap answers.

What the database can store decides two cases, and the app refuses both with a message:
NUL (PostgreSQL rejects it in text and jsonb) is refused by every form field (Django's
ProhibitNullCharactersValidator, which the alias lists now run per item) and by the
importer ("binary file"); lone surrogates cannot arrive over HTTP (Django decodes form
data as UTF-8 with replacement, so they become U+FFFD) and the importer refuses text
that holds them, so neither database ever sees one.

Budget: 40 examples per property, about 40 s in all per database. A run's total is
printed at the end of the session ("hostile input: N hypothesis examples run").
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from essays.importer import EssayImportError, parse, parse_for_import, save_import
from essays.models import Claim, ClaimCandidate, Essay
from essays.services import claim_candidate_accept
from publishing.models import PublishedRevision
from publishing.services import essay_publish
from review.choices import ClaimStatus, Verdict
from review.models import CounterEvidence
from sources.models import Person
from tests.security import tally
from tests.security.conftest import BODY
from tests.security.pages import (
    assert_bidi_contained,
    assert_inert,
)

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</title><script>alert(2)</script>",
    "</script><script>alert(3)</script>",
    "[click](javascript:alert(1))",
    "[x](JaVaScRiPt&#58;alert(1))",
    "[x]( javascript:alert(1) )",
    "<a href='javascript:alert(1)'>x</a>",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "&lt;script&gt;",
    "<!--",
    "]]>",
    "\u202eevil\u202c",
    "\u202e",
    "\u2066\u2067\u2068",
    "\u2069\u202c",
    "\u200b\u200d\ufeff",
    "\u00a0",
    "\x01\x07\x0b\x1b\x7f",
    "\r\n\r\n",
    "# heading\n\n> quote\n\n- item",
    "“quoted ‘nested’ words”",
    "الطريق مفتوح",
]
CHARS = "<>\"'&/=`:;()[]{}*_#>-\n \u00a0\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e" + (
    "\u2066\u2067\u2068\u2069\x01\x0b\x1f\x7f\u0085\u2028\u2029\ufeffaé中ا"
)

piece = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(alphabet=CHARS, max_size=12),
    # Any Unicode scalar value but NUL (hypothesis leaves out surrogates); NUL has its own
    # test below: every field refuses it, so it would only turn examples into refusals.
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12),
)
hostile = st.lists(piece, min_size=1, max_size=6).map("".join)


def text(max_length: int | None = None) -> st.SearchStrategy[str]:
    return hostile if max_length is None else hostile.map(lambda s: s[:max_length])


def url(max_length: int = 1000) -> st.SearchStrategy[str]:
    """Addresses the URL validator accepts with hostile paths, and now and then a payload."""
    fitting = hostile.map(lambda s: ("https://e.example/" + re.sub(r"\s", "", s))[:max_length])
    return st.tuples(st.integers(0, 7), fitting, st.sampled_from(PAYLOADS)).map(
        lambda t: t[2] if t[0] == 0 else t[1]
    )


LONG = st.sampled_from(PAYLOADS).map(lambda p: (p + "x" * 97) * 60)  # ~6,000 characters


@st.composite
def form_values(draw, fields: dict[str, st.SearchStrategy[str]]) -> dict[str, str]:
    """Hostile values for `fields`; in one example in four, one of them is very
    long (a refusal where the field has a limit, a long text where it has none)."""
    values = {name: draw(strategy) for name, strategy in fields.items()}
    names = list(fields)
    spoiled = draw(st.integers(0, 4 * len(names) - 1))
    if spoiled < len(names):
        values[names[spoiled]] = draw(LONG)
    return values


HOSTILE_SETTINGS = settings(
    max_examples=40,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# --- the world every property edits -----------------------------------------------------


@pytest.fixture
def admin_client(client, world):
    client.force_login(world["publisher"])
    return client


# --- posting an admin form as the admin rendered it -------------------------------------


def form_data(client, url: str) -> dict[str, list[str]]:
    """The values the admin form at `url` would submit unchanged (read once per test: the
    properties change only text fields, and the claim's version is sent explicitly)."""
    cached = getattr(client, "_form_data", {})
    if url not in cached:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        cached[url] = _fields(assert_inert(response.content, where=url))
        client._form_data = cached
    return {name: list(values) for name, values in cached[url].items()}


def _fields(soup) -> dict[str, list[str]]:
    form = soup.find("form", id=re.compile(r"_form$"))
    data: dict[str, list[str]] = {}
    for element in form.find_all(["input", "textarea", "select"]):
        name = element.get("name")
        if not name or element.name == "input" and element.get("type") in {"submit", "file"}:
            continue
        if element.name == "textarea":
            # html5lib drops the newline right after <textarea>, as browsers do.
            data.setdefault(name, []).append(element.text)
        elif element.name == "select":
            options = element.find_all("option")
            data.setdefault(name, []).extend(
                o.get("value", o.text) for o in options if o.has_attr("selected")
            )
        elif element.get("type") in {"checkbox", "radio"}:
            if element.has_attr("checked"):
                data.setdefault(name, []).append(element.get("value", "on"))
        else:
            data.setdefault(name, []).append(element.get("value", ""))
    return data


def post_admin(client, url: str, changes: dict[str, str]):
    """POST the form at `url` with `changes`; a validation error is fine, a 500 is not."""
    data = form_data(client, url)
    data.update({name: [value] for name, value in changes.items()})
    response = client.post(url, data)
    assert response.status_code in (200, 302), (url, response.status_code)
    if response.status_code == 200:
        assert_inert(response.content, where=f"POST {url}")
    return response.status_code == 302  # saved


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


# --- reading the public site ------------------------------------------------------------


def publish_and_read(client, world) -> None:
    """Publish the world's essay and fetch every public page of it: nothing may break."""
    tally.PUBLISHED[_current] += 1
    essay = Essay.objects.get(pk=world["essay"].pk)
    essay_publish(essay=essay, actor=world["publisher"], override_reason="hostile input test")
    cache.clear()  # the on-commit invalidation never fires inside the test's transaction
    revision = PublishedRevision.objects.get(essay=essay, is_live=True)
    client.logout()  # readers are anonymous
    try:
        pages = [
            reverse("public:article", args=[revision.slug]),
            reverse("public:bibliography", args=[revision.slug]),
            reverse("public:home"),
            *(reverse("public:claim", args=[revision.slug, c]) for c in revision.claim_ids),
            *(reverse("public:tag", args=[t.slug]) for t in revision.tags.all() if t.slug),
        ]
        for url in pages:
            response = client.get(url)
            assert response.status_code in (200, 404), (url, response.status_code)
            if response.status_code == 200:
                soup = assert_inert(response.content, where=url)
                assert_bidi_contained(soup, where=url)
        for url in (reverse("public:feed"), reverse("public:feed-rss"), reverse("public:sitemap")):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            ElementTree.fromstring(response.content)  # well-formed XML
    finally:
        client.force_login(world["publisher"])


_current = ""


def count(name: str) -> None:
    global _current
    _current = name
    tally.EXAMPLES[name] += 1


# --- the admin forms --------------------------------------------------------------------


@HOSTILE_SETTINGS
@given(
    values=form_values(
        {
            "title": text(300),
            "byline": text(300),
            "dek": text(),
            "tags": text(),
            "language": st.one_of(st.sampled_from(["en", "ar", "he-IL"]), text(20)),
            "canonical_url": url(),
            "heading": text(300),
            "body": text(),
        }
    )
)
def test_essay_form_with_its_section_inline(admin_client, world, values):
    count("essay + section inline")
    essay = world["essay"]
    changes = {name: values[name] for name in ("title", "byline", "dek", "tags", "language")}
    changes["canonical_url"] = values["canonical_url"]
    changes["sections-0-heading"] = values["heading"]
    changes["sections-0-body"] = BODY + "\n\n" + values["body"]
    if post_admin(admin_client, change_url(essay), changes):
        publish_and_read(admin_client, world)


@HOSTILE_SETTINGS
@given(body=st.one_of(text(), LONG), heading=text(300))
def test_new_essay_and_new_section(admin_client, world, body, heading):
    count("essay add")
    url = reverse("admin:essays_essay_add")
    data = form_data(admin_client, url)
    data.update(
        {
            "title": ["Added " + heading[:200]],
            "slug": [f"added-{tally.EXAMPLES['essay add']}"],
            "language": ["en"],
            "sections-TOTAL_FORMS": ["1"],
            "sections-0-position": ["0"],
            "sections-0-heading": [heading],
            "sections-0-body": [body],
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code in (200, 302)
    assert_inert(response.content, where=url)


@HOSTILE_SETTINGS
@given(values=form_values({"text": text(), "speaker_description": text(300)}))
def test_quotation_form(admin_client, world, values):
    count("quotation")
    if post_admin(admin_client, change_url(world["quotation"]), values):
        publish_and_read(admin_client, world)


@HOSTILE_SETTINGS
@given(
    values=form_values(
        {
            "exact": st.one_of(st.just("40,000 people left the valley"), text()),
            "prefix": text(64),
            "suffix": text(64),
            "statement": text(),
            "short_statement": text(75),
            "verdict_summary": text(),
            "counter_evidence-0-summary": text(),
        }
    )
)
def test_claim_form_with_counter_evidence_inline(admin_client, world, values):
    count("claim + counter-evidence inline")
    claim = Claim.objects.get(pk=world["claim"].pk)
    changes = {**values, "expected_version": str(claim.version)}
    if post_admin(admin_client, change_url(claim), changes):
        # The workflow owns approval; give the edited texts their public state directly.
        CounterEvidence.objects.filter(claim=claim).update(approved=True)
        Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.APPROVED, verdict=Verdict.FALSE)
        publish_and_read(admin_client, world)


@HOSTILE_SETTINGS
@given(
    values=form_values(
        {"title": text(500), "url": url(), "archived_url": url(), "notes": text(), "tags": text()}
    )
)
def test_source_form(admin_client, world, values):
    count("source")
    if post_admin(admin_client, change_url(world["source"]), values):
        publish_and_read(admin_client, world)


@HOSTILE_SETTINGS
@given(
    values=form_values(
        {"name": text(200), "aliases": text(), "country": text(100), "homepage": url(500)}
    )
)
def test_outlet_form(admin_client, world, values):
    count("outlet")
    if post_admin(admin_client, change_url(world["outlet"]), values):
        publish_and_read(admin_client, world)


@HOSTILE_SETTINGS
@given(
    values=form_values(
        {"name": text(200), "aliases": text(), "affiliation": text(300), "description": text()}
    )
)
def test_person_form(admin_client, world, values):
    count("person")
    if post_admin(admin_client, change_url(world["person"]), values):
        publish_and_read(admin_client, world)


def test_nul_is_refused_by_every_text_field_with_a_message(admin_client, world):
    for obj, fields in [
        (world["essay"], ["title", "byline", "dek", "tags"]),
        (world["outlet"], ["name", "aliases", "country"]),
        (world["person"], ["name", "aliases", "affiliation", "description"]),
        (world["source"], ["title", "notes", "tags"]),
        (world["quotation"], ["text", "speaker_description"]),
    ]:
        for name in fields:
            url = change_url(obj)
            data = form_data(admin_client, url)
            data[name] = ["bad\x00value"]
            response = admin_client.post(url, data)
            assert response.status_code == 200, (url, name)
            assert b"Null characters are not allowed." in response.content, (url, name)


def test_lone_surrogates_cannot_arrive_through_a_form(admin_client, world):
    """UTF-8 cannot encode a surrogate; the bytes a client sends for one are replaced."""
    url = change_url(world["person"])
    data = form_data(admin_client, url)
    data["name"] = ["PLACEHOLDER"]
    from urllib.parse import urlencode

    body = urlencode(data, doseq=True).replace("PLACEHOLDER", "A%ED%A0%80B")
    response = admin_client.post(url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert Person.objects.get(pk=world["person"].pk).name == "A\ufffd\ufffd\ufffdB"


# --- the importer -----------------------------------------------------------------------

ESSAY_TEMPLATE = """{title}

by\u00a0{author}

{intro} The council said “{quote}” on 3 May, and 40,000 people left the valley.

{heading}

Robert Worth of the New York Times writes that “{quote2}”. The ministry confirmed \
that 1,200 trucks crossed the border in {word}.

Read also: {cruft}

Published at {url}
"""


@st.composite
def hostile_essays(draw) -> str:
    values = {
        name: draw(hostile).replace("\n", " ").strip() or "x"
        for name in ("title", "author", "intro", "quote", "heading", "quote2", "word", "cruft")
    }
    values["url"] = draw(
        st.sampled_from(
            ["javascript:alert(1)", "https://e.example/x\u202e", "https://ok.example/a"]
        )
    )
    return ESSAY_TEMPLATE.format(**values)


IMPORT_FORMATS = st.sampled_from(["text", "markdown", "html"])


@HOSTILE_SETTINGS
@given(text=hostile_essays(), fmt=IMPORT_FORMATS)
def test_importer_saves_or_refuses_and_the_published_essay_is_inert(client, world, text, fmt):
    count("importer")
    client.force_login(world["publisher"])
    try:
        parsed = parse_for_import(text.encode("utf-8"), filename=None, format=fmt)
        result = save_import(parsed=parsed, actor=world["publisher"])
    except EssayImportError:
        return  # refused with a message: fine
    essay = result.essay
    candidate = ClaimCandidate.objects.filter(
        section__essay=essay, decision=ClaimCandidate.Decision.PENDING
    ).first()
    if candidate is not None:
        claim = claim_candidate_accept(candidate=candidate, actor=world["publisher"])
        Claim.objects.filter(pk=claim.pk).update(
            status=ClaimStatus.APPROVED, verdict=Verdict.MISLEADING, verdict_summary=text[:200]
        )
    publish_and_read(client, {**world, "essay": essay})


@HOSTILE_SETTINGS
@given(text=hostile_essays(), fmt=st.sampled_from(["auto", "text", "markdown", "html"]))
def test_admin_import_preview_and_confirm(admin_client, world, text, fmt):
    count("admin import")
    url = reverse("admin:essays_essay_import")
    response = admin_client.post(url, {"text": text, "format": fmt, "author": text[:30]})
    assert response.status_code in (200, 400), response.status_code
    assert_inert(response.content, where="import preview")
    if response.status_code == 200 and "confirm_form" in response.context:
        payload = response.context["confirm_form"].initial["payload"]
        confirmed = admin_client.post(url, {"payload": payload})
        assert confirmed.status_code in (302, 400), confirmed.status_code
        assert_inert(confirmed.content, where="import confirm")


@pytest.mark.parametrize("bad", ["\x00", "\ud800", "\udfff"])
def test_importer_refuses_what_the_database_cannot_store(world, bad):
    text = ESSAY_TEMPLATE.format(
        title=f"Title {bad}", author="A", intro="I", quote=f"q{bad}q", heading="Two",
        quote2="r", word="May", cruft="c", url="https://ok.example/a",
    )  # fmt: skip
    before = Essay.objects.count()
    with pytest.raises(EssayImportError, match="NUL|surrogate"):
        save_import(parsed=parse(text, format="text"), actor=world["publisher"])
    data = text.encode("utf-8", "surrogatepass")
    if bad == "\x00":
        with pytest.raises(EssayImportError, match="NUL"):
            parse_for_import(data, filename=None, format="text")
    else:  # not UTF-8: refused, or read as cp1252 (mojibake an editor sees), never a surrogate
        try:
            parsed = parse_for_import(data, filename=None, format="text")
        except EssayImportError as error:
            assert "not valid text" in str(error)
        else:
            assert not re.search("[\ud800-\udfff]", parsed.title)
    assert Essay.objects.count() == before
