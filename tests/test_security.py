"""Production settings, security headers and admin login throttling."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import make_user

ROOT = Path(__file__).resolve().parent.parent


def test_production_settings_pass_the_deploy_check():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "counterpoint.example.org",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_every_response_carries_the_security_headers(client):
    response = client.get(reverse("admin:login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_admin_login_locks_after_repeated_failures_even_with_the_right_password(client, settings):
    make_user(username="target", superuser=True)  # password "pw"
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "target", "password": "wrong"})
    locked = client.post(url, {"username": "target", "password": "pw"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


BEHIND_ONE_PROXY = {
    "AXES_IPWARE_META_PRECEDENCE_ORDER": ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
    "AXES_IPWARE_PROXY_COUNT": 0,
    "AXES_IPWARE_PROXY_ORDER": "left-most",
    "IPWARE_STRICT": False,
}
BALANCER = "10.0.0.2"


def _login(client, password: str, forwarded_for: str):
    return client.post(
        reverse("admin:login"),
        {"username": "target", "password": password},
        REMOTE_ADDR=BALANCER,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.mark.django_db
def test_behind_the_balancer_the_lock_follows_the_client_not_the_balancer(client, settings):
    """One trusted proxy appends the client's address: that address is what locks."""
    for name, value in BEHIND_ONE_PROXY.items():
        setattr(settings, name, value)
    make_user(username="target", superuser=True)  # password "pw"
    attacker, user = "203.0.113.66", "198.51.100.7"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "wrong", attacker)
    assert _login(client, "pw", attacker).status_code == 429
    # The real user, through the same balancer, is not locked out by the attacker.
    assert _login(client.__class__(), "pw", user).status_code == 302
    # A forged X-Forwarded-For sent by the attacker (the balancer appends the real
    # address after it) neither unlocks the attacker nor moves the lock onto the user.
    assert _login(client.__class__(), "pw", f"{user}, {attacker}").status_code == 429
    assert _login(client.__class__(), "pw", f"1.2.3.4, {attacker}").status_code == 429
    assert _login(client.__class__(), "pw", user).status_code == 302


def test_the_settings_trust_exactly_the_configured_proxies():
    script = (
        "from django.conf import settings as s;"
        "print(s.AXES_IPWARE_META_PRECEDENCE_ORDER, s.AXES_IPWARE_PROXY_COUNT)"
    )
    for count, expected in (
        ("0", "['REMOTE_ADDR'] None"),
        ("2", "['HTTP_X_FORWARDED_FOR', 'REMOTE_ADDR'] 1"),
    ):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "AXES_PROXY_COUNT": count,
        }
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", script],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.stdout.strip().splitlines()[-1] == expected, result.stderr
