"""Counts for the closing summary: hypothesis examples per test, faults injected."""

from collections import Counter

EXAMPLES: Counter = Counter()
PUBLISHED: Counter = Counter()  # examples that were saved, published and read back
FAULTS: list[str] = []
