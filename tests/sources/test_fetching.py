"""The document fetcher's SSRF rules and limits, against a local server and address literals.

Without the test-only allowlist every non-public address class is refused before any
connection; with 127.0.0.1 allowlisted, the limits are tested against a real server.
"""

from __future__ import annotations

import ipaddress
import json
import shutil
import ssl
import subprocess
import time

import pytest

from sources.fetching import (
    FetchError,
    FetchLimits,
    ForbiddenAddress,
    fetch_document,
    is_public_address,
    vet_addresses,
)
from tests.sources.local_server import PAGE, running

LOCAL = ["127.0.0.1"]


@pytest.fixture
def server():
    with running() as server:
        yield server


def never_resolve(host, port):
    raise AssertionError(f"{host} should have been refused before resolving")


# --- every forbidden address class, no allowlist ------------------------------------------------

FORBIDDEN_URLS = [
    "http://127.0.0.1/",  # loopback
    "http://127.8.9.10:8080/admin",  # the rest of 127/8
    "http://[::1]/",  # IPv6 loopback
    "http://10.0.0.5/",  # private
    "http://172.16.3.4/",
    "http://192.168.1.1/router",
    "http://169.254.169.254/latest/meta-data/",  # link-local: cloud metadata
    "http://169.254.10.20/",
    "http://100.64.0.1/",  # CGNAT
    "http://100.100.100.200/",  # CGNAT, another cloud's metadata
    "http://224.0.0.1/",  # multicast
    "http://[ff02::1]/",
    "http://0.0.0.0/",  # unspecified
    "http://[::]/",
    "http://240.0.0.1/",  # reserved
    "http://255.255.255.255/",  # broadcast
    "http://192.0.2.10/",  # documentation
    "http://[fc00::1]/",  # IPv6 unique-local
    "http://[fd00:ec2::254]/",  # the IPv6 metadata address
    "http://[fe80::1]/",  # IPv6 link-local
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped forms
    "http://[::ffff:169.254.169.254]/",
    "http://[::ffff:a00:1]/",
    "http://[64:ff9b::a00:1]/",  # NAT64 of 10.0.0.1
    "http://[2002:a00:1::1]/",  # 6to4 of 10.0.0.1
]


@pytest.mark.parametrize("url", FORBIDDEN_URLS)
def test_every_non_public_address_class_is_refused(url):
    with pytest.raises(ForbiddenAddress, match="not a public internet address"):
        fetch_document(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/",  # a name that resolves to loopback
        "http://2130706433/",  # 127.0.0.1 as one decimal number
        "http://0x7f000001/",  # … in hex
        "http://127.1/",  # … shortened
        "http://017700000001/",  # … in octal
    ],
)
def test_names_and_odd_spellings_that_resolve_to_loopback_are_refused(url):
    with pytest.raises(ForbiddenAddress):
        fetch_document(url)


def test_a_host_is_refused_when_any_one_of_its_addresses_is_not_public():
    def resolve(host, port):
        return ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "10.1.2.3"]

    with pytest.raises(ForbiddenAddress, match="10.1.2.3"):
        fetch_document("https://mixed.example/report", resolve=resolve)


def test_public_addresses_pass_the_vetting():
    for text in ["93.184.215.14", "8.8.8.8", "2001:4860:4860::8888", "2a00:1450:4001::200e"]:
        assert is_public_address(ipaddress.ip_address(text)), text
    assert [str(a) for a in vet_addresses(["8.8.8.8", "1.1.1.1"])] == ["8.8.8.8", "1.1.1.1"]


def test_the_allowlist_admits_exactly_the_listed_address():
    assert [str(a) for a in vet_addresses(["127.0.0.1"], allowed=LOCAL)] == ["127.0.0.1"]
    with pytest.raises(ForbiddenAddress):
        vet_addresses(["127.0.0.2"], allowed=LOCAL)
    with pytest.raises(ForbiddenAddress):
        vet_addresses(["::1"], allowed=LOCAL)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://files.example.org/report.pdf",
        "gopher://example.org:70/1",
        "javascript:alert(1)",
        "//example.org/no-scheme",
    ],
)
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(FetchError, match="only http and https"):
        fetch_document(url, resolve=never_resolve)


