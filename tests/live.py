"""Real server processes for integration and browser tests: daphne and a Celery worker.

They run as subprocesses against the test database (PostgreSQL in CI, a SQLite file otherwise)
and the real Redis, exactly as `make run` starts them.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

REPO_DIR = Path(settings.BASE_DIR)


def test_database_url() -> str:
    """The URL of the database pytest-django created, for processes outside this one."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    auth = f"{user}:{db['PASSWORD']}" if db.get("PASSWORD") else user
    return (
        f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


def subprocess_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=test_database_url(),
        REDIS_URL=settings.REDIS_URL,
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        CELERY_TASK_ALWAYS_EAGER="0",
        RUNNER_TASK_QUEUE=LIVE_RUNS_QUEUE,
        SEARCH_TASK_QUEUE=LIVE_SEARCH_QUEUE,
        DJANGO_SETTINGS_MODULE="codepusher.settings",
        PYTHONUNBUFFERED="1",
    )
    env.pop("CHANNEL_LAYER", None)
    env.update(extra)
    return env


# Runs and index updates of this test process go to queues only its own worker reads: a worker
# of `make run` on the same broker must not take them, nor this worker the developer's.
LIVE_RUNS_QUEUE = f"runs-test-{os.getpid()}"
LIVE_SEARCH_QUEUE = f"search-test-{os.getpid()}"


def task_queues_delete() -> None:
    """Drop this test session's queues from the broker, with any task nobody consumed."""
    from codepusher.celery import app

    with contextlib.suppress(Exception), app.connection_for_write() as connection:
        for queue in (LIVE_RUNS_QUEUE, LIVE_SEARCH_QUEUE):
            connection.default_channel.queue_delete(queue)


def live_search_path(log_dir: Path) -> Path:
    """The Whoosh index the live processes of a test session share (never the developer's)."""
    return log_dir / "whoosh"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited early:\n{log.read_text()[-3000:]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"port {port} did not open:\n{log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _with_search(log_dir: Path, env: dict[str, str]) -> dict[str, str]:
    return {"SEARCH_URL": f"whoosh://{live_search_path(log_dir)}", **env}


@contextmanager
def daphne_server(log_dir: Path, port: int | None = None, **env: str):
    """A daphne process serving the whole site; yields its base URL."""
    port = port or free_port()
    log = log_dir / f"daphne-{port}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
             "codepusher.asgi:application"],
            cwd=REPO_DIR, env=subprocess_env(**_with_search(log_dir, env)), stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_for_port(port, process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(process)


@contextmanager
def celery_worker(log_dir: Path, concurrency: int = 2, queues: str = "", **env: str):
    """A Celery worker on the launcher's and the indexer's queues (or ``queues``); waits until
    it is ready."""
    log = log_dir / "celery-worker.log"
    hostname = f"test-{os.getpid()}-{time.monotonic_ns()}@localhost"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "codepusher", "worker", "-Q",
             queues or f"{LIVE_RUNS_QUEUE},{LIVE_SEARCH_QUEUE}",
             "-c", str(concurrency), "-n", hostname, "--loglevel=INFO", "--without-gossip",
             "--without-mingle"],
            cwd=REPO_DIR, env=subprocess_env(**_with_search(log_dir, env)), stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"celery worker did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield process
    finally:
        _stop(process)
