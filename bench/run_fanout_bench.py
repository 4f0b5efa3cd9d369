"""The transport floor: relaying frames on daphne + Channels vs Node's `ws`, no OT, no database.

    .venv/bin/python bench/run_fanout_bench.py [--clients 4 20 50] [--seconds 10] [--rate 10]

An op of the editing benchmark (`run_ot_bench.py`) costs one received frame and one sent frame
per subscriber. Here both servers do only that: every frame a client sends goes back out to
every client (`bench/fanout_app.py` on daphne, as a Channels consumer and as a bare ASGI
callable; `bench/fanout_ws.mjs` on `ws`, the library the ShareDB reference runs on), under the
same load as the editing benchmark. It shows what the
fixed stack costs per frame before any parsing, transforming or committing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_DIR))

from tests.sessions_app.ot_live import cpu_seconds, free_port, node, serve_daphne  # noqa: E402

CLIENTS = REPO_DIR / "bench" / "fanout_clients.mjs"
NODE_RELAY = REPO_DIR / "bench" / "fanout_ws.mjs"


@contextmanager
def daphne_relay(log_path: Path, application: str) -> Iterator[tuple[str, int]]:
    with serve_daphne(application, dict(os.environ), log_path) as (port, pid):
        yield f"ws://127.0.0.1:{port}/ws/relay/", pid


def channels_relay(log_path: Path) -> AbstractContextManager[tuple[str, int]]:
    return daphne_relay(log_path, "bench.fanout_app:application")


def raw_asgi_relay(log_path: Path) -> AbstractContextManager[tuple[str, int]]:
    return daphne_relay(log_path, "bench.fanout_app:raw_application")


@contextmanager
def node_relay(log_path: Path) -> Iterator[tuple[str, int]]:
    port = free_port()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            ["node", str(NODE_RELAY)], cwd=REPO_DIR, env={**os.environ, "PORT": str(port)},
            stdout=subprocess.PIPE, stderr=log, text=True,
        )  # fmt: skip
    try:
        assert process.stdout is not None
        if process.stdout.readline().strip() != "ready":
            raise RuntimeError(f"node relay did not start: {log_path.read_text()[-2000:]}")
        yield f"ws://127.0.0.1:{port}/ws/relay/", process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


SERVERS = {
    "daphne+channels": channels_relay,
    "daphne raw asgi": raw_asgi_relay,
    "node ws": node_relay,
}


def run(server: str, clients: int, seconds: float, rate: float, logs: Path) -> dict:
    with SERVERS[server](logs / f"{server.replace(' ', '-')}-{clients}.log") as (url, pid):
        config = {"url": url, "clients": clients, "seconds": seconds, "rate": rate, "label": server}
        cpu_before = cpu_seconds(pid)
        result = node(CLIENTS, config, timeout=seconds + 120)
        result["server_cpu_s"] = round(cpu_seconds(pid) - cpu_before, 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[4, 20, 50])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rate", type=float, default=10, help="frames per second per client")
    args = parser.parse_args()
    logs = Path(tempfile.mkdtemp(prefix="fanout-bench-"))
    print(f"load average at start: {os.getloadavg()}, CPUs: {os.cpu_count()}", flush=True)
    rows = []
    for clients in args.clients:
        for server in SERVERS:
            result = run(server, clients, args.seconds, args.rate, logs)
            rows.append(result)
            print(json.dumps({k: v for k, v in result.items() if k != "stderr"}), flush=True)
            time.sleep(1)
    header = (
        f"{'server':<16} {'clients':>7} {'in/s':>6} {'out/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'max ms':>7} {'cpu ms/in':>9} {'cpu us/out':>10} {'lost':>5}"
    )
    print()
    print(header)
    print("-" * len(header))
    for r in rows:
        sent, received = max(1, r["sent"]), max(1, r["received"])
        print(
            f"{r['label']:<16} {r['clients']:>7} {round(r['sent'] / r['seconds']):>6} "
            f"{round(r['received'] / r['seconds']):>7} {r['p50_ms']:>7} {r['p99_ms']:>7} "
            f"{r['max_ms']:>7} {1000 * r['server_cpu_s'] / sent:>9.2f} "
            f"{1e6 * r['server_cpu_s'] / received:>10.1f} {r['sent'] - r['returned']:>5}"
        )
    print(f"\nload average at end: {os.getloadavg()}; server logs: {logs}")


if __name__ == "__main__":
    main()
