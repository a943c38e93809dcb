#!/usr/bin/env bash
# Prepare a fresh machine: a virtualenv in .venv with Projektatlas installed.
#   bash scripts/setup.sh          the app
#   bash scripts/setup.sh --dev    the app, the test tools, Debian's Chromium and axe-core
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)
extra=""
[ "${1:-}" = "--dev" ] && extra="[dev]"
if [ ! -f "$stamp$extra" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".$extra"
  touch "$stamp$extra"
fi
if [ "${1:-}" = "--dev" ]; then
  # Browser tests use Debian's Chromium (browser downloads are blocked here).
  if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null) \
      || echo "setup: could not install chromium; browser tests will be skipped" >&2
  fi
  # The accessibility check injects axe-core from the npm registry.
  if [ ! -f node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null; then
    npm install --silent --no-audit --no-fund >/dev/null 2>&1 \
      || echo "setup: could not install axe-core; the accessibility check will be skipped" >&2
  fi
  # The PostgreSQL tests need the local server; start it if it is installed but stopped.
  if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1; then
    if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    fi
  fi
fi
