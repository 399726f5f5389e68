"""Nothing private reaches an anonymous reader: a crawl of the whole public site.

Every kind of private work gets a unique marker (Latin, Arabic and mixed-script ones):
drafts, draft-only claims and sections of a published essay, unapproved
counter-evidence, internal notes and replies, proposed but unapproved verdicts, audit
comments, internal source notes, publish-override reasons, withdrawn essays, and the
names and addresses of the staff. The demo content's own markers are checked too. Then
an anonymous client crawls from every entry point (home, sitemap, feeds, robots.txt),
following every same-site link in HTML, XML and JSON-LD, and asks for the private
addresses it knows (draft, withdrawn, preview, error pages). No marker may appear in any
body or header, raw, HTML-unescaped, URL-unquoted or JSON-unescaped.
"""

from __future__ import annotations

import gzip
import html
import json
import re
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory, TestCase
from django.views import defaults

from demo.loader import load_demo
from essays.models import Claim, Essay, Section
from publishing import selectors
from publishing.services import essay_publish, essay_unpublish
from review import services
from review.choices import ClaimStatus
from tests.factories import (
    make_claim,
    make_counter_evidence,
    make_essay,
    make_note,
    make_outlet,
    make_section,
    make_source,
    make_user,
)
from tests.proxy import HttpClient, ban_everything

pytestmark = pytest.mark.django_db

MARKERS = {
    "draft title": "Kestrel-DRAFT-title-3f9a",
    "draft body": "kestrel-draft-body-77c1",
    "draft dek": "kestrel-draft-dek-51e0",
    "draft claim": "kestrel-draft-claim-0b42",
    "draft section of a published essay": "saltmarsh-unpublished-section-9d3e",
    "draft title change of a published essay": "Saltmarsh-retitled-draft-2ac7",
    "claim added after publishing": "saltmarsh-late-claim-64fd",
    "note": "lapwing-internal-note-5b18",
    "note reply": "lapwing-note-reply-c3a0",
    "note in Arabic": "ملاحظة داخلية سرية لقلق",
    "unapproved counter-evidence": "heron-unapproved-evidence-e812",
    "unapproved counter-evidence in Arabic": "دليل غير معتمد بلشون",
    "counter-evidence approved, then withdrawn": "heron-withdrawn-evidence-7f06",
    "proposed verdict summary": "plover-proposed-summary-4c29",
    "proposed verdict after publish": "plover-reproposed-summary-a7d5",
    "send-back reason": "plover-send-back-reason-1e6b",
    "audit comment": "plover-audit-comment-930c",
    "source notes": "dunlin-internal-source-notes-28fa",
    "source notes in Arabic": "ملاحظات المصدر الداخلية دنلن",
    "override reason": "curlew-override-reason-b611",
    "withdrawn essay title": "Godwit-withdrawn-title-0c57",
    "withdrawn essay body": "godwit-withdrawn-body-d284",
    "editor username": "staff-ed-merlin",
    "editor email": "merlin-ed@staff.invalid",
    "reviewer username": "staff-rev-hobby",
    "reviewer email": "hobby-rev@staff.invalid",
    "publisher username": "staff-pub-osprey",
    "publisher email": "osprey-pub@staff.invalid",
    "RTL-override marker": "\u202eredro-ltr-lanretni",
}
# Private text in essays/demo/demo_content.json (notes, unapproved counter-evidence, the
# draft essay): the demo is what people try first.
DEMO_MARKERS = [
    "teal binder",
    "gravel-voice tape",
    "saffron count",
    "Lantern Row",
    "wicker-gate manifests",
    "quince ridge",
    "juniper tally",
    "marzipan sarcasm",
    "blue-harbour memo",
    "heliotrope memorandum",
    "tangerine audit",
    "cormorant quay",
    "Who Counts the Returned?",
]
ALL_MARKERS = [*MARKERS.values(), *DEMO_MARKERS]
CRAWL_LIMIT = 400
ENTRY_POINTS = ["/", "/sitemap.xml", "/feed/", "/feed/rss/", "/robots.txt"]
SITE_HOSTS = {"testserver", urlsplit(settings.COUNTERPOINT_SITE_URL).hostname}


