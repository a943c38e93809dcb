#!/usr/bin/env bash
# The main job on a fresh machine: install, ingest the sample corpus into ./projektatlas.db,
# then serve the web app at http://127.0.0.1:8000 (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PROJEKTATLAS_DB=${PROJEKTATLAS_DB:-sqlite:///projektatlas.db}
.venv/bin/projektatlas ingest examples/corpus || echo "(some files could not be ingested: see above)"
.venv/bin/projektatlas list
if .venv/bin/projektatlas serve --help >/dev/null 2>&1; then
  exec .venv/bin/projektatlas serve --host 127.0.0.1 --port "${PORT:-8000}"
fi
