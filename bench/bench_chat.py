"""Chat fan-out latency: one sender, N members on WebSockets, a real daphne on loopback.

    .venv/bin/python bench/bench_chat.py [--members 50] [--messages 200] [--interval 0.05]
                                         [--output docs/benchmarks.md]

What it does, all by itself:
  1. creates a throwaway PostgreSQL database (`cp_chat_bench_<pid>` on $BENCH_POSTGRES_URL,
     default postgres://postgres@127.0.0.1:5432), migrates it, and seeds N users who are all
     members of one session, each with a logged-in Django session cookie;
  2. starts one daphne process (the production ASGI app: origin check, session auth, the Redis
     channel layer at $REDIS_URL; PostgreSQL through the default connection pool) on a
     free loopback port;
  3. connects N WebSocket clients (the `websockets` package) to /ws/sessions/<id>/chat/;
  4. member 0 sends M messages, one every `--interval` seconds (not waiting for deliveries), and
     every member timestamps each message when it arrives. Latency = arrival - send, on one
     monotonic clock (all clients live in this process);
  5. checks every member got every message exactly once, prints p50/p90/p99/max, stops daphne
     and drops the database.

Each message is a real `message_send`: validated, rate-limit checked in Redis, rendered (Markdown,
Pygments, nh3, mentions), stored in PostgreSQL, published after commit through Redis and
serialised by each member's consumer. Only the per-user limit is raised (to let one sender post
M messages quickly) through a generated settings module; the limiter itself still runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_DIR))

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
TARGET_P99_MS = 100
MESSAGE_BODY = "message {i} of the benchmark, with `code` and **bold** @member1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def throwaway_database():
    """A fresh PostgreSQL database for this run, dropped afterwards whatever happens."""
    import psycopg

    name = f"cp_chat_bench_{os.getpid()}"
    with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_URL}/{name}"
    finally:
        with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(database_url: str, settings_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("CHANNEL_LAYER", None)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL,
        DJANGO_SETTINGS_MODULE="chat_bench_settings",
        PYTHONPATH=os.pathsep.join([str(settings_dir), str(REPO_DIR)]),
        PYTHONUNBUFFERED="1",
    )
    return env


def write_settings(settings_dir: Path, messages: int) -> None:
    (settings_dir / "chat_bench_settings.py").write_text(
        "from codepusher.settings import *  # noqa: F403\n"
        "PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher']\n"
        f"CHAT_RATE_LIMIT_MESSAGES = {messages + 10}\n"
    )


SEED = """
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from challenges.models import Challenge, ChallengeLanguage, Repository
from sessions_app.services import session_create, session_join

members = int(sys.argv[1])
repository = Repository.objects.create(slug="bench", name="Bench", owner="bench")
challenge = Challenge.objects.create(
    repository=repository, slug="bench", title="Bench", statement="x", author="bench",
    published=True,
)
ChallengeLanguage.objects.create(challenge=challenge, language="python", starter_code="")
users = [
    get_user_model().objects.create_user(username=f"member{i}", password="bench-password")
    for i in range(members)
]
session = session_create(challenge=challenge, owner=users[0], language="python")
for user in users[1:]:
    session_join(session=session, user=user)
