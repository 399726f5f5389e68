"""Fetch a source document from its URL without letting the request be turned inwards.

The URL comes from an editor, and the request leaves from our servers: a server-side
request forgery (SSRF) surface. The rules, each enforced here and tested in
tests/sources/test_fetching.py:

- http and https only; no user name or password in the URL.
- The host is resolved here, once, and *every* address it resolves to must be public
  (not loopback, private, link-local (so not 169.254.169.254), CGNAT, multicast,
  reserved, unspecified, IPv6 unique-local or link-local, nor an IPv4-mapped, NAT64 or
  6to4 form of one of those). The connection then goes to the vetted address itself,
  so a second DNS answer (DNS rebinding) cannot swap it; the Host header, TLS SNI and
  certificate check still use the host name.
- Redirects are followed by hand, at most ``max_redirects``, each one vetted as above.
- Limits: connect timeout, a timeout on every read, a total deadline for the whole
  fetch (so a server that drips one byte at a time is cut off), and a size limit,
  checked against Content-Length and again while reading.
- Only the document types in ``sources.documents.CONTENT_TYPES`` are accepted, and
  only without Content-Encoding (we ask for identity, so no decompression bomb).
- No cookies, no Authorization, no Referer: nothing of ours or the editor's is sent.

Standard library only (http.client, socket, ssl): the pinning and the deadline need the
socket in our hands.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from email.message import Message
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from sources.documents import CONTENT_TYPES, parse_content_type

USER_AGENT = "Counterpoint-source-fetcher/1.0 (+quotation checking)"
REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


class FetchError(Exception):
    """The document could not be fetched; the message says why, for an editor."""


class ForbiddenAddress(FetchError):
    """The URL, or a redirect, leads to an address that is not on the public internet."""


@dataclass(frozen=True)
class FetchLimits:
    max_bytes: int = 20 * 1024 * 1024
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 30.0
    max_redirects: int = 5


@dataclass(frozen=True)
class FetchedDocument:
    url: str  # where the bytes came from, after redirects
    content_type: str  # the Content-Type header as sent
    data: bytes
    filename: str


def fetch_document(
    url: str,
    *,
    limits: FetchLimits | None = None,
    allowed_addresses: Collection[str] = (),
    resolve: Resolver | None = None,
    tls_context: ssl.SSLContext | None = None,
) -> FetchedDocument:
    """GET ``url`` under the rules in this module's docstring and return the document.

    ``allowed_addresses`` lists IP addresses that may be reached although they are not
    public: for tests against a local server only (settings
    ``COUNTERPOINT_FETCH_ALLOWED_ADDRESSES``, empty by default). ``resolve`` (host, port)
    → addresses, and ``tls_context`` replace the system resolver and CA store, also for
    tests. Raises ``ForbiddenAddress`` or ``FetchError``.
    """
    limits = limits or FetchLimits()
    deadline = time.monotonic() + limits.total_timeout
    allowed = {_strip_scope(a) for a in allowed_addresses}
    resolve = resolve or _system_resolve
    for _hop in range(limits.max_redirects + 1):
        target = _Target.parse(url)
        addresses = vet_addresses(resolve(target.host, target.port), allowed=allowed)
        response, connection = _get(target, addresses, limits, deadline, tls_context)
        try:
            if response.status in REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    raise FetchError(f"{url}: redirect ({response.status}) without a Location")
                url = urljoin(url, location.strip())
                continue
            if response.status != 200:
                raise FetchError(f"{url}: the server answered {response.status} {response.reason}")
            content_type = _check_headers(response, url, limits)
            data = _read_body(response, url, limits, deadline)
            return FetchedDocument(
                url=url,
                content_type=content_type,
                data=data,
                filename=_filename(response, target.path),
            )
        finally:
            connection.close()
    raise FetchError(f"more than {limits.max_redirects} redirects")


# --- addresses --------------------------------------------------------------------------------


def _strip_scope(address: str) -> str:
    return address.split("%", 1)[0]


def is_public_address(address: IPAddress) -> bool:
    """Whether ``address`` is on the public internet (see the module docstring)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(embedded)
        if address in _NAT64_LOCAL or address.teredo or address.is_site_local:
            return False
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def vet_addresses(addresses: list[str], *, allowed: Collection[str] = ()) -> list[IPAddress]:
    """Parse ``addresses`` and refuse them all if any one is not public (or allowed)."""
    if not addresses:
        raise FetchError("the host name does not resolve")
    vetted = []
    for text in addresses:
        text = _strip_scope(text)
        address = ipaddress.ip_address(text)
        if not (is_public_address(address) or str(address) in allowed):
            raise ForbiddenAddress(f"refused: {address} is not a public internet address")
        vetted.append(address)
    return vetted


def _system_resolve(host: str, port: int) -> list[str]:
    try:
        ipaddress.ip_address(_strip_scope(host))
    except ValueError:
        pass
    else:
        return [host]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"{host}: the host name does not resolve ({error})") from error
    return list(dict.fromkeys(info[4][0] for info in infos))


# --- the request ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # ASCII (IDNA) host name or IP literal, without brackets
    port: int
    path: str  # path and query, as sent

    @classmethod
    def parse(cls, url: str) -> _Target:
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError as error:
            raise FetchError(f"not a valid URL: {url!r}") from error
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError(f"only http and https URLs can be fetched, not {scheme or 'this'}")
        if "@" in parts.netloc or parts.username is not None or parts.password is not None:
            raise FetchError("URLs with a user name or password are refused")
        if not parts.hostname:
            raise FetchError(f"no host in {url!r}")
        try:
            host = parts.hostname.encode("idna").decode("ascii")
        except UnicodeError as error:
            raise FetchError(f"not a valid host name: {parts.hostname!r}") from error
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        if any(ord(ch) < 33 or ord(ch) > 126 for ch in path):
            raise FetchError("the URL's path must be ASCII, percent-encoded")
        return cls(scheme=scheme, host=host, port=port or (443 if scheme == "https" else 80),
                   path=path)  # fmt: skip