@pytest.fixture
def private_work(empty_page_cache):
    """A published essay with private work all around it, a draft, a withdrawn essay and
    the demo; returns the addresses an outsider might guess."""
    m = MARKERS
    editor = make_user("Editor", username=m["editor username"], email=m["editor email"])
    reviewer = make_user("Reviewer", username=m["reviewer username"], email=m["reviewer email"])
    second = make_user("Reviewer")
    publisher = make_user("Publisher", username=m["publisher username"], email=m["publisher email"])
    outlet = make_outlet(name="Harbor Ledger")
    source = make_source(
        title="Crossing log",
        outlet=outlet,
        notes=f"{m['source notes']} {m['source notes in Arabic']} {m['RTL-override marker']}",
    )

    essay = make_essay(title="The Saltmarsh Road", slug="saltmarsh-road", created_by=editor)
    essay.tags.add("marshes")
    section = make_section(
        essay,
        body="Officials said 10 trucks crossed. Officials said 20 trucks crossed. "
        "Officials said 30 trucks crossed.",
    )
    approved = make_claim(section, exact="10 trucks crossed")
    services.claim_assign(
        claim=approved, assignee=reviewer, actor=editor, comment=m["audit comment"]
    )
    services.claim_propose_verdict(
        claim=approved, actor=reviewer, verdict="false", summary="Fewer."
    )
    services.claim_approve_verdict(claim=approved, actor=second)
    make_counter_evidence(approved, source=source, summary="The log shows 6.", approved=True)
    make_counter_evidence(approved, source=source, summary=m["unapproved counter-evidence"])
    make_counter_evidence(
        approved, source=source, summary=m["unapproved counter-evidence in Arabic"]
    )
    withdrawn = make_counter_evidence(
        approved, source=source, summary=m["counter-evidence approved, then withdrawn"]
    )
    note = make_note(approved, author=reviewer, body=m["note"], resolved=True)
    make_note(approved, author=second, body=m["note reply"], parent=note, resolved=True)
    make_note(approved, author=second, body=m["note in Arabic"], resolved=True)

    proposed = make_claim(section, exact="20 trucks crossed")
    services.claim_assign(claim=proposed, assignee=reviewer, actor=editor)
    services.claim_propose_verdict(
        claim=proposed, actor=reviewer, verdict="misleading", summary=m["proposed verdict summary"]
    )
    sent_back = make_claim(section, exact="30 trucks crossed")
    services.claim_assign(claim=sent_back, assignee=reviewer, actor=editor)
    services.claim_propose_verdict(claim=sent_back, actor=reviewer, verdict="supported")
    services.claim_send_back(claim=sent_back, actor=second, reason=m["send-back reason"])

    gone = make_essay(title=m["withdrawn essay title"], slug="withdrawn-essay")
    make_section(gone, body=f"{m['withdrawn essay body']} 40,000 people left.")
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.counter_evidence_approve(evidence=withdrawn, actor=publisher)
        services.counter_evidence_approve(evidence=withdrawn, actor=publisher, approved=False)
        essay_publish(essay=essay, actor=publisher, override_reason=m["override reason"])
        essay_publish(essay=gone, actor=publisher, override_reason=m["override reason"])
        essay_unpublish(essay=gone, actor=publisher)
        load_demo()

    # Work on the published essay after publishing: readers keep the published revision.
    Essay.objects.filter(pk=essay.pk).update(title=m["draft title change of a published essay"])
    Section.objects.create(
        essay=essay, position=5, heading="Later", body=f"{m['draft section of a published essay']}."
    )
    late = make_claim(section, exact="Officials said 30")
    Claim.objects.filter(pk=late.pk).update(statement=m["claim added after publishing"])
    services.claim_reopen(claim=approved, actor=publisher, reason="New figures.")
    services.claim_propose_verdict(
        claim=approved,
        actor=reviewer,
        verdict="supported",
        summary=m["proposed verdict after publish"],
    )

    draft = make_essay(
        title=m["draft title"], slug="kestrel-draft", dek=m["draft dek"], created_by=editor
    )
    draft.tags.add("marshes", "kestrel-only")
    draft_section = make_section(draft, body=f"{m['draft body']} and 40,000 people left.")
    draft_claim = make_claim(draft_section, status=ClaimStatus.APPROVED, verdict="false")
    Claim.objects.filter(pk=draft_claim.pk).update(statement=m["draft claim"])

    demo_draft = Essay.objects.get(slug="who-counts-the-returned")
    private_ids = list(
        Claim.objects.filter(section__essay__in=[draft, demo_draft, gone]).values_list(
            "pk", flat=True
        )
    ) + [late.pk, proposed.pk]
    guesses = [
        f"/essays/{slug}/{tail}"
        for slug in (draft.slug, demo_draft.slug, gone.slug)
        for tail in ("", "sources/")
    ]
    guesses += [
        f"/essays/{slug}/claims/{pk}/" for slug in (essay.slug, gone.slug) for pk in private_ids
    ]
    guesses += [f"/preview/essays/{slug}/" for slug in (draft.slug, demo_draft.slug, essay.slug)]
    guesses += ["/tags/kestrel-only/", "/no-such-page/", "/essays/no-such-essay/", "/admin/"]
    # Search and the read API, asked for every private marker and every private address.
    # A query is the marker less its last word, so the echoed query is not itself a
    # "leak" while any result holding the private text would show the whole marker.
    for marker in ALL_MARKERS:
        words = re.findall(r"\w+", marker)
        query = quote(" ".join(words[:-1]) if len(words) > 1 else words[0][:-2])
        guesses += [f"/search/?q={query}", f"/api/search/?q={query}"]
    guesses += [
        "/search/?q=trucks+crossed",
        "/search/?q=40%2C000+people+left",
        "/api/search/?q=trucks+crossed",
        "/api/essays/",
        "/api/essays/?tag=kestrel-only",
    ]
    guesses += [f"/api/claims/{pk}/" for pk in [*private_ids, approved.pk]]
    guesses += [f"/api/essays/{slug}/" for slug in (essay.slug, draft.slug, demo_draft.slug,
                                                     gone.slug)]  # fmt: skip
    return {"slug": essay.slug, "guesses": guesses}