cookies = []
for user in users:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    cookies.append(store.session_key)
print(json.dumps({"session": session.id, "cookies": cookies}))
"""


def prepare(database_url: str, settings_dir: Path, members: int) -> dict:
    env = server_env(database_url, settings_dir)
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=REPO_DIR, env=env, check=True
    )
    out = subprocess.run(
        [python, "-c", SEED, str(members)], cwd=REPO_DIR, env=env, capture_output=True, text=True
    )
    if out.returncode:
        raise RuntimeError(f"seeding failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


@contextmanager
def daphne(database_url: str, settings_dir: Path, log: Path):
    port = free_port()
    with log.open("w") as out:
        profile = os.environ.get("BENCH_PROFILE")  # a file name: run daphne under cProfile
        prefix = ["-m", "cProfile", "-o", profile] if profile else []
        process = subprocess.Popen(
            [sys.executable, *prefix, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
             "codepusher.asgi:application"],
            cwd=REPO_DIR, env=server_env(database_url, settings_dir), stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"daphne exited:\n{log.read_text()[-3000:]}")
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("daphne did not open its port")
            time.sleep(0.1)
        yield port
    finally:
        process.send_signal(signal.SIGINT)  # lets cProfile write its file; daphne exits cleanly
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def run_clients(port: int, seeded: dict, messages: int, interval: float) -> dict:
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    url = f"ws://127.0.0.1:{port}/ws/sessions/{seeded['session']}/chat/"
    origin = f"http://127.0.0.1:{port}"
    sockets = []
    for cookie in seeded["cookies"]:
        ws = await connect(
            url,
            origin=origin,
            additional_headers=[("Cookie", f"sessionid={cookie}")],
            max_queue=None,
            open_timeout=30,
        )
        history = json.loads(await asyncio.wait_for(ws.recv(), 30))
        assert history["type"] == "history", history
        sockets.append(ws)

    sent_at: dict[int, float] = {}
    arrivals: list[dict[int, float]] = [{} for _ in sockets]
    errors: list[str] = []
    done = asyncio.Event()
    expected = messages * len(sockets)
    received = 0

    async def listen(index: int, ws) -> None:
        try:
            await consume(index, ws)
        except ConnectionClosed as exc:
            errors.append(f"member{index}: connection closed: {exc}")

    async def consume(index: int, ws) -> None:
        nonlocal received
        async for raw in ws:
            now = time.perf_counter()
            frame = json.loads(raw)
            if frame["type"] == "error":
                errors.append(frame["message"])
                continue
            if frame["type"] != "message":
                continue
            seq = int(frame["body"].split()[1])
            if seq in arrivals[index]:
                errors.append(f"member{index} got message {seq} twice")
            arrivals[index][seq] = now
            received += 1
            if received == expected:
                done.set()

    listeners = [asyncio.create_task(listen(i, ws)) for i, ws in enumerate(sockets)]
    sender = sockets[0]
    started = time.perf_counter()
    for i in range(messages):
        target = started + i * interval
        delay = target - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        sent_at[i] = time.perf_counter()
        try:
            await sender.send(json.dumps({"type": "message", "body": MESSAGE_BODY.format(i=i)}))
        except ConnectionClosed:
            break  # the listener recorded why
    try:
        await asyncio.wait_for(done.wait(), timeout=60 if not errors else 1)
    except TimeoutError:
        errors.append(f"only {received} of {expected} deliveries arrived")
    elapsed = time.perf_counter() - started
    for task in listeners:
        task.cancel()
    for ws in sockets:
        await ws.close()

    others = [
        (arrival - sent_at[seq]) * 1000
        for index, got in enumerate(arrivals)
        if index != 0
        for seq, arrival in got.items()
    ]
    own = [(arrival - sent_at[seq]) * 1000 for seq, arrival in arrivals[0].items()]
    return {"others_ms": others, "echo_ms": own, "errors": errors, "seconds": elapsed}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))  # nearest rank
    return ordered[k]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p90": percentile(values, 90),
        "p99": percentile(values, 99),
        "max": max(values) if values else float("nan"),
        "mean": statistics.fmean(values) if values else float("nan"),
    }


def report(args: argparse.Namespace, result: dict, command: str) -> str:
    others, echo = summary(result["others_ms"]), summary(result["echo_ms"])
    load = os.getloadavg()
    verdict = "met" if others["p99"] < TARGET_P99_MS and not result["errors"] else "NOT met"
    lines = [
        "## Chat fan-out latency",
        "",
        f"{args.members} members of one session connected to one daphne process over loopback; "
        f"member 0 sends {args.messages} messages, one every {args.interval * 1000:.0f} ms; "
        "latency is from the sender's `send()` to each member's receipt of the broadcast frame "
        "(same monotonic clock). Every message is validated, rate-limit checked (Redis), "
        "rendered, stored in PostgreSQL and fanned out through the Redis channel layer.",
        "",
        "| receivers | deliveries | p50 ms | p90 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|",
        f"| the other {args.members - 1} members | {others['n']} | {others['p50']:.1f} | "
        f"{others['p90']:.1f} | {others['p99']:.1f} | {others['max']:.1f} |",
        f"| the sender's own echo | {echo['n']} | {echo['p50']:.1f} | {echo['p90']:.1f} | "
        f"{echo['p99']:.1f} | {echo['max']:.1f} |",
        "",
        f"Target p99 < {TARGET_P99_MS} ms: **{verdict}**. "
        f"Missing or duplicated deliveries: {len(result['errors'])}. "
        f"Wall time {result['seconds']:.1f} s.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
        "(the machine is shared with other work, so the tail reflects that too).",
        "",
        "Command:",
        "",
        "```",
        command,
        "```",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--interval", type=float, default=0.05, help="seconds between sends")
    parser.add_argument("--output", type=Path, help="also write the Markdown report here")
    args = parser.parse_args()
    command = ".venv/bin/python bench/bench_chat.py " + " ".join(
        a if not a.startswith("/") else os.path.relpath(a, REPO_DIR) for a in sys.argv[1:]
    )

    with tempfile.TemporaryDirectory(prefix="chat-bench-") as tmp, throwaway_database() as db:
        tmp_dir = Path(tmp)
        write_settings(tmp_dir, args.messages)
        print(f"preparing database and {args.members} members …", flush=True)
        seeded = prepare(db, tmp_dir, args.members)
        log = tmp_dir / "daphne.log"
        with daphne(db, tmp_dir, log) as port:
            print(f"daphne on port {port}; {args.messages} messages …", flush=True)
            result = asyncio.run(run_clients(port, seeded, args.messages, args.interval))
        if result["errors"]:
            lines = [line for line in log.read_text().splitlines() if "WSDISCONNECT" not in line]
            print("daphne log (tail):", *lines[-80:], sep="\n")
    text = report(args, result, command.strip())
    print(text)
    for error in result["errors"][:10]:
        print("error:", error)
    if args.output:
        args.output.write_text(text)
        print(f"written to {args.output}")


if __name__ == "__main__":
    main()
