#!/usr/bin/env bash
# Install everything and run the whole suite: on SQLite (with the browser tests), then on a
# real PostgreSQL 15 that this script starts and stops itself. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
bash scripts/system-packages.sh
if [ -f package-lock.json ]; then
  npm ci --silent --no-audit --no-fund >/dev/null
fi

# One pytest-xdist worker per core (each with its own test database): the suite is
# CPU-bound, and CI has 2 cores. PYTEST_WORKERS=0 runs in one process.
workers=${PYTEST_WORKERS:-$(nproc)}
export workers
# The reverse-proxy test (tests/publishing/test_varnish.py) must run here, not skip.
export COUNTERPOINT_REQUIRE_VARNISH=1

run_suites() {
  echo "==> Test suite on SQLite ($workers workers)"
  env -u DATABASE_URL COUNTERPOINT_EXPECT_DB=sqlite .venv/bin/python -m pytest -n "$workers" "$@"
  echo "==> Test suite on PostgreSQL (browser tests ran above)"
  DATABASE_URL="$PG_DATABASE_URL" COUNTERPOINT_EXPECT_DB=postgresql \
    .venv/bin/python -m pytest -n "$workers" -m "not browser" "$@"
}
export -f run_suites
bash scripts/with-services.sh bash -c 'run_suites "$@"' run_suites "$@"
