import pytest
from django.core.cache import cache
from django.test import TestCase

from essays import services
from essays.caching import local_pages


@pytest.fixture(autouse=True)
def empty_page_cache():
    cache.clear()
    local_pages.clear()
    yield
    cache.clear()
    local_pages.clear()


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