class _DeadlineMixin:
    """A socket whose every receive waits at most the read timeout, and never past the
    fetch's deadline, so a slow drip is cut off even though each byte arrives in time."""

    deadline: float = 0.0
    read_timeout: float = 0.0

    def _arm(self) -> None:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("deadline")
        self.settimeout(min(self.read_timeout, remaining))

    def recv(self, *args):
        self._arm()
        return super().recv(*args)

    def recv_into(self, *args):
        self._arm()
        return super().recv_into(*args)


class _DeadlineSocket(_DeadlineMixin, socket.socket):
    pass


class _DeadlineSSLSocket(_DeadlineMixin, ssl.SSLSocket):
    pass


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection to a vetted address, speaking to ``host`` (Host header, SNI)."""

    def __init__(self, target: _Target, address: IPAddress, limits: FetchLimits,
                 deadline: float, tls_context: ssl.SSLContext | None):  # fmt: skip
        super().__init__(target.host, target.port, timeout=limits.connect_timeout)
        self.default_port = 443 if target.scheme == "https" else 80
        self._address = address
        self._limits = limits
        self._deadline = deadline
        self._tls = None
        if target.scheme == "https":
            self._tls = tls_context or ssl.create_default_context()
            self._tls.sslsocket_class = _DeadlineSSLSocket

    def connect(self) -> None:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("deadline")
        family = socket.AF_INET6 if self._address.version == 6 else socket.AF_INET
        sock = _DeadlineSocket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(min(self._limits.connect_timeout, remaining))
            sock.connect((str(self._address), self.port))
            sock.deadline, sock.read_timeout = self._deadline, self._limits.read_timeout
            if self._tls is not None:
                sock = self._tls.wrap_socket(
                    sock, server_hostname=self.host, do_handshake_on_connect=False
                )
                sock.deadline, sock.read_timeout = self._deadline, self._limits.read_timeout
                sock.settimeout(min(self._limits.read_timeout, self._deadline - time.monotonic()))
                sock.do_handshake()
        except BaseException:
            sock.close()
            raise
        self.sock = sock


def _get(target: _Target, addresses: list[IPAddress], limits: FetchLimits, deadline: float,
         tls_context: ssl.SSLContext | None):  # fmt: skip
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": ", ".join(CONTENT_TYPES) + ";q=0.9",
        "Accept-Encoding": "identity",
        "Connection": "close",
    }
    last_error: Exception | None = None
    for address in addresses:
        connection = _PinnedConnection(target, address, limits, deadline, tls_context)
        try:
            connection.request("GET", target.path, headers=headers)
            return connection.getresponse(), connection
        except TimeoutError as error:
            connection.close()
            raise _timeout(target, limits, deadline) from error
        except ssl.SSLError as error:
            connection.close()
            raise FetchError(f"{target.host}: TLS failed ({error.reason or error})") from error
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            last_error = error
    raise FetchError(f"{target.host}: could not connect ({last_error})")


def _timeout(target: _Target, limits: FetchLimits, deadline: float) -> FetchError:
    if time.monotonic() >= deadline - 0.05:
        return FetchError(f"{target.host}: gave up after {limits.total_timeout:g} s in all")
    return FetchError(f"{target.host}: no answer for {limits.read_timeout:g} s")


def _check_headers(response: http.client.HTTPResponse, url: str, limits: FetchLimits) -> str:
    content_type = response.getheader("Content-Type", "")
    media_type, _ = parse_content_type(content_type)
    if media_type not in CONTENT_TYPES:
        raise FetchError(f"{url}: {media_type or 'no content type'} is not a document we read")
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding != "identity":
        raise FetchError(f"{url}: compressed responses ({encoding}) are refused")
    length = response.getheader("Content-Length")
    if length is not None:
        try:
            declared = int(length)
        except ValueError as error:
            raise FetchError(f"{url}: invalid Content-Length {length!r}") from error
        if declared > limits.max_bytes:
            raise FetchError(
                f"{url}: {declared:,} bytes is over the {limits.max_bytes:,}-byte limit"
            )
    return content_type


def _read_body(response: http.client.HTTPResponse, url: str, limits: FetchLimits,
               deadline: float) -> bytes:  # fmt: skip
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            if time.monotonic() >= deadline:
                raise TimeoutError("deadline")
            chunk = response.read1(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > limits.max_bytes:
                raise FetchError(f"{url}: more than the {limits.max_bytes:,}-byte limit; cut off")
            chunks.append(chunk)
    except TimeoutError as error:
        host = urlsplit(url).hostname or url
        if time.monotonic() >= deadline - 0.05:
            raise FetchError(f"{host}: gave up after {limits.total_timeout:g} s in all") from error
        raise FetchError(f"{host}: no answer for {limits.read_timeout:g} s") from error
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(f"{url}: the connection failed while reading ({error})") from error
    return b"".join(chunks)


def _filename(response: http.client.HTTPResponse, path: str) -> str:
    disposition = response.getheader("Content-Disposition")
    if disposition:
        message = Message()
        message["content-disposition"] = disposition
        name = message.get_filename()
        if name:
            return PurePosixPath(name.replace("\\", "/")).name[:200]
    return PurePosixPath(unquote(path.split("?", 1)[0])).name[:200]
