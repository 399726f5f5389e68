import os

import pytest

from review.roles import EDITOR, PUBLISHER, REVIEWER
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
