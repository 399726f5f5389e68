"""Benchmark the public article page on an essay the size of a real one.

Generates an essay of 10,000 words with 150 quotations, 150 claims and 300 counter-evidence
items in a throwaway SQLite database, publishes it, then measures in one run, with `wrk`
against gunicorn (2 sync workers on 127.0.0.1), as ratios:

  app gzip / identity   the article page from the app alone, for clients that accept gzip
                        and for those that do not, against
  floor gzip / identity a trivial view in the same project, behind the same middleware,
                        returning the same bytes from memory (the Django floor)
  304                   a revalidation (If-None-Match with the page's ETag)
  varnish               the page through Varnish (deploy/varnish.vcl) in front of the app,
                        when varnishd is installed

It also prints the page's bytes, bytes per claim and the markup a claim costs beyond its
words (its mark, marker and evidence card), and staff preview and publish time for essays
of 10, 100 and 1,000 claims. Exit status 1 if a target is missed (app ≥ 0.7× the floor in
each encoding; Varnish ≥ 3× the floor; ≤ 1,500 bytes of markup per claim; a preview of
1,000 claims in ≤ 200 ms).

Usage: .venv/bin/python bench/article_bench.py [--duration SECONDS] [--rounds N]
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS, QUOTATIONS, CLAIMS, EVIDENCE_PER_CLAIM, SECTIONS = 10_000, 150, 150, 2, 20
VOCABULARY = (
    "the council said road valley monitor convoy ceasefire report militia border province "
    "minister observers crossing checkpoint residents shelling trucks accord district "
    "according officials counted returned displaced families evidence against claims week "
    "months later before after during under through across nearby official statement"
).split()
TARGETS = {"app gzip": 0.7, "app identity": 0.7, "varnish": 3.0}
MARKUP_PER_CLAIM_GOAL = 1500  # bytes of tags and attributes per claim (mark, marker, card)
PREVIEW_GOAL_MS = 200  # staff preview of a 1,000-claim essay
sys.path.insert(0, str(ROOT))
from tests.proxy import VARNISHD, free_port, varnish  # noqa: E402 - needs the project on the path


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


def measure_in_process(path: str, repeats: int = 60, **headers) -> tuple[float, int, bytes]:
    """Median milliseconds per request and SQL queries of the last request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers=headers)
    times, queries, content = [], 0, b""
    client.get(path)
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 304), (path, response.status_code)
        queries, content = len(ctx), response.content
    return statistics.median(times), queries, content


