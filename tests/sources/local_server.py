"""A local HTTP(S) server for the fetcher's tests: each path is one behaviour to test.

Runs in a thread (test-only); the fetcher reaches it only through an explicit
allowlist of 127.0.0.1, which is what the tests without an allowlist prove refused.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import ssl
import threading
import time
from urllib.parse import parse_qs, urlsplit

PAGE = (
    b"<!doctype html><html><head><title>Harbour notes</title></head><body>"
    b"<nav>Home | News | Subscribe</nav><article><h1>Harbour notes</h1>"
    b"<p>The harbour master said the channel would be dredged before the summer, "
    b"and that larger ships would wait until the work was finished.</p>"
    b"<p>Fishermen asked for compensation for the weeks they could not work.</p>"
    b"</article></body></html>"
)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.server.requests.append({"path": self.path, "headers": dict(self.headers.items())})
        route = getattr(self, "route_" + parts.path.strip("/").replace("-", "_"), None)
        if route is None:
            self._send(404, "text/plain", b"not here")
        else:
            route(query)

    def _send(self, status, content_type, body, headers=()):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def route_page(self, query):
        self._send(200, "text/html; charset=utf-8", PAGE)

    def route_report_pdf(self, query):
        self._send(
            200,
            "application/pdf",
            self.server.pdf,
            [("Content-Disposition", 'attachment; filename="report.pdf"')],
        )

    def route_echo(self, query):
        body = json.dumps(dict(self.headers.items())).encode()
        self._send(200, "text/plain; charset=utf-8", body)

    def route_redirect(self, query):
        self._send(
            int(query.get("status", 302)), "text/plain", b"moved", [("Location", query["to"])]
        )

    def route_chain(self, query):
        n = int(query["n"])
        location = "/page" if n <= 1 else f"/chain?n={n - 1}"
        self._send(302, "text/plain", b"moved", [("Location", location)])

    def route_image(self, query):
        self._send(200, "image/png", b"\x89PNG\r\n\x1a\n")

    def route_untyped(self, query):
        self._send(200, None, b"<html><body>no type</body></html>")

    def route_gzip(self, query):
        self._send(200, "text/html", b"\x1f\x8b\x08\x00", [("Content-Encoding", "gzip")])

    def route_declared_huge(self, query):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(100 * 1024 * 1024))
        self.end_headers()
        self._stream(100 * 1024 * 1024)

    def route_huge(self, query):
        """100 MB of text without a Content-Length (chunked), counting what got out."""
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"word " * 13107 + b"x"  # 64 KiB
        with contextlib.suppress(OSError):
            while self.server.sent < 100 * 1024 * 1024:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.server.sent += len(chunk)
            self.wfile.write(b"0\r\n\r\n")

    def _stream(self, total):
        chunk = b"x" * 65536
        with contextlib.suppress(OSError):
            while self.server.sent < total:
                self.wfile.write(chunk)
                self.server.sent += len(chunk)

    def route_drip(self, query):
        """Headers at once, then one byte every 50 ms for up to 30 s: each read is quick."""
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "1000000")
        self.end_headers()
        self._drip(b"a")

    def route_drip_headers(self, query):
        """The status line, then a header that never ends, one byte every 50 ms."""
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Slow: ")
        self._drip(b"z")

    def _drip(self, byte):
        deadline = time.monotonic() + 30
        with contextlib.suppress(OSError):
            while time.monotonic() < deadline and not self.server.stopping.is_set():
                self.wfile.write(byte)
                self.wfile.flush()
                self.server.sent += 1
                time.sleep(0.05)

    def route_stall(self, query):
        """Headers, then nothing for 3 s."""
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "10")
        self.end_headers()
        self.wfile.flush()
        self.server.stopping.wait(3)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, pdf: bytes = b"", tls: ssl.SSLContext | None = None):
        super().__init__(("127.0.0.1", 0), Handler)
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self.requests: list[dict] = []
        self.sent = 0
        self.pdf = pdf
        self.stopping = threading.Event()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1", scheme: str = "http") -> str:
        return f"{scheme}://{host}:{self.port}{path}"


@contextlib.contextmanager
def running(**kwargs):
    server = Server(**kwargs)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
