"""Benchmark the public article page on an essay the size of a real one.

Generates an essay of 10,000 words with 150 quotations, 150 claims and 300 counter-evidence
items in a throwaway SQLite database, publishes it, then measures three targets in one run:

  uncached  the article page with its cache empty and disabled (DummyCache)
  cached    the article page served from the shared page cache
  floor     a trivial view in the same project, behind the same middleware, returning the
            same bytes from memory

For each: median in-process render time and SQL queries (Django test client), and requests
per second from gunicorn (2 sync workers on 127.0.0.1) under a bounded `wrk` run. The
cache is Redis when REDIS_URL is set (`make bench` starts one), else local memory.
Requests ask for gzip, as browsers do: the page is stored gzipped at publish time, and the
floor returns those same bytes with the same Content-Encoding. Figures are reported as
ratios to the floor. Exit status 1 if a target is missed
(cached ≥ 0.8× floor, uncached ≥ 0.5× floor).

Usage: .venv/bin/python bench/article_bench.py [--duration SECONDS] [--rounds N]
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS, QUOTATIONS, CLAIMS, EVIDENCE_PER_CLAIM, SECTIONS = 10_000, 150, 150, 2, 20
VOCABULARY = (
    "the council said road valley monitor convoy ceasefire report militia border province "
    "minister observers crossing checkpoint residents shelling trucks accord district "
    "according officials counted returned displaced families evidence against claims week "
    "months later before after during under through across nearby official statement"
).split()
TARGETS = {"cached": 0.8, "uncached": 0.5}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(n))


def generate_essay():
    """Create and publish the benchmark essay; return its slug."""
    from django.contrib.auth import get_user_model

    from essays.models import Claim, Essay, Quotation, Section
    from publishing.services import essay_publish
    from review.choices import ClaimStatus, Stance, Verdict
    from review.models import CounterEvidence
    from sources.models import Outlet, Person, Source

    rng = random.Random(20261124)
    outlets = [Outlet.objects.create(name=f"Bench Outlet {i}") for i in range(10)]
    people = [Person.objects.create(name=f"Bench Speaker {i}") for i in range(20)]
    sources = [
        Source.objects.create(
            title=f"Bench source {i}: {words(rng, 6)}",
            outlet=outlets[i % 10],
            url=f"https://bench.example.org/source-{i}",
            archived_url=f"https://archive.example.org/bench/source-{i}",
        )
        for i in range(60)
    ]
    essay = Essay.objects.create(
        title="A benchmark essay the size of a real one",
        slug="bench-essay",
        byline="by Bench Author",
        dek=words(rng, 30),
        canonical_url="https://origin.example.org/bench-essay",
    )
    essay.tags.add("benchmark")
    verdicts = [v for v in Verdict.values]
    stances = [s for s in Stance.values]
    words_per_section = WORDS // SECTIONS
    quotes, claims = [], []
    for position in range(SECTIONS):
        n_quotes = sum(1 for i in range(QUOTATIONS) if i % SECTIONS == position)
        n_claims = sum(1 for i in range(CLAIMS) if i % SECTIONS == position)
        paragraphs, offset, spent = [], 0, 0
        plan = ["quote"] * n_quotes + ["claim"] * n_claims
        rng.shuffle(plan)
        spans = []
        per_item = words_per_section // max(1, len(plan))
        for kind in plan:
            lead = words(rng, per_item - 12).capitalize()
            inner = words(rng, 10)
            if kind == "quote":
                paragraph = f"{lead} “{inner}”, {words(rng, 2)} said."
                start = offset + len(lead) + 2
            else:
                paragraph = f"{lead}. {inner.capitalize()}."
                start = offset + len(lead) + 2
                inner = inner.capitalize() + "."
            spans.append((kind, start, inner))
            paragraphs.append(paragraph)
            offset += len(paragraph) + 2
            spent += per_item
        body = "\n\n".join(paragraphs)
        section = Section.objects.create(
            essay=essay, position=position, heading=f"Part {position + 1}", body=body
        )
        for kind, start, inner in spans:
            assert body[start : start + len(inner)] == inner
            if kind == "quote":
                quotes.append(
                    Quotation(
                        section=section,
                        start=start,
                        end=start + len(inner),
                        text=inner,
                        speaker=rng.choice(people),
                        source=rng.choice(sources),
                    )
                )
            else:
                claims.append(
                    Claim(
                        section=section,
                        start=start,
                        end=start + len(inner),
                        exact=inner,
                        statement=inner,
                        short_statement=inner[:70],
                        status=ClaimStatus.APPROVED,
                        verdict=rng.choice(verdicts),
                        verdict_summary=f"We checked: **{words(rng, 25)}**.",
                    )
                )
    for quotation in quotes:
        quotation.outlet_id = quotation.source.outlet_id
    Quotation.objects.bulk_create(quotes)
    claims = Claim.objects.bulk_create(claims)
    CounterEvidence.objects.bulk_create(
        CounterEvidence(
            claim=claim,
            source=rng.choice(sources),
            stance=rng.choice(stances),
            summary=words(rng, 45),
            approved=True,
            position=i,
        )
        for claim in claims
        for i in range(EVIDENCE_PER_CLAIM)
    )
    publisher = get_user_model().objects.create_superuser("bench", password=None)
    started = time.perf_counter()
    revision = essay_publish(essay=essay, actor=publisher)
    return revision.slug, time.perf_counter() - started


def measure_in_process(path: str, cache_alias: str, repeats: int = 60) -> tuple[float, int, bytes]:
    """Median milliseconds per request and SQL queries of the last request."""
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(headers={"Accept-Encoding": "gzip"})
    times, queries, content = [], 0, b""
    with override_settings(COUNTERPOINT_PAGE_CACHE=cache_alias):
        caches[cache_alias].clear()
        client.get(path)  # warm: the cached target measures hits
        for _ in range(repeats):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            queries, content = len(ctx), response.content
    return statistics.median(times), queries, content


def wrk(url: str, duration: int) -> float:
    header = ["-H", "Accept-Encoding: gzip"]  # as every browser sends
    subprocess.run(["wrk", "-t2", "-c4", "-d1s", *header, url], check=True, capture_output=True)
    result = subprocess.run(
        ["wrk", "-t2", "-c4", f"-d{duration}s", "--timeout", "5s", *header, url],
        check=True,
        capture_output=True,
        text=True,
    )
    match = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if not match or errors:
        raise RuntimeError(f"wrk failed for {url}:\n{result.stdout}")
    return float(match.group(1))


class Gunicorn:
    def __init__(self, env: dict, page_cache: str) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application",
             "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--worker-class", "sync",
             "--log-level", "warning", "--config", "/dev/null"],
            env={**env, "BENCH_PAGE_CACHE": page_cache}, cwd=ROOT,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(self.url("/robots.txt"), timeout=2).read()
                return
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise
                time.sleep(0.1)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=3, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per target")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is missing: run scripts/system-packages.sh", file=sys.stderr)
        return 2

    workdir = Path(tempfile.mkdtemp(prefix="counterpoint-bench-"))
    floor_file = workdir / "floor.html"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "BENCH_FLOOR_FILE": str(floor_file),
        "CACHE_KEY_PREFIX": f"bench-{os.getpid()}",
        "PYTHONPATH": str(ROOT),
        # Persistent database connections, as production runs (DB_CONN_MAX_AGE).
        "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "600"),
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
        slug, publish_seconds = generate_essay()
        article = f"/essays/{slug}/"
        uncached_ms, uncached_queries, content = measure_in_process(article, "off")
        cached_ms, cached_queries, cached_content = measure_in_process(article, "default")
        assert cached_content == content
        floor_file.write_bytes(content)
        floor_ms, floor_queries, floor_content = measure_in_process("/bench/floor/", "default")
        assert floor_content == content
        backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]

        # Both servers up at once (an idle one costs nothing); targets measured in
        # interleaved rounds so machine noise hits all three alike; median per target.
        servers = {"off": Gunicorn(env, "off"), "default": Gunicorn(env, "default")}
        urls = {
            "uncached": servers["off"].url(article),
            "cached": servers["default"].url(article),
            "floor": servers["default"].url("/bench/floor/"),
        }
        samples: dict[str, list[float]] = {name: [] for name in urls}
        try:
            for _ in range(args.rounds):
                for name, target in urls.items():
                    samples[name].append(wrk(target, args.duration))
        finally:
            for server in servers.values():
                server.stop()
        rps = {name: statistics.median(values) for name, values in samples.items()}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    rows = {
        "uncached": (uncached_ms, uncached_queries),
        "cached": (cached_ms, cached_queries),
        "floor": (floor_ms, floor_queries),
    }
    print(
        f"Essay: {WORDS:,} words, {QUOTATIONS} quotations, {CLAIMS} claims, "
        f"{CLAIMS * EVIDENCE_PER_CLAIM} counter-evidence items; "
        f"page {len(gzip.decompress(content)) / 1024:.0f} KiB "
        f"({len(content) / 1024:.0f} KiB gzipped); "
        f"publish (snapshot + render) {publish_seconds:.2f} s; cache backend {backend}; "
        f"gunicorn 2 sync workers, wrk -t2 -c4 -d{args.duration}s on 127.0.0.1, "
        f"median of {args.rounds} interleaved rounds."
    )
    print(f"{'target':<10}{'median render, × floor':>24}{'SQL queries':>13}"
          f"{'req/s, × floor':>16}{'goal':>10}")  # fmt: skip
    failed = False
    for name, (ms, queries) in rows.items():
        ratio = rps[name] / rps["floor"]
        goal = TARGETS.get(name)
        verdict = "" if goal is None else (f"≥{goal}" + (" ok" if ratio >= goal else " MISSED"))
        failed |= goal is not None and ratio < goal
        print(f"{name:<10}{ms / floor_ms:>23.2f}×{queries:>13}{ratio:>15.2f}×{verdict:>10}")
    absolute = ", ".join(f"{name} {value:.0f}" for name, value in rps.items())
    print(f"(absolute req/s, this machine only: {absolute})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
