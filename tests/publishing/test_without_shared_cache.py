"""Production without a shared cache (no REDIS_URL) still never serves a withdrawn essay.

Issue 11, item 6: each worker used to keep its own page cache for up to a day, so after
an unpublish 6–11 of 16 reads still returned the page.
"""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.publishing.test_shared_cache import ROOT, SLUG, free_port

UNPUBLISH = f"""
from django.contrib.auth import get_user_model
from essays.models import Essay
from publishing.services import essay_unpublish
essay_unpublish(essay=Essay.objects.get(slug="{SLUG}"),
                actor=get_user_model().objects.get(username="publisher"))
"""


def status(port: int, path: str = f"/essays/{SLUG}/") -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def production_without_redis(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="a-long-random-test-secret-" + "x" * 40,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--no-input", "-v0"], ["load_demo"]):
        subprocess.run([*manage, *command], env=env, cwd=ROOT, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "3", "--config", "/dev/null"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status(port)
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)
        yield env, port
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_an_unpublished_essay_is_gone_from_every_worker_at_once(production_without_redis):
    env, port = production_without_redis
    sources = f"/essays/{SLUG}/sources/"  # kept in each worker's own memory cache
    assert [status(port) for _ in range(16)] == [200] * 16  # every worker has served it
    assert [status(port, sources) for _ in range(16)] == [200] * 16
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", UNPUBLISH],
        env=env, cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    assert [status(port) for _ in range(16)] == [410] * 16
    assert [status(port, sources) for _ in range(16)] == [410] * 16