# -- the crawl ---------------------------------------------------------------------------

_LINK = re.compile(r"""(?:href|src|action)\s*=\s*["']([^"'#]+)""", re.I)
_XML_TEXT_URL = re.compile(r"<(?:loc|link|id|guid)>\s*([^<\s]+)\s*</", re.I)
_ROBOTS_URL = re.compile(r"^(?:Sitemap|Allow|Disallow):\s*(\S+)", re.M | re.I)
_JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@dataclass
class Crawl:
    pages: dict[str, tuple[int, str]] = field(default_factory=dict)  # url → (status, text)
    json_ld_blocks: int = 0

    def statuses(self, prefix: str) -> list[int]:
        return [status for url, (status, _) in self.pages.items() if url.startswith(prefix)]


def _same_site_path(base: str, link: str) -> str | None:
    url = urlsplit(urljoin(f"http://testserver{base}", html.unescape(link)))
    if url.scheme not in ("http", "https") or url.hostname not in SITE_HOSTS:
        return None
    return url.path + (f"?{url.query}" if url.query else "")


def _links(path: str, text: str, crawl: Crawl) -> set[str]:
    found = set(_LINK.findall(text)) | set(_XML_TEXT_URL.findall(text))
    found |= set(_ROBOTS_URL.findall(text))
    for block in _JSON_LD.findall(text):
        crawl.json_ld_blocks += 1
        found |= set(re.findall(r'"(https?://[^"]+)"', json.dumps(json.loads(block))))
    return {p for link in found if (p := _same_site_path(path, link))}


def _response_text(response) -> str:
    body = b"".join(response) if response.streaming else response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    headers = "\n".join(f"{name}: {value}" for name, value in response.items())
    return headers + "\n\n" + body.decode("utf-8", errors="replace")


def crawl_as_anonymous(client: Client, start: list[str]) -> Crawl:
    """Breadth-first over same-site links from `start`, at most CRAWL_LIMIT addresses;
    redirects are followed as links, so their Location headers are read too."""
    crawl, queue = Crawl(), list(start)
    while queue and len(crawl.pages) < CRAWL_LIMIT:
        path = queue.pop(0)
        if path in crawl.pages:
            continue
        response = client.get(path, headers={"accept-encoding": "gzip"})
        text = _response_text(response)
        crawl.pages[path] = (response.status_code, text)
        if response.status_code in (301, 302):
            queue.append(_same_site_path(path, response["Location"]) or path)
        if path.startswith("/admin/"):
            continue  # the login page is reached, not crawled: staff pages are not public
        queue.extend(sorted(_links(path, text, crawl) - crawl.pages.keys()))
    return crawl


def readings(text: str) -> list[str]:
    """The text as a reader, a browser or a JSON parser could read it."""
    unescaped_json = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return [text, html.unescape(text), unquote(text), unescaped_json]


def leaks(pages: dict[str, tuple[int, str]]) -> list[tuple[str, str]]:
    return [
        (url, marker)
        for url, (_, text) in pages.items()
        for reading in readings(text)
        for marker in ALL_MARKERS
        if marker in reading
    ]


def test_no_private_work_reaches_an_anonymous_reader_anywhere_on_the_site(client, private_work):
    crawl = crawl_and_check(client, private_work)
    print(
        f"\nleak crawl: {len(crawl.pages)} URLs × {len(ALL_MARKERS)} markers "
        f"({crawl.json_ld_blocks} JSON-LD blocks)"
    )


