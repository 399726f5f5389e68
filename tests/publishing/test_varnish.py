"""Varnish (deploy/varnish.vcl) in front of two app servers: what readers get through it.

Publish → the proxy and both apps serve the new revision at once; unpublish → 410 at
once; a staff response is never cached; a purge from an address outside the ACL is
refused. `make test` installs Varnish (Debian's package) and requires this test to run
(COUNTERPOINT_REQUIRE_VARNISH); elsewhere it is skipped when varnishd is missing.
"""

import gzip
import http.client
import os
import subprocess
import sys
import uuid

import pytest

from tests.proxy import (
    ROOT,
    VARNISHD,
    HttpClient,
    Response,
    free_port,
    varnish,
    wait_until_answering,
)
from tests.publishing.test_shared_cache import REPUBLISH, SLUG

if not VARNISHD and os.environ.get("COUNTERPOINT_REQUIRE_VARNISH"):
    raise RuntimeError("varnishd is missing: scripts/system-packages.sh installs Debian's varnish")
pytestmark = pytest.mark.skipif(not VARNISHD, reason="needs varnishd (make test installs it)")

UNPUBLISH = f"""
from django.contrib.auth import get_user_model
from essays.models import Essay
from publishing.services import essay_unpublish
essay_unpublish(essay=Essay.objects.get(slug="{SLUG}"),
                actor=get_user_model().objects.get(username="publisher"))
"""


def get(port: int, path: str, **headers) -> tuple[int, Response, str]:
    """Status, headers (any case) and body as text (decompressed) of a GET on `port`."""
    response = HttpClient(f"http://127.0.0.1:{port}").get(path, headers)
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return response.status_code, response, body.decode()


@pytest.fixture
def stack(tmp_path):
    """Two gunicorn app servers on one demo database, and Varnish in front of them."""
    app_ports = [free_port(), free_port()]
    proxy_port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'stack.sqlite3'}",
        "CACHE_KEY_PREFIX": f"varnish-test-{uuid.uuid4().hex}",
        "DEBUG": "false",
        "COUNTERPOINT_FRONT_CACHES": f"http://127.0.0.1:{proxy_port}",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--no-input", "-v0"], ["load_demo"]):
        subprocess.run([*manage, *command], env=env, cwd=ROOT, check=True, capture_output=True)
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--config",
                "/dev/null",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for port in app_ports
    ]
    try:
        for port in app_ports:
            wait_until_answering(port)
        with varnish(app_ports, tmp_path, port=proxy_port) as proxy:
            yield {"env": env, "proxy": proxy, "apps": app_ports}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=15)


def run(env: dict, code: str) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env=env, cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip


ARTICLE = f"/essays/{SLUG}/"


def test_publish_and_unpublish_reach_readers_through_the_proxy_at_once(stack):
    proxy, apps, env = stack["proxy"], stack["apps"], stack["env"]
    status, headers, body = get(proxy, ARTICLE, **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["X-Cache"] == "MISS"
    status, headers, _ = get(proxy, ARTICLE)
    assert status == 200 and headers["X-Cache"] == "HIT"  # kept by the proxy
    assert "The Quiet That Was Not Peace</h1>" in get(proxy, ARTICLE)[2]
    # the proxy answers a revalidation itself
    assert get(proxy, ARTICLE, **{"If-None-Match": headers["ETag"]})[0] == 304

    run(env, REPUBLISH)  # the app BANs the essay's pages and the lists after commit
    for port in (proxy, *apps):
        assert "The Quiet That Was Not Peace, revised</h1>" in get(port, ARTICLE)[2], port
        assert "The Quiet That Was Not Peace, revised" in get(port, "/")[2], port

    run(env, UNPUBLISH)
    for port in (proxy, *apps):
        assert get(port, ARTICLE)[0] == 410, port
        assert get(port, f"/essays/{SLUG}/sources/")[0] == 410, port


def test_staff_responses_are_never_cached_and_strangers_cannot_purge(stack):
    proxy = stack["proxy"]
    for _ in range(2):
        status, headers, _ = get(proxy, "/admin/login/")
        assert status == 200 and headers["X-Cache"] == "MISS"
    # a signed-in reader's request goes to the app, and its answer is not stored for others
    signed_in = {"Cookie": "sessionid=someone-signed-in"}
    for _ in range(2):
        assert get(proxy, "/preview/essays/anything/", **signed_in)[1]["X-Cache"] == "MISS"
        assert get(proxy, ARTICLE, **signed_in)[1]["X-Cache"] == "MISS"
    get(proxy, ARTICLE)
    assert get(proxy, ARTICLE)[1]["X-Cache"] == "HIT"

    stranger = http.client.HTTPConnection(
        "127.0.0.1", proxy, timeout=10, source_address=("127.0.0.2", 0)
    )
    stranger.request("BAN", "/", headers={"X-Ban-Url": "^/"})
    assert stranger.getresponse().status == 403
    assert get(proxy, ARTICLE)[1]["X-Cache"] == "HIT"  # nothing was dropped
