#!/usr/bin/env bash
# Build the demo in a throwaway SQLite database, serve it, and save screenshots of the
# published demo article at 1400 px and 390 px wide to docs/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
workdir=$(mktemp -d /tmp/counterpoint-shots.XXXXXX)
export DJANGO_SETTINGS_MODULE=config.settings.local
export DATABASE_URL="sqlite:///$workdir/demo.sqlite3"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py load_demo >/dev/null
# An imported essay, so the claim candidates list has sentences to decide.
.venv/bin/python manage.py import_essay tests/fixtures/essays/long_siege.txt --user editor >/dev/null
# Known passwords for the throwaway database, so the script can sign in as each role.
export SHOTS_PASSWORD=$(python3 -c 'import secrets; print(secrets.token_urlsafe(12))')
.venv/bin/python manage.py shell -c "
import os
from django.contrib.auth import get_user_model
for user in get_user_model().objects.filter(username__in=['editor', 'reviewer', 'publisher']):
    user.set_password(os.environ['SHOTS_PASSWORD']); user.save()
"
.venv/bin/python manage.py runserver "127.0.0.1:$port" --noreload >"$workdir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$workdir"' EXIT
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/robots.txt" >/dev/null 2>&1 && break
  sleep 0.1
done
.venv/bin/python scripts/screenshots.py "http://127.0.0.1:$port/essays/the-quiet-that-was-not-peace/" docs
.venv/bin/python scripts/screenshots.py --admin "http://127.0.0.1:$port" docs
