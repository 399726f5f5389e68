"""How well the importer reads the corpus: structure, cruft, metadata, quotations, speakers.

Run from the repository root::

    python bench/import_accuracy.py                 # the per-essay table and overall
    python bench/import_accuracy.py --misses        # …and every miss (essay, where, field)
    python bench/import_accuracy.py --essay web_plain --json
    python bench/import_accuracy.py --check-keys    # only check the answer keys
    python bench/import_accuracy.py --write-floors  # raise floors.json to today's figures

Each essay in ``tests/fixtures/corpus`` with a ``NAME.key.json`` is parsed by the
importer's pure parse (no database) and scored by ``bench/accuracy.py``; the key format
and the scoring rules are in ``tests/fixtures/corpus/README.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.accuracy import (  # noqa: E402
    CORPUS,
    FIGURES,
    FLOORS,
    EssayScore,
    check_key,
    essay_path,
    load_floors,
    load_keys,
    overall,
    raised_floors,
    score_corpus,
)

COLUMNS = (
    ("structure", "struct"),
    ("paragraphs", "paras"),
    ("cruft", "cruft"),
    ("metadata", "meta"),
    ("recall", "recall"),
    ("precision", "prec"),
    ("outlet", "outlet"),
    ("speaker", "speaker"),
    ("via", "via"),
    ("links", "links"),
    ("bibliography", "biblio"),
)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def table(scores: list[EssayScore]) -> str:
    """The per-essay table, then the overall row."""
    width = max(len(s.name) for s in [*scores, overall([])]) + 1
    header = (
        f"{'essay':<{width}} {'words':>6} {'quotes':>8} "
        + " ".join(f"{label:>7}" for _, label in COLUMNS)
        + "   junk"
    )
    lines = [header, "-" * len(header)]
    for score in [*scores, overall(scores)]:
        if score.name == "overall":
            lines.append("-" * len(header))
        quotes = f"{score.key_quotations}/{score.parsed_quotations}"
        cells = " ".join(f"{percent(score.value(name)):>7}" for name, _ in COLUMNS)
        lines.append(
            f"{score.name:<{width}} {score.words:>6} {quotes:>8} {cells} {len(score.junk):>6}"
        )
        if score.error:
            lines.append(f"{'':<{width}} parse failed: {score.error}")
    lines.append("quotes = in the key / found by the parser; junk = junk speaker strings")
    return "\n".join(lines)


def misses(scores: list[EssayScore]) -> str:
    lines = []
    for score in scores:
        if not score.misses and not score.junk:
            continue
        lines.append(f"\n== {score.name}: {len(score.misses)} misses")
        for miss in score.misses:
            lines.append(
                f"  {miss.where:<14} {miss.field:<15} expected {miss.expected!r}  got {miss.got!r}"
            )
        for junk in score.junk:
            lines.append(f"  junk speaker: {junk}")
    return "\n".join(lines)


def check_keys(essay: str | None) -> int:
    bad = 0
    for name, key in load_keys(CORPUS, essay):
        problems = check_key(key, essay_path(key).read_bytes())
        bad += bool(problems)
        print(f"{name}: {'ok' if not problems else f'{len(problems)} problems'}")
        for problem in problems:
            print(f"  {problem}")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--essay", metavar="NAME", help="only this essay (name or file name)")
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument("--json", action="store_true", help="machine-readable figures")
    parser.add_argument("--check-keys", action="store_true", help="only check the keys")
    parser.add_argument(
        "--write-floors", action="store_true", help=f"raise {FLOORS.name} to today's figures"
    )
    options = parser.parse_args(argv)
    if options.check_keys:
        return check_keys(options.essay)
    scores = score_corpus(CORPUS, options.essay)
    if not scores:
        parser.error(f"no essay {options.essay!r} with a key in {CORPUS}")
    if options.json:
        print(
            json.dumps(
                {
                    "figures": list(FIGURES),
                    "essays": [s.to_json_dict() for s in scores],
                    "overall": overall(scores).to_json_dict() | {"misses": []},
                },
                ensure_ascii=False,
                indent=2,
                default=str,
            )
        )
    else:
        print(table(scores))
        if options.misses:
            print(misses(scores))
    if options.write_floors:
        floors = raised_floors(load_floors(), scores)
        FLOORS.write_text(json.dumps(floors, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {FLOORS.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