def median_seconds(action, *args, repeats: int = 3, **kwargs) -> float:
    """The median of `repeats` timings of `action(*args, **kwargs)`: warm, as a running
    server serves it."""
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        action(*args, **kwargs)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def staff_times() -> list[tuple[int, int, float, float, float, int]]:
    """For essays of 10, 100 and 1,000 claims (50 to a section, every claim still in
    review, so each one blocks publishing): sections, seconds for a staff preview, for the
    admin essay page and its SQL queries, and to publish."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from essays.choices import ClaimStatus, Verdict
    from essays.models import Claim
    from publishing.services import essay_publish, essay_render_preview
    from tests.publishing.builders import big_essay

    publisher = get_user_model().objects.get(username="bench")
    staff = Client()
    staff.force_login(publisher)
    rows = []
    for n in (10, 100, 1000):
        essay = big_essay(n)
        preview = median_seconds(essay_render_preview, essay=essay)
        claims = Claim.objects.filter(section__essay=essay)
        claims.update(status=ClaimStatus.IN_REVIEW, verdict="")
        page = f"/admin/essays/essay/{essay.pk}/change/"
        staff.get(page)
        admin_page = median_seconds(staff.get, page)
        with CaptureQueriesContext(connection) as queries:
            staff.get(page)
        claims.update(status=ClaimStatus.APPROVED, verdict=Verdict.MISLEADING)
        started = time.perf_counter()
        essay_publish(essay=essay, actor=publisher)
        publish = time.perf_counter() - started
        rows.append((n, essay.sections.count(), preview, admin_page, publish, len(queries)))
    return rows


def wrk(url: str, duration: int, headers: dict) -> float:
    header = [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
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


class Server:
    """A process listening on 127.0.0.1:port, stopped with stop()."""

    def __init__(self, command: list[str], env: dict, port: int) -> None:
        self.port = port
        self.process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
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


def gunicorn(env: dict) -> Server:
    port = free_port()
    return Server(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--worker-class", "sync",
         "--log-level", "warning", "--config", "/dev/null"],
        env, port,
    )  # fmt: skip


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
    import django

    django.setup()
    from django.core.management import call_command

    gzip_headers, identity_headers = {"Accept-Encoding": "gzip"}, {"Accept-Encoding": "identity"}
    try:
        call_command("migrate", verbosity=0)
        slug, publish_seconds = generate_essay()
        article = f"/essays/{slug}/"
        gzip_ms, gzip_queries, zipped = measure_in_process(article, **gzip_headers)
        identity_ms, identity_queries, page = measure_in_process(article, **identity_headers)
        assert gzip.decompress(zipped) == page
        Path(f"{floor_file}.gzip").write_bytes(zipped)
        Path(f"{floor_file}.identity").write_bytes(page)
        etag = etag_of(article)
        rows = {
            "app gzip": (gzip_ms, gzip_queries),
            "app identity": (identity_ms, identity_queries),
            "304": measure_in_process(article, **gzip_headers, **{"If-None-Match": etag})[:2],
            "floor gzip": measure_in_process("/bench/floor/gzip/", **gzip_headers)[:2],
            "floor identity": measure_in_process("/bench/floor/identity/")[:2],
        }
        timings = staff_times()

        app = gunicorn(env)
        urls = {
            "app gzip": (app.url(article), gzip_headers),
            "app identity": (app.url(article), identity_headers),
            "304": (app.url(article), {**gzip_headers, "If-None-Match": etag}),
            "floor gzip": (app.url("/bench/floor/gzip/"), gzip_headers),
            "floor identity": (app.url("/bench/floor/identity/"), identity_headers),
        }
        try:
            with ExitStack() as running:
                if VARNISHD:
                    proxy = running.enter_context(varnish([app.port], workdir, memory="256m"))
                    urls["varnish"] = (f"http://127.0.0.1:{proxy}{article}", gzip_headers)
                # Targets measured in interleaved rounds so machine noise hits all alike.
                samples: dict[str, list[float]] = {name: [] for name in urls}
                for _ in range(args.rounds):
                    for name, (target, headers) in urls.items():
                        samples[name].append(wrk(target, args.duration, headers))
        finally:
            app.stop()
        rps = {name: statistics.median(values) for name, values in samples.items()}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    from tests.publishing.pageweight import claim_markup_per_claim

    markup = claim_markup_per_claim(page.decode())
    print(
        f"Essay: {WORDS:,} words, {QUOTATIONS} quotations, {CLAIMS} claims, "
        f"{CLAIMS * EVIDENCE_PER_CLAIM} counter-evidence items; page {len(page) / 1024:.0f} KiB "
        f"({len(zipped) / 1024:.0f} KiB gzipped), {len(page) / CLAIMS / 1024:.1f} KiB per claim "
        f"all told, of which {markup:,.0f} bytes of markup per claim beyond its words "
        f"(goal ≤ {MARKUP_PER_CLAIM_GOAL:,}); publish (snapshot + render) {publish_seconds:.2f} "
        f"s; gunicorn 2 sync workers, wrk -t2 -c4 -d{args.duration}s on 127.0.0.1, median "
        f"of {args.rounds} interleaved rounds."
    )
    floor_of = {"app gzip": "floor gzip", "app identity": "floor identity", "304": "floor gzip",
                "varnish": "floor gzip", "floor gzip": "floor gzip",
                "floor identity": "floor identity"}  # fmt: skip
    print(f"{'target':<16}{'median in-process, × floor':>28}{'SQL queries':>13}"
          f"{'req/s, × floor':>16}{'goal':>12}")  # fmt: skip
    failed = False
    for name, value in rps.items():
        floor = floor_of[name]
        ratio = value / rps[floor]
        ms, queries = rows.get(name, (None, None))
        in_process = f"{ms / rows[floor][0]:>27.2f}×" if ms else f"{'—':>28}"
        goal = TARGETS.get(name)
        verdict = "" if goal is None else (f"≥{goal}" + (" ok" if ratio >= goal else " MISSED"))
        failed |= goal is not None and ratio < goal
        print(f"{name:<16}{in_process}{queries if queries is not None else '—':>13}"
              f"{ratio:>15.2f}×{verdict:>12}")  # fmt: skip
    absolute = ", ".join(f"{name} {value:.0f}" for name, value in rps.items())
    print(f"(absolute req/s, this machine only: {absolute})")
    if not VARNISHD:
        print("(Varnish not measured: varnishd is missing; scripts/system-packages.sh installs it)")
    print(f"claims  sections  staff preview  admin essay page (queries)  publish   "
          f"(goal: preview of 1,000 ≤ {PREVIEW_GOAL_MS} ms)")  # fmt: skip
    for n, sections, preview, admin_page, publish, queries in timings:
        print(f"{n:>6}{sections:>10}{preview * 1000:>12.0f} ms{admin_page * 1000:>19.0f} ms "
              f"({queries}){publish * 1000:>12.0f} ms")  # fmt: skip
    preview_ms = timings[-1][2] * 1000
    failed |= markup > MARKUP_PER_CLAIM_GOAL or preview_ms > PREVIEW_GOAL_MS
    if markup > MARKUP_PER_CLAIM_GOAL:
        print(f"MISSED: {markup:,.0f} bytes of markup per claim")
    if preview_ms > PREVIEW_GOAL_MS:
        print(f"MISSED: preview of 1,000 claims took {preview_ms:.0f} ms")
    return 1 if failed else 0


def etag_of(path: str) -> str:
    from django.test import Client

    return Client(headers={"Accept-Encoding": "gzip"}).get(path)["ETag"]


if __name__ == "__main__":
    sys.exit(main())
