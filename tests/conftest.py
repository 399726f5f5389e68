import os
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import transaction

from review.roles import EDITOR, PUBLISHER, REVIEWER, sync_role_groups
from sources.models import Outlet
from sources.shipped import load_shipped_outlets_into_db
from tests.factories import make_newsroom, make_user
from tests.proxy import VARNISHD, varnish
from tests.security import tally


@pytest.fixture
def editor(db):
    return make_user(EDITOR)


@pytest.fixture
def reviewer(db):
    return make_user(REVIEWER)


@pytest.fixture
def publisher(db):
    return make_user(PUBLISHER)


@pytest.fixture
def superuser(db):
    return make_user(superuser=True)


@pytest.fixture
def expected_db_vendor() -> str | None:
    """The database the test command meant to use; the suite fails if it got another."""
    return os.environ.get("COUNTERPOINT_EXPECT_DB")


@pytest.fixture(autouse=True)
def _role_groups_survive_flushes(request):
    """Transactional tests end by flushing every table, the role groups (made by a data
    migration) included: put them back before each transactional test needs them."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        sync_role_groups(apps)


@pytest.fixture
def shipped_outlets(db):
    """The outlets the data migration loads (back again if a transactional test flushed them)."""
    if not Outlet.objects.filter(name="Al Jazeera").exists():
        load_shipped_outlets_into_db(apps)


@pytest.fixture
def empty_page_cache():
    """No public page cached by an earlier test (the cache outlives each test's rollback)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def newsroom(django_db_setup, django_db_blocker):
    """make_newsroom(), built once per module (as Django's setUpTestData does).

    The rows live in a transaction that stays open for the whole module and is rolled
    back at its end; each test runs in a savepoint inside it, so a test's writes vanish
    before the next one. Model instances are shared: tests that write re-read rows
    (`fresh`) instead of trusting them.
    """
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield make_newsroom()
            transaction.set_rollback(True)


# The security tests' tally (hypothesis examples run, faults injected), printed after the
# run. Under pytest-xdist each worker counts its own tests and hands its tally to the
# controller when it finishes, so the summary covers the whole run either way.


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker
        workeroutput["counterpoint_tally"] = {
            "examples": dict(tally.EXAMPLES),
            "published": dict(tally.PUBLISHED),
            "faults": list(tally.FAULTS),
        }


def pytest_testnodedown(node, error):
    worker = getattr(node, "workeroutput", {}).get("counterpoint_tally")
    if worker:
        tally.EXAMPLES.update(worker["examples"])
        tally.PUBLISHED.update(worker["published"])
        tally.FAULTS.extend(worker["faults"])


def pytest_terminal_summary(terminalreporter):
    if tally.EXAMPLES:
        total = sum(tally.EXAMPLES.values())
        detail = ", ".join(
            f"{name} {n}"
            + (f" ({tally.PUBLISHED[name]} published)" if tally.PUBLISHED[name] else "")
            for name, n in sorted(tally.EXAMPLES.items())
        )
        terminalreporter.write_line(f"hostile input: {total} hypothesis examples run ({detail})")
    if tally.FAULTS:
        terminalreporter.write_line(f"faults injected: {len(tally.FAULTS)}")


@pytest.fixture(scope="session")
def proxy_url(live_server, tmp_path_factory):
    """Varnish (deploy/varnish.vcl) in front of the live test server, once per session."""
    if not VARNISHD:
        if os.environ.get("COUNTERPOINT_REQUIRE_VARNISH"):
            raise RuntimeError("varnishd is missing: scripts/system-packages.sh installs it")
        pytest.skip("needs varnishd (make test installs it)")
    with varnish([urlsplit(live_server.url).port], tmp_path_factory.mktemp("varnish")) as port:
        yield f"http://127.0.0.1:{port}"
