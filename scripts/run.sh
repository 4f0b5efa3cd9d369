#!/usr/bin/env bash
# Run the site: daphne (HTTP + WebSockets) on $PORT, the Celery worker (runs and index updates)
# and Celery beat (periodic runner reaping). Ctrl-C stops all three.
set -euo pipefail
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_DIR"
PY="$REPO_DIR/.venv/bin/python"
VAR_DIR="${CODEPUSHER_VAR_DIR:-$REPO_DIR/var}"
PORT="${PORT:-8000}"
export DEBUG="${DEBUG:-0}"

pids=()
cleanup() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup INT TERM EXIT

read -r concurrency runs_queue search_queue < <("$PY" -c "from codepusher import settings as s
print(s.RUNNER_CONCURRENCY, s.RUNNER_TASK_QUEUE, s.SEARCH_TASK_QUEUE)")
echo "==> Celery worker (queues: ${runs_queue} x${concurrency}, ${search_queue}) — log: $VAR_DIR/celery.log"
"$PY" -m celery -A codepusher worker -Q "${runs_queue},${search_queue}" -c "$concurrency" --loglevel=INFO \
    >>"$VAR_DIR/celery.log" 2>&1 &
pids+=($!)
echo "==> Celery beat (periodic reaping of runner containers) — log: $VAR_DIR/celery-beat.log"
"$PY" -m celery -A codepusher beat --loglevel=INFO -s "$VAR_DIR/celerybeat-schedule" \
    >>"$VAR_DIR/celery-beat.log" 2>&1 &
pids+=($!)
echo "==> daphne on http://127.0.0.1:${PORT}/ (Ctrl-C stops everything)"
"$PY" -m daphne -b 0.0.0.0 -p "$PORT" codepusher.asgi:application &
pids+=($!)
wait -n "${pids[@]}"
echo "run: a process stopped; stopping the others" >&2
