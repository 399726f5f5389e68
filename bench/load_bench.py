"""Load test: readers on the public article while editors save claims and a publisher republishes.

Bounded and loopback only. Loads the demo content (published) into a fresh PostgreSQL
database, starts gunicorn (2 sync workers, production-like settings, the shared Redis page
cache when REDIS_URL is set) on 127.0.0.1, and for DURATION seconds runs at once:

  readers    `wrk` against the demo article (keep-alive connections, gzip, as browsers)
  editors    EDITORS threads saving the same few claims through review.services.claim_update
             with optimistic locking: each save appends a unique token to the statement;
             on ConflictError the editor re-reads the claim and tries again
  publisher  one thread republishing the essay a few times (essay_publish)

Then it checks: no non-2xx/3xx response and no socket error from wrk, no error in the editor
or publisher loops, and no lost update: every successful save's token is in the final
statement, and each claim's final version is its starting version plus its successful saves
(1 + saves for a claim never saved before). Prints requests/s, latency percentiles,
saves/s, conflicts retried and errors; exit status 1 if any check fails.

Needs PostgreSQL: PG_DATABASE_URL names a server (a database is created and dropped on it);
without it the bench re-runs itself under scripts/with-services.sh, which starts a
throwaway PostgreSQL and Redis. `hammer()` is also used by the test suite's smoke version.

Usage: .venv/bin/python bench/load_bench.py [--duration SECONDS] [--editors K]
       [--connections C] [--publishes P]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_SLUG = "the-quiet-that-was-not-peace"


@dataclass
class Outcome:
    """What the editors and the publisher did, and what went wrong (must stay empty)."""

    saves: int = 0
    conflicts: int = 0
    publishes: int = 0
    reads: int = 0
    errors: list[str] = field(default_factory=list)
    tokens: dict[int, list[str]] = field(default_factory=dict)  # claim id → saved tokens
    start_versions: dict[int, int] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def hammer(
    *,
    claim_ids: list[int],
    editor,
    publisher,
    essay_id: int,
    seconds: float,
    editors: int,
    publishes: int,
    reader: Callable[[], int] | None = None,
    readers: int = 0,
) -> Outcome:
    """Run editors (and optional in-process readers) for `seconds`; check for lost updates.

    Every editor thread cycles through `claim_ids` (all editors on the same claims, so they
    collide), saving `statement + " [token]"` from the version it just read and retrying
    with a fresh read on ConflictError. The publisher republishes `publishes` times, evenly
    spaced. `reader()` returns an HTTP status; anything but 2xx/3xx is an error.
    """
    from django.db import connection

    from essays.models import Claim, Essay
    from publishing.services import essay_publish
    from review.services import claim_update
    from review.workflow import ConflictError

    outcome = Outcome()
    for claim in Claim.objects.filter(pk__in=claim_ids):
        outcome.start_versions[claim.pk] = claim.version
        outcome.tokens[claim.pk] = []
    started = time.monotonic()
    deadline = started + seconds

    def edit(number: int) -> None:
        n = 0
        try:
            while time.monotonic() < deadline:
                claim_id = claim_ids[n % len(claim_ids)]
                token = f"e{number}-{n}-{uuid.uuid4().hex[:6]}"
                n += 1
                while True:
                    claim = Claim.objects.get(pk=claim_id)
                    try:
                        claim_update(
                            claim=claim,
                            actor=editor,
                            expected_version=claim.version,
                            data={"statement": f"{claim.statement} [{token}]"},
                        )
                    except ConflictError:
                        with outcome.lock:
                            outcome.conflicts += 1
                        continue  # someone saved first: read the new version, try again
                    with outcome.lock:
                        outcome.saves += 1
                        outcome.tokens[claim_id].append(token)
                    break
        except Exception as error:  # reported, and fails the run
            with outcome.lock:
                outcome.errors.append(f"editor {number}: {error!r}")
        finally:
            connection.close()

    def publish() -> None:
        try:
            for i in range(publishes):
                due = started + seconds * (i + 1) / (publishes + 1)
                time.sleep(max(0.0, due - time.monotonic()))
                essay_publish(
                    essay=Essay.objects.get(pk=essay_id),
                    actor=publisher,
                    override_reason="load test republish",
                )
                with outcome.lock:
                    outcome.publishes += 1
        except Exception as error:
            with outcome.lock:
                outcome.errors.append(f"publisher: {error!r}")
        finally:
            connection.close()

    def read() -> None:
        try:
            while time.monotonic() < deadline:
                status = reader()
                with outcome.lock:
                    outcome.reads += 1
                    if not 200 <= status < 400:
                        outcome.errors.append(f"reader: HTTP {status}")
        except Exception as error:
            with outcome.lock:
                outcome.errors.append(f"reader: {error!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(editors)]
    threads.append(threading.Thread(target=publish))
    threads += [threading.Thread(target=read) for _ in range(readers if reader else 0)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
        if thread.is_alive():
            outcome.errors.append("a worker thread did not finish")

    for claim in Claim.objects.filter(pk__in=claim_ids):
        saved = outcome.tokens[claim.pk]
        missing = [t for t in saved if f"[{t}]" not in claim.statement]
        expected = outcome.start_versions[claim.pk] + len(saved)
        if missing:
            outcome.lost.append(f"claim {claim.pk}: {len(missing)} saved token(s) missing")
        if claim.version != expected:
            outcome.lost.append(f"claim {claim.pk}: version {claim.version}, expected {expected}")
    return outcome


# --- the stand-alone bench ---------------------------------------------------------------


def _wrk(url: str, seconds: int, connections: int) -> dict:
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "--latency",
         "-H", "Accept-Encoding: gzip", url],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    out = result.stdout
    figures: dict = {"raw": out}
    figures["requests"] = int(re.search(r"(\d+) requests in", out).group(1))
    figures["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["non_2xx"] = int(non_2xx.group(1)) if non_2xx else 0
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    figures["socket_errors"] = sum(map(int, socket_errors.groups())) if socket_errors else 0
    figures["latency"] = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M))
    return figures


def _database(admin_url: str) -> tuple[str, Callable[[], None]]:
    """A fresh database on the server at `admin_url`, and a function that drops it."""
    import psycopg

    name = f"counterpoint_load_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return admin_url.rsplit("/", 1)[0] + f"/{name}", drop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load")
    parser.add_argument("--editors", type=int, default=4, help="concurrent editor threads")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--publishes", type=int, default=3, help="republishes during the run")
    parser.add_argument("--claims", type=int, default=3, help="claims the editors share")
    args = parser.parse_args()
    if not os.environ.get("PG_DATABASE_URL"):
        script = ROOT / "scripts" / "with-services.sh"
        os.execvp("bash", ["bash", str(script), sys.executable, __file__, *sys.argv[1:]])
    if not shutil.which("wrk"):
        print("wrk is missing: run scripts/system-packages.sh", file=sys.stderr)
        return 2

    database_url, drop = _database(os.environ["PG_DATABASE_URL"])
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "CACHE_KEY_PREFIX": f"load-{os.getpid()}",
        "PYTHONPATH": str(ROOT),
        "DB_CONN_MAX_AGE": "600",
        "BENCH_FLOOR_FILE": "/dev/null",
        # gunicorn.conf.py logs every request to stdout; wrk makes thousands.
        "GUNICORN_CMD_ARGS": "--access-logfile=/dev/null",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from bench.article_bench import Gunicorn
    from essays.models import Claim, Essay

    try:
        call_command("migrate", verbosity=0)
        call_command("load_demo", verbosity=0)
        essay = Essay.objects.get(slug=DEMO_SLUG)
        claim_ids = list(
            Claim.objects.filter(section__essay=essay).order_by("pk").values_list("pk", flat=True)
        )[: args.claims]
        users = get_user_model().objects
        editor, publisher = users.get(username="editor"), users.get(username="publisher")
        server = Gunicorn(env, "default")
        try:
            url = server.url(f"/essays/{DEMO_SLUG}/")
            wrk_result: dict = {}
            readers = threading.Thread(
                target=lambda: wrk_result.update(_wrk(url, args.duration, args.connections))
            )
            started = time.monotonic()
            readers.start()
            outcome = hammer(
                claim_ids=claim_ids,
                editor=editor,
                publisher=publisher,
                essay_id=essay.pk,
                seconds=args.duration,
                editors=args.editors,
                publishes=args.publishes,
            )
            readers.join(timeout=args.duration + 30)
            elapsed = time.monotonic() - started
        finally:
            server.stop()
    finally:
        drop()

    errors = wrk_result.get("non_2xx", 1) + wrk_result.get("socket_errors", 0)
    errors += len(outcome.errors)
    latency = wrk_result.get("latency", {})
    print(
        f"Load: {args.duration} s on 127.0.0.1; gunicorn 2 sync workers on PostgreSQL, "
        f"wrk -t2 -c{args.connections} on the demo article; {args.editors} editors on "
        f"{len(claim_ids)} shared claims; {outcome.publishes} republishes."
    )
    print(
        f"readers    {wrk_result.get('requests', 0):>7} requests, "
        f"{wrk_result.get('rps', 0):.0f} req/s, latency p50 {latency.get('50', '?')}, "
        f"p75 {latency.get('75', '?')}, p90 {latency.get('90', '?')}, "
        f"p99 {latency.get('99', '?')}; non-2xx/3xx {wrk_result.get('non_2xx', '?')}, "
        f"socket errors {wrk_result.get('socket_errors', '?')}"
    )
    print(
        f"editors    {outcome.saves:>7} saves, {outcome.saves / elapsed:.0f} saves/s, "
        f"{outcome.conflicts} conflicts retried"
    )
    print(f"lost updates {len(outcome.lost)}; errors {errors}")
    for problem in [*outcome.errors, *outcome.lost]:
        print(f"  {problem}")
    return 1 if errors or outcome.lost or not outcome.saves else 0


if __name__ == "__main__":
    sys.exit(main())
