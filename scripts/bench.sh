#!/usr/bin/env bash
# Run every benchmark and print its figures. Each script says what it measures; the recorded
# figures, with the command that produced each, are in docs/benchmarks.md.
#   scripts/bench.sh            all of them
#   scripts/bench.sh ot runner  some of them (ot-type, ot, sessions, fanout, runner, chat,
#                               search, replay)
set -euo pipefail
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_DIR"
PY="$REPO_DIR/.venv/bin/python"
export DJANGO_SETTINGS_MODULE=codepusher.settings

declare -A BENCHES=(
    [ot-type]="$PY bench/bench_ot_type.py"
    [ot]="$PY bench/run_ot_bench.py"
    [runner]="$PY bench/bench_runner.py"
    [chat]="$PY bench/bench_chat.py"
    [search]="$PY bench/bench_search.py"
    [replay]="$PY bench/bench_replay.py"
    [fanout]="$PY bench/run_fanout_bench.py"
    [sessions]="$PY bench/run_sessions_bench.py"
)
ORDER=(ot-type ot sessions fanout runner chat search replay)
selected=("$@")
[ ${#selected[@]} -eq 0 ] && selected=("${ORDER[@]}")
for name in "${selected[@]}"; do
    command="${BENCHES[$name]:-}"
    [ -n "$command" ] || { echo "bench: unknown benchmark '$name' (one of: ${ORDER[*]})" >&2; exit 2; }
    echo
    echo "==> $name: $command"
    $command
done