@pytest.mark.parametrize(
    "url",
    [
        "http://editor:secret@example.org/report",
        "https://token@example.org/report",
        "http://:password@example.org/",
    ],
)
def test_urls_with_credentials_are_refused(url):
    with pytest.raises(FetchError, match="user name or password"):
        fetch_document(url, resolve=never_resolve)


# --- redirects --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/iam/",
        "http://10.0.0.1/internal",
        "http://[::1]/",
        "http://127.0.0.2/admin/",  # loopback, but not the allowlisted address
        "http://[::ffff:7f00:1]/",
    ],
)
def test_a_redirect_to_a_forbidden_address_is_refused(server, target):
    url = server.url(f"/redirect?to={target}")
    with pytest.raises(ForbiddenAddress):
        fetch_document(url, allowed_addresses=LOCAL)
    assert len(server.requests) == 1  # nothing was sent to the redirect's target


@pytest.mark.parametrize(
    "target", ["file:///etc/passwd", "http://user:pw@127.0.0.1/page", "ftp://example.org/x"]
)
def test_a_redirect_to_another_scheme_or_with_credentials_is_refused(server, target):
    with pytest.raises(FetchError):
        fetch_document(server.url(f"/redirect?to={target}"), allowed_addresses=LOCAL)


def test_redirects_are_followed_up_to_the_limit_and_no_further(server):
    fetched = fetch_document(server.url("/chain?n=5"), allowed_addresses=LOCAL)
    assert fetched.data == PAGE
    assert fetched.url == server.url("/page")
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch_document(server.url("/chain?n=6"), allowed_addresses=LOCAL)


@pytest.mark.parametrize("status", [301, 303, 307, 308])
def test_every_redirect_status_is_vetted(server, status):
    url = server.url(f"/redirect?status={status}&to=http://192.168.0.1/")
    with pytest.raises(ForbiddenAddress):
        fetch_document(url, allowed_addresses=LOCAL)


def test_each_hop_is_resolved_and_vetted_again(server):
    """A host that answers safely first and then rebinds to a private address is refused on
    the hop that would reach it; the first hop went to the vetted address only."""
    answers = iter([["127.0.0.1"], ["10.9.9.9"]])
    hostname = "rebind.test"
    url = server.url(f"/redirect?to=http://{hostname}:{server.port}/page", host=hostname)
    with pytest.raises(ForbiddenAddress, match="10.9.9.9"):
        fetch_document(url, allowed_addresses=LOCAL, resolve=lambda h, p: next(answers))


# --- the connection goes to the vetted address, under the host's name -----------------------


def test_the_vetted_address_is_pinned_and_the_host_name_sent(server):
    calls = []

    def resolve(host, port):
        calls.append(host)
        # A rebinding resolver: a second lookup would have pointed elsewhere.
        return ["127.0.0.1"] if len(calls) == 1 else ["10.0.0.1"]

    fetched = fetch_document(
        server.url("/echo", host="docs.harbour.test"), allowed_addresses=LOCAL, resolve=resolve
    )
    headers = json.loads(fetched.data)
    assert calls == ["docs.harbour.test"]
    assert headers["Host"] == f"docs.harbour.test:{server.port}"


def test_no_cookies_credentials_or_referrer_are_sent(server):
    headers = json.loads(fetch_document(server.url("/echo"), allowed_addresses=LOCAL).data)
    sent = {name.lower() for name in headers}
    assert not sent & {"cookie", "authorization", "proxy-authorization", "referer"}
    assert headers["Accept-Encoding"] == "identity"
    assert "Counterpoint" in headers["User-Agent"]


def test_a_document_is_fetched_with_its_type_and_name(server):
    with running(pdf=b"%PDF-1.4 pretend") as pdf_server:
        fetched = fetch_document(pdf_server.url("/report-pdf"), allowed_addresses=LOCAL)
    assert fetched.content_type == "application/pdf"
    assert fetched.filename == "report.pdf"
    page = fetch_document(server.url("/page"), allowed_addresses=LOCAL)
    assert page.content_type == "text/html; charset=utf-8"
    assert page.data == PAGE
    assert page.filename == "page"


