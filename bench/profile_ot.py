"""Where a committed op's server CPU goes: py-spy samples of our daphne under the typing load.

    .venv/bin/python bench/profile_ot.py [--sessions 10] [--typists 2] [--seconds 20]
                                         [--rate 5] [--python-only]

Runs the many-sessions load (`bench/run_sessions_bench.py`: N sessions, 2 typists each, every
op committed to PostgreSQL) against one daphne process while ``py-spy record`` samples it
(``pip install py-spy``; root, or ptrace allowed) with C frames (``--native``), so samples of a
thread waiting in poll/epoll/a futex are left out. Each other sample is charged to the innermost
frame that belongs to a known layer (JSON, the WebSocket framing, the channel layer, the
database driver, thread hops, ...); time in the kernel's send() is its own row, by caller. Sampling counts wall-clock moments a thread was busy, which on a loaded
machine includes time waiting for a core, so the table gives each layer's share of the samples
and that share of the measured CPU time per op (from /proc), not raw sample times.
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_DIR))

from bench.run_ot_bench import cpu_per_commit, drive, ours_servers  # noqa: E402
from bench.run_sessions_bench import _config, seed_sessions  # noqa: E402
from tests.sessions_app.ot_live import postgres_database  # noqa: E402

# (substring of a frame's file, layer); the first match from the innermost frame outwards wins.
LAYERS = [
    ("json/", "JSON encode/decode"),
    ("sessions_app/ot/text_unicode", "OT transform/apply (text-unicode)"),
    ("sessions_app/ot/types", "OT snapshot/op objects"),
    ("psycopg", "database driver (psycopg)"),
    ("django/db", "Django ORM"),
    ("sessions_app/ot/storage", "OT storage (queries)"),
    ("msgpack", "channel layer (msgpack)"),
    ("channels_redis", "channel layer (channels_redis)"),
    ("redis/", "Redis client"),
    ("autobahn", "WebSocket framing (autobahn)"),
    ("twisted", "Twisted reactor and transports"),
    ("daphne", "daphne ASGI glue"),
    ("asgiref", "thread hops (asgiref sync_to_async)"),
    ("concurrent/futures", "thread pool"),
    ("threading.py", "thread pool"),
    ("channels/", "Channels consumer glue"),
    ("sessions_app/ot/", "OT protocol, hub, committer"),
    ("sessions_app/", "sessions app (access rules)"),
    ("django/", "Django (other)"),
    ("asyncio", "asyncio event loop"),
    ("selectors", "asyncio event loop"),
]


# Innermost C frames of a thread that waits (with --native): not CPU time.
IDLE_LEAVES = ("poll ", "epoll_wait ", "select ", "pthread_cond_wait", "sem_wait", "sem_clockwait")
SENDS = ("send ", "sendto ", "sendmsg ", "write ", "writev ")


def _python_frames(frames: list[str]) -> list[str]:
    return [f for f in frames if ".py:" in f]


def layer_of(stack: str) -> str | None:
    """The layer a sample's CPU belongs to; None for a waiting thread."""
    frames = stack.split(";")
    leaf = frames[-1]
    python = _python_frames(frames)
    if leaf.startswith(IDLE_LEAVES):
        return None
    if leaf.startswith("0x") and "(libc" in leaf:
        # libc's unnamed futex wait: a thread pool's or a lock's wait, or a thread waiting for
        # the GIL (under psycopg's I/O, the loop's self-pipe write).
        return None
    if leaf.startswith(SENDS):
        caller = next((layer for f in reversed(python) for n, layer in LAYERS if n in f), "?")
        where = {
            "Twisted reactor and transports": "WebSocket frames",
            "asyncio event loop": "Redis",
        }
        return f"kernel: socket send ({where.get(caller, caller)})"
    for frame in reversed(frames):
        for needle, layer in LAYERS:
            if needle in frame:
                return layer
    return "other (interpreter, GC, C code)"


def layers_from_raw(path: Path) -> tuple[collections.Counter, int]:
    """CPU samples per layer from py-spy's raw (collapsed stacks) output, and idle samples."""
    counts: collections.Counter = collections.Counter()
    idle = 0
    for line in path.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        if stack and n.isdigit():
            layer = layer_of(stack)
            if layer is None:
                idle += int(n)
            else:
                counts[layer] += int(n)
    return counts, idle


def _count_syscalls(config: dict, pid: int, seconds: float, out: Path) -> dict:
    """System calls of every daphne thread per committed op (strace -c; slows the server, so
    only the counts mean something, not the times)."""
    tracer = subprocess.Popen(["strace", "-c", "-f", "-p", str(pid), "-o", str(out)],
                              stderr=subprocess.DEVNULL)  # fmt: skip
    time.sleep(1)
    result = drive(config, [pid], seconds)
    tracer.send_signal(signal.SIGINT)
    tracer.wait(timeout=30)
    commits = max(1, result.get("commits", 0))
    print(f"\n{commits} commits, p50 {result.get('p50_ms')} ms (under strace)")
    print(f"{'syscall':<16} {'per op':>7}")
    for line in out.read_text().splitlines():
        parts = line.split()
        if len(parts) >= 5 and parts[0][0].isdigit() and parts[-1] != "total":
            calls = int(parts[3])
            if calls / commits >= 0.05:
                print(f"{parts[-1]:<16} {calls / commits:>7.2f}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--typists", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=float, default=5)
    parser.add_argument(
        "--syscalls", action="store_true", help="count system calls per op with strace instead"
    )
    parser.add_argument(
        "--python-only", action="store_true", help="no C frames (waiting threads then count)"
    )
    args = parser.parse_args()
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    logs = Path(tempfile.mkdtemp(prefix="ot-profile-"))
    raw = logs / "daphne.raw"
    print(f"load average at start: {os.getloadavg()}, CPUs: {os.cpu_count()}", flush=True)
    with postgres_database("cp_ot_profile") as database_url:
        seeded = seed_sessions(database_url, args.sessions, args.typists)
        with ours_servers(database_url, 1, logs, "profile") as (urls, pids):
            config = _config(seeded["docs"], args.typists, 0, args.seconds, args.rate)
            config.update(urls=urls, cookies=seeded["cookies"], label="ours/postgresql")
            if args.syscalls:
                result = _count_syscalls(config, pids[0], args.seconds, logs / "strace.txt")
                return
            command = [spy, "record", "--pid", str(pids[0]), "--rate", "100", "--format", "raw",
                       "-o", str(raw), "--duration", str(int(args.seconds) + 5)]  # fmt: skip
            if not args.python_only:
                command.append("--native")
            recorder = threading.Thread(
                target=subprocess.run, args=(command,), kwargs={"capture_output": True}
            )  # fmt: skip
            recorder.start()
            result = drive(config, pids, args.seconds)
            recorder.join()
    if "error" in result or not raw.exists():
        sys.exit(f"profile failed: {result.get('error', 'no py-spy output')} (logs: {logs})")
    per_op = cpu_per_commit(result)
    counts, idle = layers_from_raw(raw)
    total = sum(counts.values())
    print(f"\n{result['commits']} commits, p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
          f"server CPU {per_op} ms per commit, {total} busy samples ({idle} waiting left out)")  # fmt: skip
    print(f"\n{'layer':<40} {'share':>6} {'ms/op':>6}")
    for layer, n in counts.most_common():
        print(f"{layer:<40} {100 * n / total:>5.1f}% {per_op * n / total:>6.2f}")
    print(f"\nload average at end: {os.getloadavg()}; raw stacks: {raw}")


if __name__ == "__main__":
    main()
