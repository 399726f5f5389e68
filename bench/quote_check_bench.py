"""Benchmark the quotation check: 150 quotations against 40 documents of 5,000 words each.

Run from the repository root: ``.venv/bin/python bench/quote_check_bench.py``. It times
what ``manage.py check_quotations`` does per run apart from the database: index each
document once (``review.quotecheck.DocumentIndex``) and align every quotation against its
source's document (``review.quotecheck.align``). Target: under 2 s at 1×. The same is
then run at 2× (80 documents, 300 quotations) to show that time and peak memory
(tracemalloc) grow linearly. Wall and CPU time are both printed (best of three); the
pass/fail line goes by CPU time, which other processes on a shared machine do not
stretch.

The documents are generated English-like text (a Zipf-distributed vocabulary of invented
words mixed with real function words, in sentences and paragraphs), the same for every
run (fixed seed). The quotations are a fixed mix per document: verbatim passages (some
with typography changed), passages with marked edits (an ellipsis, a bracketed
substitution), altered passages (one to three words changed, dropped or added) and
invented sentences from the same vocabulary; the run checks that each is classified as
generated and prints the tally, so a fast but wrong aligner does not pass.
"""

from __future__ import annotations

import random
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from review.quotecheck import DocumentIndex, align  # noqa: E402

WORDS_PER_DOCUMENT = 5_000
DOCUMENTS = 40
QUOTATIONS = 150
TARGET_SECONDS = 2.0
FUNCTION = (
    "the of and to a in that is was he for it with as his on be at by had not are but from "
    "or have an they which one you were her all she there would their we him been has when "
    "who will more no if out so said what up its about into than them can only other new"
).split()


def vocabulary(rng: random.Random, size: int = 8_000) -> list[str]:
    syllables = ["ka", "lo", "mir", "tan", "el", "sho", "rud", "vi", "nar", "quo", "bel", "tis",
                 "ar", "den", "gul", "pra", "sen", "oma", "zir", "hal"]  # fmt: skip
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))))
    return sorted(words)


class Writer:
    """English-like sentences: about half function words, the rest Zipf-distributed."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.content = vocabulary(rng)
        self.weights = [1 / (rank + 1) for rank in range(len(self.content))]

    def words(self, n: int) -> list[str]:
        rng = self.rng
        picks = rng.choices(self.content, self.weights, k=n)
        return [rng.choice(FUNCTION) if rng.random() < 0.45 else w for w in picks]

    def document(self, n: int) -> str:
        words = self.words(n)
        paragraphs, sentence, paragraph = [], [], []
        for word in words:
            sentence.append(word)
            if len(sentence) >= self.rng.randint(8, 28):
                sentence[0] = sentence[0].capitalize()
                paragraph.append(" ".join(sentence) + self.rng.choice([".", ".", ",", ";"]))
                sentence = []
                if len(paragraph) >= self.rng.randint(3, 7):
                    paragraphs.append(" ".join(paragraph))
                    paragraph = []
        paragraphs.append(" ".join(paragraph + sentence))
        return "\n\n".join(paragraphs)


KINDS = ["verbatim", "verbatim", "edited", "altered", "not_found"]


def quotations(writer: Writer, index: DocumentIndex, ks: range) -> list[tuple[str, str]]:
    """(expected status, quotation) pairs drawn from one document, one per k in ``ks``."""
    rng = writer.rng
    text = index.text
    out = []
    for k in ks:
        kind = KINDS[k % len(KINDS)]
        n = rng.randint(10, 40)
        i = rng.randrange(len(index.chars) - n - 30)
        words = [text[index.starts[j] : index.ends[j]] for j in range(i, i + n)]
        if kind == "verbatim":
            quote = text[index.starts[i] : index.ends[i + n - 1]]
            quote = quote.upper() if k % 2 else quote.replace(" ", "\u00a0", 3)
        elif kind == "edited":
            cut = n // 2
            quote = " ".join(words[:cut]) + " . . . " + " ".join(words[cut + 5 :])
            quote = "[" + " ".join(writer.words(2)) + "] " + quote.split(" ", 1)[1]
        elif kind == "altered":
            for _ in range(rng.randint(1, 3)):
                j = rng.randrange(1, n - 1)
                words[j] = "ALTERED" + str(j) if rng.random() < 0.7 else ""
            quote = " ".join(w for w in words if w)
        else:
            quote = " ".join(writer.words(n))
        out.append((kind, quote))
    return out


def workload(scale: int, seed: int = 16):
    rng = random.Random(seed)
    writer = Writer(rng)
    texts = [writer.document(WORDS_PER_DOCUMENT) for _ in range(DOCUMENTS * scale)]
    per_document = [QUOTATIONS * scale // len(texts)] * len(texts)
    for extra in range(QUOTATIONS * scale - sum(per_document)):
        per_document[extra] += 1
    jobs = []
    k = 0
    for n, text in enumerate(texts):
        ks = range(k, k + per_document[n])
        k = ks.stop
        jobs += [(n, kind, quote) for kind, quote in quotations(writer, DocumentIndex(text), ks)]
    return texts, jobs


def run(texts: list[str], jobs) -> Counter:
    indexes: dict[int, DocumentIndex] = {}
    tally: Counter = Counter()
    for n, kind, quote in jobs:
        if n not in indexes:
            indexes[n] = DocumentIndex(texts[n])
        tally[(kind, align(quote, indexes[n]).status)] += 1
    return tally


def measure(scale: int) -> tuple[float, float, int, Counter, int, int]:
    """Best of three (wall seconds, CPU seconds), peak traced bytes, tally, sizes."""
    texts, jobs = workload(scale)
    walls, cpus = [], []
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        tally = run(texts, jobs)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    tracemalloc.start()
    run(texts, jobs)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return min(walls), min(cpus), peak, tally, len(texts), len(jobs)


def main() -> int:
    print(f"{'scale':>5}  {'documents':>9}  {'words':>9}  {'quotations':>10}  "
          f"{'wall s':>7}  {'CPU s':>6}  {'peak MiB':>8}")  # fmt: skip
    results = {}
    for scale in (1, 2):
        wall, cpu, peak, tally, documents, jobs = measure(scale)
        results[scale] = (wall, cpu, peak, tally)
        print(f"{scale:>4}×  {documents:>9}  {documents * WORDS_PER_DOCUMENT:>9,}  {jobs:>10}  "
              f"{wall:>7.3f}  {cpu:>6.3f}  {peak / 2**20:>8.1f}")  # fmt: skip
    (w1, c1, m1, tally), (w2, c2, m2, _) = results[1], results[2]
    print(f"2× / 1×: wall {w2 / w1:.2f}, CPU {c2 / c1:.2f}, memory {m2 / m1:.2f} (linear ≈ 2)")
    found = ", ".join(f"{k} → {v}: {n}" for (k, v), n in sorted(tally.items()))
    print(f"expected → found at 1×: {found}")
    wrong = sum(n for (expected, found), n in tally.items() if expected != found)
    # CPU time, not wall time, decides: the machine is shared, and other processes' load
    # stretches wall time without saying anything about this code.
    ok = c1 < TARGET_SECONDS and wrong == 0 and c2 / c1 < 2.6 and m2 / m1 < 2.6
    print(f"{'PASS' if ok else 'FAIL'}: < {TARGET_SECONDS:g} s of CPU at 1×, every quotation "
          f"classified as generated ({wrong} not), time and memory linear")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
