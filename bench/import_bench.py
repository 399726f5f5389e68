"""Benchmark the essay importer: parse time and peak memory, then a whole import.

Run from the repository root: ``python bench/import_bench.py``. The first table is the
pure parser; the second adds ``save_import`` (the rows, in one transaction) into a
throwaway, migrated SQLite file, which is what ``manage.py import_essay`` does. The inputs are
generated from the long sample essay by repeating its body (headings numbered so
every part stays a distinct section); targets are < 1 s for 10,000 words and
< 10 s for 200,000 words, with memory growing linearly with input size.
"""

from __future__ import annotations

import math
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from essays.importer import parse  # noqa: E402
from essays.importer.readers.text import is_title_like  # noqa: E402
from sources.recognition import load_shipped_outlets  # noqa: E402

SAMPLE = ROOT / "tests" / "fixtures" / "essays" / "long_siege.txt"
# words -> target seconds; the middle size only shows how time and memory scale.
TARGETS = {10_000: 1.0, 50_000: 5.0, 200_000: 10.0}


def generate(words: int) -> str:
    """An essay of about ``words`` words: the sample's header, its body repeated
    (with headings numbered by part), and its closing line."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    header, body, footer = lines[:3], lines[3:-1], lines[-1:]
    body_words = sum(len(line.split()) for line in body)
    parts = []
    for part in range(1, math.ceil(words / body_words) + 1):
        for line in body:
            short = line and len(line.split()) <= 5 and is_title_like(line)
            parts.append(f"{line} {part}" if short and part > 1 else line)
    return "\n".join(header + parts + footer) + "\n"


def measure(text: str) -> tuple[float, int, int]:
    """Return (best of three parse times in seconds, peak traced bytes, quotations)."""
    times = []
    for _ in range(3):
        started = time.perf_counter()
        essay = parse(text, format="text")
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    parse(text, format="text")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return min(times), peak, len(essay.quotations)


def main() -> int:
    load_shipped_outlets()  # one-off start-up cost, not part of a parse
    print(
        f"{'words':>9} {'input KB':>9} {'quotes':>7} {'seconds':>8} {'target':>7} "
        f"{'peak MB':>8} {'peak/input':>10}"
    )
    ok = True
    for words, target in TARGETS.items():
        text = generate(words)
        size = len(text.encode("utf-8"))
        seconds, peak, quotes = measure(text)
        ok &= seconds < target
        print(
            f"{len(text.split()):>9,} {size / 1024:>9.0f} {quotes:>7,} {seconds:>8.2f} "
            f"{target:>7.0f} {peak / 2**20:>8.1f} {peak / size:>10.1f}"
        )
    ok &= measure_saving()
    print("all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


def measure_saving() -> bool:
    """Parse and save each size into a fresh SQLite file; print the times."""
    import dataclasses
    import os
    import tempfile

    folder = tempfile.mkdtemp(prefix="counterpoint-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from essays.services import save_import

    print(f"\n{'words':>9} {'quotes':>7} {'parse+save s':>13} {'target':>7}   (SQLite file)")
    ok = True
    for words, target in TARGETS.items():
        text = generate(words)
        started = time.perf_counter()
        parsed = parse(text, format="text")
        # Distinct canonical URLs, so each size is a new essay rather than a re-import.
        parsed = dataclasses.replace(parsed, canonical_url=f"https://example.org/bench/{words}")
        result = save_import(parsed=parsed, actor=None, slug=f"bench-{words}")
        seconds = time.perf_counter() - started
        ok &= seconds < target
        print(
            f"{len(text.split()):>9,} {len(parsed.quotations):>7,} {seconds:>13.2f} {target:>7.0f}"
        )
        del result
    return ok


if __name__ == "__main__":
    raise SystemExit(main())
