"""Two app servers share one Redis page cache: a publish is seen by both at once."""

import gzip
import os
import pickle
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]
SLUG = "the-quiet-that-was-not-peace"

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (scripts/test.sh starts Redis)"
)

REPUBLISH = f"""
from django.contrib.auth import get_user_model
from essays.models import Essay
from publishing.services import essay_publish
essay = Essay.objects.get(slug="{SLUG}")
essay.title = "The Quiet That Was Not Peace, revised"
essay.save()
essay_publish(essay=essay, actor=get_user_model().objects.get(username="publisher"),
              override_reason="Shared-cache test")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(port: int, path: str = f"/essays/{SLUG}/") -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.read().decode()


@pytest.fixture
def app_env(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "CACHE_KEY_PREFIX": f"shared-cache-test-{uuid.uuid4().hex}",
        "DEBUG": "false",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--no-input", "-v0"], ["load_demo"]):
        subprocess.run([*manage, *command], env=env, cwd=ROOT, check=True, capture_output=True)
    return env


@pytest.fixture
def two_servers(app_env):
    ports, processes = [free_port(), free_port()], []
    try:
        for port in ports:
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "config.wsgi:application",
                     "--bind", f"127.0.0.1:{port}", "--workers", "1", "--config", "/dev/null"],
                    env=app_env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )
            )  # fmt: skip
        for port in ports:
            deadline = time.monotonic() + 20
            while True:
                try:
                    fetch(port, "/robots.txt")
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


def get_calls(client: redis.Redis) -> int:
    return client.info("commandstats").get("cmdstat_get", {}).get("calls", 0)


def test_two_app_servers_share_the_page_cache_and_see_a_publish_at_once(app_env, two_servers):
    a, b = two_servers
    database = app_env["DATABASE_URL"].removeprefix("sqlite:///")
    shared = redis.Redis.from_url(app_env["REDIS_URL"])
    generation = f"{app_env['CACHE_KEY_PREFIX']}:1:public-pages:generation"
    assert "The Quiet That Was Not Peace</h1>" in fetch(a)  # rendered by A, now cached

    # Change the stored page behind the cache's back: B still serves A's cached copy,
    # which it can only have got from the shared Redis.
    with sqlite3.connect(database) as db:
        [(page,)] = db.execute("SELECT page_gzip FROM publishing_publishedrevision").fetchall()
        html = gzip.decompress(page).replace(b"Not Peace</h1>", b"Not Peace (uncached)</h1>")
        db.execute("UPDATE publishing_publishedrevision SET page_gzip = ?", (gzip.compress(html),))
    assert "The Quiet That Was Not Peace</h1>" in fetch(b)

    # Both now hold the generation token in memory, kept current by a subscription, so a
    # cached page costs them no Redis round trip (only each one's heartbeat, once a second).
    channel = f"{generation}:pushed".encode()
    deadline = time.monotonic() + 10
    while dict(shared.pubsub_numsub(channel))[channel] < 2:
        assert time.monotonic() < deadline, "the app servers never subscribed"
        time.sleep(0.05)
    time.sleep(0.5)  # let each read the token once subscribed
    before, requests = get_calls(shared), 40
    for i in range(requests):
        assert "The Quiet That Was Not Peace</h1>" in fetch((a, b)[i % 2])
    assert get_calls(shared) - before < requests / 4

    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", REPUBLISH],
        env=app_env, cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    # No waiting: the publish returned once both servers had confirmed the new token.
    token = pickle.loads(shared.get(generation))
    assert int(shared.get(f"{generation}:ack:{token}")) == 2
    for port in (a, b):
        assert "The Quiet That Was Not Peace, revised</h1>" in fetch(port)
