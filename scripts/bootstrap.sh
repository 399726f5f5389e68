#!/usr/bin/env bash
# Create .venv with Python 3.13 or 3.12 and install Counterpoint with its dev extras.
# Re-running is cheap: it reinstalls only when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  local candidate
  for candidate in python3.13 python3.12; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys' >/dev/null 2>&1; then
      command -v "$candidate"; return 0
    fi
  done
  local root
  root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
  for candidate in "$root"/versions/3.13*/bin/python3 "$root"/versions/3.12*/bin/python3 \
                   /usr/bin/python3.13 /usr/bin/python3.12 /usr/local/bin/python3.1[23]; do
    if [ -x "$candidate" ] && "$candidate" -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  if command -v python3 >/dev/null 2>&1 && python3 -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null; then
    command -v python3; return 0
  fi
  return 1
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null; then
  python=$(find_python) || {
    echo "Counterpoint needs Python 3.12 or newer (3.13 preferred); none was found on PATH or in pyenv." >&2
    echo "Install one (for example: pyenv install 3.13) and run this again." >&2
    exit 1
  }
  echo "==> Creating .venv with $python ($("$python" --version))"
  rm -rf .venv
  "$python" -m venv .venv
fi

stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "==> Installing Python packages into .venv"
  # pip's warnings go to a log, shown only when the install fails.
  if ! { .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip &&
         .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'; } 2>.venv/pip.log; then
    cat .venv/pip.log >&2
    exit 1
  fi
  rm -f .venv/.installed-*
  touch "$stamp"
fi
