"""Shared by the security tests: a tally of hypothesis examples, printed after the run."""

from collections import Counter

import pytest

from tests.security import tally


def pytest_terminal_summary(terminalreporter):
    examples: Counter = tally.EXAMPLES
    if examples:
        total = sum(examples.values())
        detail = ", ".join(
            f"{name} {n}"
            + (f" ({tally.PUBLISHED[name]} published)" if tally.PUBLISHED[name] else "")
            for name, n in sorted(examples.items())
        )
        terminalreporter.write_line(f"hostile input: {total} hypothesis examples run ({detail})")
    if tally.FAULTS:
        terminalreporter.write_line(f"faults injected: {len(tally.FAULTS)}")


@pytest.fixture(autouse=True)
def _empty_page_cache():
    from django.core.cache import cache

    from essays.caching import local_pages

    cache.clear()
    local_pages.clear()
    yield
    cache.clear()
    local_pages.clear()
