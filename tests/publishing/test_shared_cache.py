"""Two app servers share one Redis cache and one database: a publish is seen by both at once."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
import redis

from tests.proxy import free_port

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


def test_two_app_servers_agree_on_every_page_and_see_a_publish_at_once(app_env, two_servers):
    a, b = two_servers
    shared = redis.Redis.from_url(app_env["REDIS_URL"])
    bibliography = f"/essays/{SLUG}/sources/"
    assert "The Quiet That Was Not Peace" in fetch(a, bibliography)  # rendered by A
    assert any(app_env["CACHE_KEY_PREFIX"].encode() in key for key in shared.keys("*"))
    # One validator for one page on every server: B answers A's ETag with 304.
    with urllib.request.urlopen(f"http://127.0.0.1:{a}/essays/{SLUG}/", timeout=10) as page:
        etag = page.headers["ETag"]
    request = urllib.request.Request(
        f"http://127.0.0.1:{b}/essays/{SLUG}/", headers={"If-None-Match": etag}
    )
    with pytest.raises(urllib.error.HTTPError) as not_modified:
        urllib.request.urlopen(request, timeout=10)
    assert not_modified.value.code == 304

    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", REPUBLISH],
        env=app_env, cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    # No waiting: the database says what is current, to both servers alike.
    for port in (a, b):
        assert "The Quiet That Was Not Peace, revised</h1>" in fetch(port)
        assert "The Quiet That Was Not Peace, revised" in fetch(port, bibliography)
        assert "The Quiet That Was Not Peace, revised" in fetch(port, "/")
        changed = urllib.request.Request(
            f"http://127.0.0.1:{port}/essays/{SLUG}/", headers={"If-None-Match": etag}
        )
        with urllib.request.urlopen(changed, timeout=10) as page:
            assert page.status == 200 and page.headers["ETag"] != etag