@pytest.mark.django_db(transaction=True)
def test_no_private_work_reaches_readers_through_the_proxy_after_staff_used_it(
    client, private_work, proxy_url, settings
):
    """Varnish in front of the app: staff first read every page through it (previews,
    drafts, the admin, the public pages, signed in), then anonymous readers crawl the site
    twice, the second time from what the proxy kept. Nothing private may come back."""
    settings.COUNTERPOINT_FRONT_CACHES = [proxy_url]
    ban_everything(urlsplit(proxy_url).port)
    client.force_login(make_user(superuser=True))
    staff = HttpClient(proxy_url, cookie=f"{settings.SESSION_COOKIE_NAME}="
                       f"{client.cookies[settings.SESSION_COOKIE_NAME].value}")  # fmt: skip
    for path in private_work["guesses"] + ENTRY_POINTS + [f"/essays/{private_work['slug']}/"]:
        assert staff.get(path).status_code < 500, path
    assert set(staff.seen_cache) == {"MISS"}  # nothing a signed-in user asked was kept

    reader = HttpClient(proxy_url)
    crawl_and_check(reader, private_work)
    again = crawl_and_check(reader, private_work)  # now served from the proxy's cache
    assert reader.seen_cache.count("HIT") >= len(again.pages) // 2


def crawl_and_check(client, private_work) -> Crawl:
    """Crawl the site as an anonymous reader through `client` and assert the crawl reached
    what readers see and that no private marker appears anywhere."""
    # No public page links the bibliography pages, so the crawl is told where they are.
    bibliographies = [f"/essays/{r.slug}/sources/" for r in selectors.live_revisions()]
    crawl = crawl_as_anonymous(client, ENTRY_POINTS + bibliographies + private_work["guesses"])
    slug = private_work["slug"]

    # The crawl reached what readers see: it cannot pass by crawling nothing.
    assert crawl.statuses(f"/essays/{slug}/") and set(crawl.statuses(f"/essays/{slug}/")) >= {200}
    claim_pages = [
        url for url, (status, _) in crawl.pages.items() if "/claims/" in url and status == 200
    ]
    assert len(claim_pages) >= 10  # the demo essay's and ours
    for entry in ENTRY_POINTS + [f"/essays/{slug}/sources/", "/tags/marshes/",
                                 "/search/?q=trucks+crossed", f"/api/essays/{slug}/"]:  # fmt: skip
        assert crawl.pages[entry][0] == 200, entry
    # Search and the API found the published work, so their silence on the rest counts.
    assert f"/essays/{slug}/claims/" in crawl.pages["/search/?q=trucks+crossed"][1]
    assert '"verdict": "false"' in crawl.pages[f"/api/essays/{slug}/"][1]
    assert crawl.json_ld_blocks >= 5  # articles and claim permalinks carry ClaimReview data
    assert 404 in crawl.statuses("/essays/") and 410 in crawl.statuses("/essays/withdrawn-essay/")
    assert len(crawl.pages) < CRAWL_LIMIT, "the crawl was cut short; raise CRAWL_LIMIT"

    found = leaks(crawl.pages)
    assert found == [], sorted(set(found))
    return crawl


def test_error_pages_are_plain_and_leak_nothing(
    client, private_work, monkeypatch, django_db_blocker
):
    secret = MARKERS["note"]
    pages = {}
    response = client.get("/no-such-page/")
    pages["404"] = (response.status_code, _response_text(response))
    response = client.get("/", headers={"host": "attacker.invalid"})
    pages["400"] = (response.status_code, _response_text(response))
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/admin/login/", {"username": "x", "password": "y"})
    pages["403 csrf"] = (response.status_code, _response_text(response))
    request = RequestFactory().get("/private/")
    response = defaults.permission_denied(request, PermissionDenied(secret))
    pages["403"] = (response.status_code, _response_text(response))

    def broken(*args, **kwargs):
        raise RuntimeError(f"{secret} {settings.SECRET_KEY}")

    monkeypatch.setattr(selectors, "live_revisions", broken)
    failing = Client(raise_request_exception=False)
    response = failing.get("/")
    pages["500"] = (response.status_code, _response_text(response))
    with django_db_blocker.block():  # the 500 page must not need the database that failed
        response = defaults.server_error(RequestFactory().get("/"))
    pages["500 without a database"] = (response.status_code, _response_text(response))

    assert {name: status for name, (status, _) in pages.items()} == {
        "404": 404,
        "400": 400,
        "403 csrf": 403,
        "403": 403,
        "500": 500,
        "500 without a database": 500,
    }
    assert leaks(pages) == []
    for name, (_, text) in pages.items():
        for tell in ("Traceback", settings.SECRET_KEY, "RuntimeError", "django.", "DEBUG"):
            assert tell not in text, (name, tell)
