#!/usr/bin/env bash
# Install everything, build the demo database on SQLite and serve it at http://127.0.0.1:8000/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export DJANGO_SETTINGS_MODULE=config.settings.local
# Links in pages, feeds and the sitemap are built at publish time from this address.
export COUNTERPOINT_SITE_URL=${COUNTERPOINT_SITE_URL:-http://127.0.0.1:8000/}
.venv/bin/python manage.py migrate --no-input
.venv/bin/python manage.py load_demo --reset-passwords
echo "==> Serving Counterpoint at http://127.0.0.1:8000/ (admin at /admin/); Ctrl-C stops it."
exec .venv/bin/python manage.py runserver 127.0.0.1:8000
