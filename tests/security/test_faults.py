"""Database failures in the middle of an import or a publish leave nothing half done.

Each case runs the service with a fault injected at one step: a connection
`execute_wrapper` that raises OperationalError on the Nth SQL statement matching the
step's table and verb (as a dropped connection or a killed statement would), or a patched
step function. Afterwards every row the service could touch (essays, sections,
quotations, claims, candidates, revisions, tags, outlets, people, history, audit rows)
must be exactly as before, and readers must still get the previous live revision.
Finally the same call must succeed: the failure left nothing behind that blocks a retry.

The last test starts gunicorn with the production settings against a database that is not
there and checks what readers and editors get: a plain error page, nothing more.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import DatabaseError, OperationalError, connection
from django.test import TestCase
from taggit.models import Tag, TaggedItem

from essays.importer import parse, save_import
from essays.models import Claim, ClaimCandidate, Essay, Quotation, Section
from essays.services import claim_candidate_accept
from publishing import services
from publishing.models import PublishedRevision
from review.models import CounterEvidence, PublishOverride, StatusChange
from sources.models import Outlet, Person, Source
from tests.factories import make_user
from tests.publishing.builders import reviewed_essay
from tests.security import tally

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "essays" / "long_siege.txt"
MODELS = [
    Essay, Section, Quotation, Claim, ClaimCandidate, PublishedRevision, PublishOverride,
    StatusChange, CounterEvidence, Outlet, Person, Source, Tag, TaggedItem,
    Essay.history.model, Section.history.model, Quotation.history.model, Claim.history.model,
]  # fmt: skip


def state() -> dict[str, list[tuple]]:
    """Every row of every table an import or a publish writes, comparable with ==."""

    def plain(value):
        return bytes(value) if isinstance(value, memoryview) else value

    return {
        model._meta.db_table: sorted(
            (tuple(plain(v) for v in row) for row in model.objects.values_list()),
            key=repr,
        )
        for model in MODELS
    }


class FailOn:
    """A connection execute_wrapper: OperationalError on the `nth` statement matching
    `pattern` (case-insensitive regex over the SQL), everything else runs."""

    def __init__(self, pattern: str, nth: int = 1) -> None:
        self.pattern, self.nth, self.seen, self.fired = re.compile(pattern, re.I), nth, 0, False

    def __call__(self, execute, sql, params, many, context):
        if self.pattern.search(sql):
            self.seen += 1
            if self.seen == self.nth:
                self.fired = True
                raise OperationalError(f"injected fault on: {sql[:80]}")
        return execute(sql, params, many, context)


def table(name: str, verb: str = "INSERT") -> str:
    """A regex for `verb` statements on table `name` (SQLite writes m2m adds as INSERT OR
    IGNORE INTO, PostgreSQL as INSERT INTO … ON CONFLICT)."""
    verb = {"INSERT": r"INSERT\s+(?:OR\s+IGNORE\s+)?INTO", "UPDATE": "UPDATE"}.get(verb, verb)
    return rf'^\s*{verb}\s+"?{name}"?(?:\s|$)'


def siege_text(*, edited: bool = False) -> str:
    text = FIXTURE.read_text()
    if edited:  # a re-import: every long paragraph gains a word, so every offset moves
        text = "\n\n".join(
            f"Indeed, {block}" if len(block) > 200 else block for block in text.split("\n\n")
        )
    return text


@pytest.fixture
def actor(db):
    return make_user(superuser=True)


# --- import -----------------------------------------------------------------------------

NEW_IMPORT_FAULTS = {
    # step: how the fault is injected
    "after the essay row (outlets and people)": ("patch", "essays.importer.save._outlets"),
    "after the sections (first quotation)": ("sql", table("essays_quotation"), 1),
    "mid-quotations (history of the first batch)": ("sql", table("essays_historicalquotation"), 1),
    "mid-quotations (repeated quotations)": ("sql", table("essays_quotation"), 2),
    "mid-candidates": ("sql", table("essays_claimcandidate"), 1),
}


class inject:
    """Context manager for one fault; `.hook.fired` says whether an SQL fault went off."""

    def __init__(self, fault) -> None:
        if fault[0] == "patch":
            self.hook = None
            self.manager = mock.patch(fault[1], side_effect=OperationalError("injected fault"))
        else:
            self.hook = FailOn(fault[1], fault[2])
            self.manager = connection.execute_wrapper(self.hook)

    def __enter__(self):
        self.manager.__enter__()
        return self

    def __exit__(self, *exc):
        return self.manager.__exit__(*exc)

    @property
    def fired(self) -> bool:
        return self.hook is None or self.hook.fired


@pytest.mark.parametrize("step", NEW_IMPORT_FAULTS)
def test_a_failed_new_import_leaves_no_row_behind(actor, step):
    tally.FAULTS.append(f"import: {step}")
    parsed = parse(siege_text(), format="text")
    before = state()
    with pytest.raises(DatabaseError), inject(NEW_IMPORT_FAULTS[step]) as hook:
        save_import(parsed=parsed, actor=actor)
    assert hook.fired
    assert state() == before
    result = save_import(parsed=parsed, actor=actor)  # the retry goes through
    assert result.created and result.quotations == 103


REIMPORT_FAULTS = {
    "moving old sections aside": ("sql", table("essays_section", "UPDATE"), 1),
    "writing the new sections": ("sql", table("essays_historicalsection"), 1),
    "re-anchoring claims (rows updated, history not yet)": (
        "sql",
        table("essays_historicalclaim"),
        1,
    ),
    "re-anchoring claims (the update itself)": ("sql", table("essays_claim", "UPDATE"), 1),
    "updating the quotations it keeps": ("sql", table("essays_quotation", "UPDATE"), 1),
    "recording their history": ("sql", table("essays_historicalquotation"), 1),
    "writing the new candidates": ("sql", table("essays_claimcandidate"), 1),
}


@pytest.mark.parametrize("step", REIMPORT_FAULTS)
def test_a_failed_reimport_keeps_the_essay_its_claims_and_their_anchors(actor, step):
    tally.FAULTS.append(f"re-import: {step}")
    first = save_import(parsed=parse(siege_text(), format="text"), actor=actor)
    candidates = ClaimCandidate.objects.filter(section__essay=first.essay).order_by("-score")[:3]
    claims = [claim_candidate_accept(candidate=c, actor=actor) for c in candidates]
    edited = parse(siege_text(edited=True), format="text")
    before = state()
    with pytest.raises(DatabaseError), inject(REIMPORT_FAULTS[step]) as hook:
        save_import(parsed=edited, actor=actor)
    assert hook.fired
    assert state() == before
    result = save_import(parsed=edited, actor=actor)
    assert not result.created and result.claims_reanchored == len(claims)
    for claim in Claim.objects.filter(pk__in=[c.pk for c in claims]):
        assert claim.section.body[claim.start : claim.end] == claim.exact


# --- publish ----------------------------------------------------------------------------


@pytest.fixture
def published(actor):
    """An essay published once (revision 1 live, its page cached) and then edited."""
    essay = reviewed_essay()
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.essay_publish(essay=essay, actor=actor, override_reason="first")
    Essay.objects.filter(pk=essay.pk).update(title="The Valley Road, EDITED AFTER PUBLICATION")
    essay.refresh_from_db()
    return essay


def article(client, essay) -> str:
    response = client.get(f"/essays/{essay.slug}/")
    assert response.status_code == 200
    return response.content.decode()


PUBLISH_FAULTS = {
    "after the snapshot (reading the previous revision)": (
        "sql",
        r'^\s*SELECT .* FROM "?publishing_publishedrevision"?',
        1,
    ),
    "while rendering": ("patch", "publishing.services.rendering.render_article"),
    "recording the override": ("sql", table("review_publishoverride"), 1),
    "switching the live revision off": ("sql", table("publishing_publishedrevision", "UPDATE"), 1),
    "writing the new revision (old one already off)": (
        "sql",
        table("publishing_publishedrevision"),
        1,
    ),
    "tagging the new revision": ("sql", table("publishing_publishedrevision_tags"), 1),
}


@pytest.mark.parametrize("step", PUBLISH_FAULTS)
def test_a_failed_publish_leaves_the_previous_revision_live_and_served(
    client, actor, published, step
):
    tally.FAULTS.append(f"publish: {step}")
    assert "The Valley Road" in article(client, published)  # revision 1, now cached
    before = state()
    fault = PUBLISH_FAULTS[step]
    with pytest.raises(DatabaseError), inject(fault) as hook:
        with TestCase.captureOnCommitCallbacks(execute=True):
            services.essay_publish(essay=published, actor=actor, override_reason="again")
    assert hook.fired
    assert state() == before
    live = PublishedRevision.objects.get(essay=published, is_live=True)
    assert live.number == 1
    assert "EDITED" not in article(client, published)  # from the cache
    cache.clear()
    page = article(client, published)  # and rebuilt from the database
    assert "The Valley Road" in page and "EDITED" not in page
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.essay_publish(essay=published, actor=actor, override_reason="again")
    assert "EDITED AFTER PUBLICATION" in article(client, published)


def test_a_first_publish_that_fails_on_the_status_change_publishes_nothing(client, actor):
    tally.FAULTS.append("publish: marking a first-time essay published")
    essay = reviewed_essay()
    before = state()
    with pytest.raises(DatabaseError), inject(("sql", table("essays_essay", "UPDATE"), 1)):
        services.essay_publish(essay=essay, actor=actor, override_reason="first")
    assert state() == before
    assert client.get(f"/essays/{essay.slug}/").status_code == 404


def test_a_purge_failing_after_commit_keeps_the_publish_whole_and_logs(
    client, actor, published, caplog
):
    """The revision is committed by then: the publish stands, complete, and says so in the
    log; the publisher gets the revision, not a 500."""
    tally.FAULTS.append("publish: front cache purge after commit")
    article(client, published)
    gone = mock.Mock(side_effect=ConnectionError("cache gone"), __qualname__="purge")
    with (
        mock.patch("publishing.frontcache.purge", gone),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        revision = services.essay_publish(essay=published, actor=actor, override_reason="go")
    assert revision.number == 2 and revision.is_live
    assert PublishedRevision.objects.filter(essay=published, is_live=True).get().number == 2
    assert "cache gone" in caplog.text
    cache.clear()
    assert "EDITED AFTER PUBLICATION" in article(client, published)


def test_readers_are_served_from_the_database_while_the_page_cache_is_down(client, published):
    tally.FAULTS.append("read: page cache unreachable")
    broken = mock.Mock(spec=["get", "set", "add"])
    broken.get.side_effect = broken.set.side_effect = ConnectionError("cache gone")
    with mock.patch("publishing.caching.caches", {"default": broken}):
        assert "The Valley Road" in article(client, published)
        bibliography = client.get(f"/essays/{published.slug}/sources/")
        assert bibliography.status_code == 200 and broken.get.called


# --- the database is unreachable --------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
SECRET = "unreachable-db-test-secret-Zq8W3nRt"
PATHS = [
    "/",
    "/essays/any-essay/",
    "/essays/any-essay/claims/1/",
    "/essays/any-essay/sources/",
    "/feed/",
    "/sitemap.xml",
    "/admin/",
    "/admin/login/",
    "/admin/essays/essay/",
]
LEAKS = [
    "Traceback", "OperationalError", "psycopg", "Error", "SELECT", "connection", "DATABASE",
    "settings", "SECRET", SECRET, "postgres", "File \"",
]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server_without_database(tmp_path):
    """gunicorn with the production settings and DATABASE_URL at a port nobody listens on."""
    dead, port = _free_port(), _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=SECRET,
        DATABASE_URL=f"postgres://counterpoint:hunter2@127.0.0.1:{dead}/counterpoint",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
    )
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2).read()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise AssertionError((tmp_path / "gunicorn.log").read_text()) from None
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}", tmp_path / "gunicorn.log"
    process.terminate()
    process.wait(timeout=10)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # report the 302 itself


def test_an_unreachable_database_gives_clean_error_pages(server_without_database):
    """No stack trace, no SQL, no settings, no secret, no database address reaches a reader;
    the log (for operators) does say what went wrong."""
    base, log = server_without_database
    tally.FAULTS.append("server: database unreachable")
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(_NoRedirects, urllib.request.HTTPCookieProcessor(jar))
    statuses = {}

    def fetch(path: str, data: bytes | None = None) -> str:
        request = urllib.request.Request(base + path, data=data)
        if data is not None:
            # As the TLS-terminating proxy would send it; the CSRF cookie is Secure, so the
            # cookie jar keeps it off plain HTTP and it is passed by hand.
            cookie = next(c for c in jar if c.name == "csrftoken")
            request.add_header("X-Forwarded-Proto", "https")
            request.add_header("Referer", base.replace("http:", "https:") + path)
            request.add_header("Cookie", f"csrftoken={cookie.value}")
        try:
            response = opener.open(request, timeout=10)
            status, body, headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, body, headers = error.code, error.read(), error.headers
        statuses[path if data is None else f"POST {path}"] = status
        text = body.decode("utf-8", "replace")
        everything = text + "\n" + "\n".join(f"{k}: {v}" for k, v in headers.items())
        assert status in (200, 302, 500, 503), (path, status)
        for leak in LEAKS:
            assert leak not in everything, (path, leak, everything[:500])
        if status >= 500:
            assert "Something went wrong" in text, (path, text[:300])
        return text

    for path in PATHS:
        fetch(path)
    # An editor signing in: the login form renders without the database, the POST needs it.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', fetch("/admin/login/"))
    form = {"username": "editor", "password": "pw", "csrfmiddlewaretoken": token.group(1)}
    fetch("/admin/login/", urllib.parse.urlencode(form).encode())
    needs_database = ["/", "/essays/any-essay/", "/feed/", "/sitemap.xml", "POST /admin/login/"]
    assert all(statuses[path] in (500, 503) for path in needs_database), sorted(statuses.items())
    assert "OperationalError" in log.read_text()  # operators get the cause in the log
