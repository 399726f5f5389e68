import os

import pytest
from django.apps import apps

from review.roles import EDITOR, PUBLISHER, REVIEWER, sync_role_groups
from tests.factories import make_user


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
