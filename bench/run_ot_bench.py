"""Run the collaborative-typing benchmark against our server and the official ShareDB server.

    .venv/bin/python bench/run_ot_bench.py [--clients 4 20 50] [--seconds 20] [--rate 10]
                                           [--processes 1 2]

Ours: daphne on a fresh PostgreSQL database (created and dropped here; or a SQLite file with
--database sqlite) with the Redis channel layer, as one process or as several sharing the
database and Redis, the clients spread over them in turn (`--processes 2`: how a deployment
with one daphne per core behaves when every process commits to one document); every
acknowledged op is a committed row in the database (checked after each run). Reference: `bench/sharedb_server.mjs`, sharedb's
Backend with its in-memory database, and with every op persisted in a fresh PostgreSQL database
through the sharedb-postgres adapter. All are driven by `bench/bench_ot.mjs` (the real sharedb
client) in the same invocation.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_DIR))

from tests.sessions_app.ot_live import (  # noqa: E402
    DAPHNE_PIDS,
    cpu_seconds,
    daphne,
    free_port,
    node,
    postgres_database,
    read_document,
    seed_session,
    sqlite_database,
)

BENCH = REPO_DIR / "bench" / "bench_ot.mjs"
SHAREDB_SERVER = REPO_DIR / "bench" / "sharedb_server.mjs"


@contextlib.contextmanager
def ours_servers(database_url: str, processes: int, logs: Path, tag: str):
    """`processes` daphne processes on one database; yields their ws URLs and pids."""
    with contextlib.ExitStack() as servers:
        urls = [
            servers.enter_context(daphne(database_url, logs / f"daphne-{tag}-{n}.log"))
            for n in range(processes)
        ]
        yield urls, [DAPHNE_PIDS[url] for url in urls]


def drive(config: dict, pids: list[int], seconds: float) -> dict:
    """Run the sharedb clients with `config`; adds the servers' CPU seconds meanwhile."""
    cpu_before = sum(map(cpu_seconds, pids))
    result = node(BENCH, config, timeout=seconds + 180)
    result["server_cpu_s"] = round(sum(map(cpu_seconds, pids)) - cpu_before, 2)
    return result


def run_ours(
    clients: int, seconds: float, rate: float, logs: Path, database: str, processes: int = 1
) -> dict:
    db = sqlite_database(logs) if database == "sqlite" else postgres_database("cp_ot_bench")
    label = f"ours/{database}" + (f" x{processes}" if processes > 1 else "")
    with db as database_url:
        seeded = seed_session(database_url, users=min(clients, 10))
        with ours_servers(database_url, processes, logs, str(clients)) as (urls, pids):
            config = {"urls": urls, "cookies": seeded["cookies"], "doc": seeded["session"]}
            config.update(clients=clients, seconds=seconds, rate=rate, label=label)
            result = drive(config, pids, seconds)
        stored = read_document(database_url, seeded["session"])
        result["stored_version"] = stored["v"]
        result["persisted"] = stored["ops"] == stored["v"] == result.get("final_version")
    return result


def run_sharedb(clients: int, seconds: float, rate: float, logs: Path, database: str) -> dict:
    config = {"doc": "bench", "clients": clients, "seconds": seconds, "rate": rate}
    if database == "memory":
        return sharedb_run(config, logs, database_url=None)
    with postgres_database("cp_sharedb_bench") as database_url:
        result = sharedb_run(config, logs, database_url=database_url)
        result["persisted"] = sharedb_stored_ops(database_url, ["bench"]) == result.get(
            "final_version"
        )
    return result


def sharedb_run(config: dict, logs: Path, database_url: str | None) -> dict:
    """The reference ShareDB server with `config`'s document(s), driven by the same clients."""
    port = free_port()
    label = "sharedb/postgresql" if database_url else "sharedb/memory"
    docs = config.get("docs") or [config["doc"]]
    log = (logs / f"{label.replace('/', '-')}-{len(docs)}-{config['clients']}.log").open("w")
    env = {**os.environ, "PORT": str(port), "DOCS": ",".join(docs)}
    if database_url:
        env["DATABASE_URL"] = database_url
    process = subprocess.Popen(
        ["node", str(SHAREDB_SERVER)],
        cwd=REPO_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        config = {**config, "urls": [f"ws://127.0.0.1:{port}/ws/ot/"], "cookies": []}
        result = drive({**config, "label": label}, [process.pid], config["seconds"])
        result["persisted"] = "memory only"
        return result
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def sharedb_stored_ops(database_url: str, docs: list[str]) -> int:
    """How many ops sharedb-postgres stored for these documents."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT count(*) FROM ops WHERE doc_id = ANY(%s)", (docs,)).fetchone()
    return row[0] if row else 0


def cpu_per_commit(result: dict) -> float:
    """Server CPU time per committed version: the cost of an op, less sensitive to load."""
    return round(1000 * result["server_cpu_s"] / max(1, result["commits"]), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[4, 20, 50])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=float, default=10, help="keystrokes per second per client")
    parser.add_argument(
        "--database",
        nargs="*",
        choices=["postgresql", "sqlite"],
        default=["postgresql"],
        help="databases to run our server on (each op is committed before its ack; none: skip)",
    )
    parser.add_argument(
        "--sharedb",
        nargs="*",
        choices=["memory", "postgresql"],
        default=["memory", "postgresql"],
        help="databases to run the reference ShareDB server on (none: only ours)",
    )
    parser.add_argument(
        "--processes",
        type=int,
        nargs="+",
        default=[1],
        help="numbers of daphne processes to run ours as (the clients spread over them)",
    )
    args = parser.parse_args()
    logs = Path(tempfile.mkdtemp(prefix="ot-bench-"))
    print(f"load average at start: {os.getloadavg()}, CPUs: {os.cpu_count()}", flush=True)
    rows = []
    for clients in args.clients:
        runs = [
            functools.partial(run_ours, database=db, processes=n)
            for db in args.database
            for n in args.processes
        ]
        runs += [functools.partial(run_sharedb, database=db) for db in args.sharedb]
        for run in runs:
            result = run(clients, args.seconds, args.rate, logs)
            rows.append(result)
            print(json.dumps({k: v for k, v in result.items() if k != "stderr"}), flush=True)
            time.sleep(1)
    header = (
        f"{'server':<21} {'clients':>7} {'keys/s':>7} {'acked/s':>8} {'commits/s':>9} "
        f"{'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'cpu ms/commit':>13} {'errors':>6} "
        f"{'converged':>9} persisted"
    )
    print()
    print(header)
    print("-" * len(header))
    for r in rows:
        if "error" in r:
            print(f"{r.get('label', '?'):<21} failed: {r['error'][:200]}")
            continue
        print(
            f"{r['label']:<21} {r['clients']:>7} {round(r['keystrokes'] / r['seconds']):>7} "
            f"{r['acked_per_s']:>8} {r['commits_per_s']:>9} {r['p50_ms']:>7} {r['p99_ms']:>7} "
            f"{r['max_ms']:>7} {cpu_per_commit(r):>13} {r['errors']:>6} "
            f"{str(r['converged']):>9} {r['persisted']}"
        )
    print(f"\nload average at end: {os.getloadavg()}; server logs: {logs}")


if __name__ == "__main__":
    main()
