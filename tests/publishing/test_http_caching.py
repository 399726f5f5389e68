"""HTTP caching of public pages: validators, 304s, Cache-Control, and purges after publish."""

import gzip
import http.server
import re
import threading

import pytest
from django.test import override_settings
from django.urls import reverse

from publishing import frontcache
from tests.factories import make_claim, make_essay, make_section
from tests.publishing.builders import approve, reviewed_essay

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(publisher, publish):
    essay = reviewed_essay(canonical_url="")
    publish(essay=essay, actor=publisher, override_reason="Go.")
    return essay


def pages(essay) -> list[str]:
    claim_id = essay.revisions.get(is_live=True).claim_ids[0]
    return [
        reverse("public:article", kwargs={"slug": essay.slug}),
        reverse("public:claim", kwargs={"slug": essay.slug, "claim_id": claim_id}),
        reverse("public:bibliography", kwargs={"slug": essay.slug}),
        reverse("public:home"),
        reverse("public:tag", kwargs={"slug": "valley"}),
        reverse("public:feed"),
        reverse("public:sitemap"),
    ]


def test_every_public_page_has_validators_and_lets_shared_caches_keep_it(client, live):
    for path in pages(live):
        response = client.get(path)
        assert response.status_code == 200, path
        assert re.fullmatch(r'"[0-9a-f]+-[0-9a-f]+-[0-9a-f]{16}"', response["ETag"]), path
        assert response["Last-Modified"].endswith(" GMT")
        control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"public", "max-age=0", "must-revalidate", "s-maxage=600",
                "stale-while-revalidate=30"} <= control, path  # fmt: skip
        again = client.get(path, headers={"if-none-match": response["ETag"]})
        assert again.status_code == 304 and again.content == b"", path
        assert again["ETag"] == response["ETag"]
        since = client.get(path, headers={"if-modified-since": response["Last-Modified"]})
        assert since.status_code == 304, path


def test_the_article_is_sent_as_stored_in_either_encoding(client, live):
    revision = live.revisions.get(is_live=True)
    path = reverse("public:article", kwargs={"slug": live.slug})
    zipped = client.get(path, headers={"accept-encoding": "gzip, br"})
    plain = client.get(path, headers={"accept-encoding": "gzip;q=0, identity"})
    assert zipped["Content-Encoding"] == "gzip" and zipped.content == bytes(revision.page_gzip)
    assert "Content-Encoding" not in plain and plain.content == bytes(revision.page_identity)
    assert gzip.decompress(zipped.content) == plain.content
    assert zipped["ETag"] != plain["ETag"]  # one validator per encoding
    assert "Accept-Encoding" in zipped["Vary"]


def test_a_publish_changes_every_validator_at_once(client, live, publisher, publish):
    before = {path: client.get(path)["ETag"] for path in pages(live)}
    publish(essay=live, actor=publisher, override_reason="Again.")
    for path, etag in before.items():
        response = client.get(path, headers={"if-none-match": etag})
        assert response.status_code == 200 and response["ETag"] != etag, path


def test_withdrawn_pages_are_cacheable_but_misses_and_drafts_are_not(client, live, publisher):
    from publishing.services import essay_unpublish

    essay_unpublish(essay=live, actor=publisher)
    gone = client.get(reverse("public:article", kwargs={"slug": live.slug}))
    assert gone.status_code == 410 and "s-maxage" in gone["Cache-Control"] and gone["ETag"]
    missing = client.get(reverse("public:article", kwargs={"slug": "never-was"}))
    assert missing.status_code == 404 and "s-maxage" not in missing.get("Cache-Control", "")
    assert "ETag" not in missing
    draft = make_essay()
    make_section(draft)
    client.force_login(publisher)
    preview = client.get(reverse("public:preview", kwargs={"slug": draft.slug}))
    assert preview["Cache-Control"] == "private, no-store"


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list = []

    def do_BAN(self):  # noqa: N802 - the HTTP method's name
        self.seen.append((self.command, self.path, self.headers["X-Ban-Url"]))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def front_cache():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.seen
    server.shutdown()


def test_a_publish_bans_the_essays_pages_and_the_lists_from_front_caches(
    front_cache, publisher, publish
):
    address, seen = front_cache
    essay = make_essay(title="الطريق", slug="الطريق")
    approve(make_claim(make_section(essay)))
    with override_settings(COUNTERPOINT_FRONT_CACHES=[address]):
        publish(essay=essay, actor=publisher)
    [(method, path, pattern)] = seen
    assert (method, path) == ("BAN", "/")
    ban = re.compile(pattern)
    encoded = "/essays/%D8%A7%D9%84%D8%B7%D8%B1%D9%8A%D9%82/"
    for url in (encoded, encoded + "claims/7/", encoded + "sources/", "/", "/tags/valley/",
                "/feed/", "/feed/rss/", "/sitemap.xml"):  # fmt: skip
        assert ban.match(url), url
    for url in ("/essays/another/", "/how-we-rate-claims/", "/admin/"):
        assert not ban.match(url), url


def test_a_front_cache_that_does_not_answer_is_logged_and_the_publish_stands(
    publisher, publish, caplog
):
    essay = make_essay()
    approve(make_claim(make_section(essay)))
    with override_settings(COUNTERPOINT_FRONT_CACHES=["http://127.0.0.1:9"]):
        revision = publish(essay=essay, actor=publisher)
    assert revision.is_live
    assert "did not take the purge" in caplog.text


def test_the_ban_pattern_is_anchored_and_escaped():
    pattern = frontcache.ban_pattern(["/", "/essays/a.b/"])
    assert re.compile(pattern).match("/essays/a.b/claims/1/")
    assert not re.compile(pattern).match("/essays/axb/")
    assert not re.compile(pattern).match("/anything-else")