# --- types, sizes and times -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/image", "image/png is not a document"),
        ("/untyped", "no content type"),
        ("/gzip", "compressed responses"),
        ("/missing", "answered 404"),
    ],
)
def test_wrong_content_types_encodings_and_statuses_are_refused(server, path, message):
    with pytest.raises(FetchError, match=message):
        fetch_document(server.url(path), allowed_addresses=LOCAL)


def test_a_100_mb_response_without_a_length_is_cut_off_at_the_limit(server):
    started = time.monotonic()
    with pytest.raises(FetchError, match="20,971,520-byte limit; cut off"):
        fetch_document(server.url("/huge"), allowed_addresses=LOCAL)
    assert time.monotonic() - started < 20
    time.sleep(0.2)
    assert server.sent < 100 * 1024 * 1024  # the server was stopped, not read to the end


def test_a_declared_100_mb_response_is_refused_before_reading(server):
    with pytest.raises(FetchError, match="104,857,600 bytes is over the 20,971,520-byte limit"):
        fetch_document(server.url("/declared-huge"), allowed_addresses=LOCAL)


def test_a_smaller_size_limit_applies_too(server):
    with pytest.raises(FetchError, match="100-byte limit"):
        fetch_document(
            server.url("/page"), allowed_addresses=LOCAL, limits=FetchLimits(max_bytes=100)
        )


def test_a_slow_drip_body_is_cut_off_by_the_total_deadline(server):
    limits = FetchLimits(read_timeout=5, total_timeout=0.6)
    started = time.monotonic()
    with pytest.raises(FetchError, match="gave up after 0.6 s in all"):
        fetch_document(server.url("/drip"), allowed_addresses=LOCAL, limits=limits)
    assert time.monotonic() - started < 2
    assert 3 <= server.sent < 40  # bytes kept coming, each in time for the read timeout


def test_slow_drip_headers_are_cut_off_by_the_total_deadline(server):
    limits = FetchLimits(read_timeout=5, total_timeout=0.6)
    started = time.monotonic()
    with pytest.raises(FetchError, match="gave up after 0.6 s in all"):
        fetch_document(server.url("/drip-headers"), allowed_addresses=LOCAL, limits=limits)
    assert time.monotonic() - started < 2


def test_a_stalled_response_is_cut_off_by_the_read_timeout(server):
    limits = FetchLimits(read_timeout=0.3, total_timeout=10)
    started = time.monotonic()
    with pytest.raises(FetchError, match="no answer for 0.3 s"):
        fetch_document(server.url("/stall"), allowed_addresses=LOCAL, limits=limits)
    assert time.monotonic() - started < 2


# --- TLS: certificate and SNI checked against the host name, not the pinned address ----------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=docs.harbour.test", "-addext", "subjectAltName=DNS:docs.harbour.test",
         "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return folder / "cert.pem", folder / "key.pem"


@pytest.fixture
def tls_server(certificate):
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with running(tls=context) as server:
        yield server


def _client_context(certificate) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certificate[0]))


def test_https_goes_to_the_pinned_address_with_the_host_name_for_sni_and_the_certificate(
    tls_server, certificate
):
    fetched = fetch_document(
        tls_server.url("/echo", host="docs.harbour.test", scheme="https"),
        allowed_addresses=LOCAL,
        resolve=lambda host, port: ["127.0.0.1"],
        tls_context=_client_context(certificate),
    )
    assert json.loads(fetched.data)["Host"] == f"docs.harbour.test:{tls_server.port}"


def test_https_refuses_a_certificate_for_another_name(tls_server, certificate):
    with pytest.raises(FetchError, match="TLS failed"):
        fetch_document(
            tls_server.url("/page", host="other.harbour.test", scheme="https"),
            allowed_addresses=LOCAL,
            resolve=lambda host, port: ["127.0.0.1"],
            tls_context=_client_context(certificate),
        )


def test_a_slow_drip_over_https_is_cut_off_too(tls_server, certificate):
    started = time.monotonic()
    with pytest.raises(FetchError, match="gave up after 0.6 s in all"):
        fetch_document(
            tls_server.url("/drip", host="docs.harbour.test", scheme="https"),
            allowed_addresses=LOCAL,
            resolve=lambda host, port: ["127.0.0.1"],
            tls_context=_client_context(certificate),
            limits=FetchLimits(read_timeout=5, total_timeout=0.6),
        )
    assert time.monotonic() - started < 2
