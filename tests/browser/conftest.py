"""Headless Chromium (Debian's package) driven by Playwright, against the live test
server: each browser test runs twice, once against the app server itself and once through
Varnish with the repository's VCL, as readers and staff reach the site in production."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

from tests.proxy import ban_everything

# Playwright's sync API runs an event loop in the test thread, where the ORM also runs.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Module scope, not session: while Playwright's loop runs, Django's per-thread connections
# resolve differently, which breaks later non-browser tests; so stop it after each module.
@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot_dir(tmp_path) -> Path:
    """Where walk-throughs save their screenshots: docs/ when asked to, else a temp dir."""
    wanted = os.environ.get("COUNTERPOINT_SCREENSHOTS")
    path = Path(wanted) if wanted else tmp_path
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(params=["app", "proxy"])
def site(request, live_server, settings) -> str:
    """The site's address: the app server, or Varnish in front of it. Through the proxy,
    each test starts from an empty cache, and its publishes purge it as in production."""
    if request.param == "app":
        return live_server.url
    url = request.getfixturevalue("proxy_url")
    ban_everything(urlsplit(url).port)
    settings.COUNTERPOINT_FRONT_CACHES = [url]
    return url
