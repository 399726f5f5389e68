import pytest
from django.test import TestCase

from publishing import services


@pytest.fixture(autouse=True)
def _every_test_starts_with_an_empty_page_cache(empty_page_cache):
    yield


@pytest.fixture
def publish():
    """essay_publish/essay_unpublish with their after-commit effects run, as in production
    (the test's own transaction never commits)."""

    class Publisher:
        @staticmethod
        def __call__(**kwargs):
            with TestCase.captureOnCommitCallbacks(execute=True):
                return services.essay_publish(**kwargs)

        @staticmethod
        def unpublish(**kwargs):
            with TestCase.captureOnCommitCallbacks(execute=True):
                return services.essay_unpublish(**kwargs)

    return Publisher()
