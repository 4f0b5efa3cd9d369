#!/usr/bin/env bash
# The quick loop while coding: every test that needs no Docker engine, browser, Node or live
# server processes (markers docker, browser, node, live), with no setup step. It uses
# DATABASE_URL when set, else SQLite, and the Redis on REDIS_URL. Extra arguments go to pytest:
#   bash scripts/test_fast.sh tests/search -x
set -euo pipefail
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_DIR"
PY="$REPO_DIR/.venv/bin/python"
[ -x "$PY" ] || { echo "test-fast: no .venv yet; run 'make test' (or 'bash scripts/setup.sh test') once" >&2; exit 1; }
exec "$PY" -m pytest -p no:cacheprovider -q -m "not docker and not browser and not node and not live" "$@"
