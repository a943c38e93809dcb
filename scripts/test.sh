#!/usr/bin/env bash
# The whole test suite on a fresh machine: set up, lint, then pytest (SQLite and PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
.venv/bin/ruff check .
.venv/bin/python -m pytest -n 2 "$@"
