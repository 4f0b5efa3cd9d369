#!/usr/bin/env bash
# Set up and run everything that checks the code: lint (ruff), types (mypy), the front-end unit
# tests (node --test), front-end lint (eslint) and the whole pytest suite against the real
# services: PostgreSQL (when it answers on 127.0.0.1:5432, else SQLite), Redis, the Docker engine,
# Chromium and Node.
set -euo pipefail
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_DIR"
bash scripts/setup.sh test
PY="$REPO_DIR/.venv/bin/python"

if [ -z "${DATABASE_URL:-}" ]; then
    if "$PY" -c "import psycopg; psycopg.connect('postgresql://postgres@127.0.0.1:5432/postgres', connect_timeout=3).close()" 2>/dev/null; then
        export DATABASE_URL="postgres://postgres@127.0.0.1:5432/codepusher"
    fi
fi
echo
echo "==> Lint (ruff)"
"$REPO_DIR/.venv/bin/ruff" check .
"$REPO_DIR/.venv/bin/ruff" format --check . >/dev/null || { "$REPO_DIR/.venv/bin/ruff" format --check .; exit 1; }
echo "    clean"
echo
echo "==> Types (mypy, mypy.ini)"
"$REPO_DIR/.venv/bin/mypy"
echo
echo "==> Front-end unit tests (node --test)"
npm test --silent </dev/null
echo
echo "==> Front-end lint (eslint, eslint.config.mjs)"
npm run --silent lint </dev/null
echo "    clean"
echo
echo "==> Tests (database: ${DATABASE_URL:-SQLite})"
exec "$PY" -m pytest -p no:cacheprovider "$@"
