"""Varnish with the repository's VCL (deploy/varnish.vcl) in front of app servers, and a
small HTTP client for reading pages through it: used by the reverse-proxy tests, by the
browser and leak tests' proxy leg, and by bench/article_bench.py."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VARNISHD = shutil.which("varnishd", path=f"{os.environ.get('PATH', '')}:/usr/sbin")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def backends_vcl(app_ports: list[int]) -> str:
    """The site-specific VCL (deploy/backends.vcl.example): the app servers, round robin,
    and purges taken from this machine only."""
    return (
        "".join(
            f'backend app{i} {{ .host = "127.0.0.1"; .port = "{port}"; }}\n'
            for i, port in enumerate(app_ports)
        )
        + 'acl purgers { "127.0.0.1"; }\n'
        + "sub vcl_init {\n    new app = directors.round_robin();\n"
        + "".join(f"    app.add_backend(app{i});\n" for i in range(len(app_ports)))
        + "}\n"
    )


def wait_until_answering(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2).read()
            return
        except urllib.error.HTTPError:
            return  # something answered
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextmanager
def varnish(
    app_ports: list[int], workdir: Path, *, port: int | None = None, memory: str = "64m"
) -> Iterator[int]:
    """Run varnishd in front of `app_ports` (on `port`, or a free one) until the block
    ends; yield its port."""
    if not VARNISHD:
        raise RuntimeError("varnishd is missing: scripts/system-packages.sh installs it")
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "backends.vcl").write_text(backends_vcl(app_ports))
    port = port or free_port()
    process = subprocess.Popen(
        [VARNISHD, "-F", "-j", "none", "-n", str(workdir / "varnish"),
         "-a", f"127.0.0.1:{port}", "-T", "none", "-s", f"malloc,{memory}",
         "-f", str(ROOT / "deploy" / "varnish.vcl"),
         "-p", f"vcl_path={workdir}:{ROOT / 'deploy'}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until_answering(port)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=15)


def ban_everything(port: int) -> None:
    """Drop every page the proxy keeps (a new test starts from an empty cache)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("BAN", "/", headers={"X-Ban-Url": "^/"})
    assert connection.getresponse().status == 200


@dataclass
class Response:
    """What the leak crawl reads of a response (the shape of Django's test response)."""

    status_code: int
    headers: dict[str, str]
    content: bytes
    streaming: bool = False

    def get(self, name: str, default=None):
        return self.headers.get(name.lower(), default)

    def __getitem__(self, name: str) -> str:
        return self.headers[name.lower()]

    def items(self):
        return self.headers.items()


@dataclass
class HttpClient:
    """GET pages from a running server over HTTP, not following redirects, optionally
    with a cookie; bodies stay as sent (gzip when the server gzipped them)."""

    base_url: str
    cookie: str = ""
    seen_cache: list[str] = field(default_factory=list)  # X-Cache of each answer

    def get(self, path: str, headers: dict | None = None) -> Response:
        url = urllib.parse.urlsplit(self.base_url)
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=15)
        sent = dict(headers or {})
        if self.cookie:
            sent["Cookie"] = self.cookie
        connection.request("GET", path, headers=sent)
        answer = connection.getresponse()
        received = {name.lower(): value for name, value in answer.getheaders()}
        self.seen_cache.append(received.get("x-cache", ""))
        response = Response(answer.status, received, answer.read())
        connection.close()
        return response
