"""Real daphne processes on a throwaway PostgreSQL database, for the sharedb client tests.

Used by `test_sharedb_clients.py` and by the OT benchmark (`bench/run_ot_bench.py`). Everything
here runs outside pytest-django: the database is created, migrated and dropped by name, and
the users, the session and the cookies are made by a Django subprocess on that database.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get("OT_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def postgres_answers() -> bool:
    """Whether the PostgreSQL these tests make their databases on is there (else they skip)."""
    import psycopg

    try:
        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


NEEDS_POSTGRES = f"needs PostgreSQL at {PG_ADMIN_URL} (OT_PG_ADMIN_URL)"


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


@contextmanager
def postgres_database(prefix: str = "cp_ot_live") -> Iterator[str]:
    """A fresh, migrated PostgreSQL database; yields its URL and drops it afterwards."""
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    _admin(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        django(url, ["migrate", "--noinput", "-v", "0"])
        yield url
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def sqlite_database(directory: Path) -> Iterator[str]:
    """A fresh, migrated SQLite file (WAL, as the settings configure it); yields its URL."""
    path = directory / f"ot-{secrets.token_hex(3)}.sqlite3"
    url = f"sqlite:///{path}"
    django(url, ["migrate", "--noinput", "-v", "0"])
    try:
        yield url
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def env_for(database_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="codepusher.settings",
        PYTHONUNBUFFERED="1",
    )
    env.pop("CHANNEL_LAYER", None)  # the real Redis layer: several processes share it
    env.update(extra)
    return env


def django(database_url: str, args: list[str]) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_DIR,
        env=env_for(database_url),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


_SEED = """
import json
from django.test import Client
from challenges.models import Challenge, ChallengeLanguage, Repository
from django.contrib.auth import get_user_model
from sessions_app.services import session_create, session_join

User = get_user_model()
n, starter = {n}, {starter!r}
repo = Repository.objects.create(slug="ot-live", name="OT live", owner="ot")
challenge = Challenge.objects.create(repository=repo, slug="ot-live", title="OT live",
    statement="x", author="ot", published=True)
ChallengeLanguage.objects.create(challenge=challenge, language="python", starter_code=starter)
users = [User.objects.create_user(f"ot-live-{{i}}", password="x-very-long-pw") for i in range(n)]
session = session_create(challenge=challenge, owner=users[0], language="python")
cookies = []
for user in users:
    session_join(session=session, user=user)
    client = Client()
    client.force_login(user)
    cookies.append("sessionid=" + client.cookies["sessionid"].value)
outsider = User.objects.create_user("ot-live-outsider", password="x-very-long-pw")
client = Client()
client.force_login(outsider)
print(json.dumps({{"session": session.id, "cookies": cookies,
                  "outsider": "sessionid=" + client.cookies["sessionid"].value}}))
"""


def seed_session(database_url: str, *, users: int, starter: str = "") -> dict:
    """A session with `users` members; returns its id and one session cookie per member."""
    out = django(database_url, ["shell", "-c", _SEED.format(n=users, starter=starter)])
    return json.loads(out.strip().splitlines()[-1])


def read_document(database_url: str, doc_id: str) -> dict:
    """The stored snapshot and op count of `code/<doc_id>`, read by a fresh process."""
    code = (
        "import json\n"
        "from sessions_app.models import DocumentOp\n"
        "from sessions_app.ot.storage import document_get\n"
        f"d = document_get(collection='code', doc_id={doc_id!r})\n"
        f"n = DocumentOp.objects.filter(collection='code', doc_id={doc_id!r}).count()\n"
        "print(json.dumps({'v': d.v, 'data': d.data, 'ops': n}))\n"
    )
    return json.loads(django(database_url, ["shell", "-c", code]).strip().splitlines()[-1])


# ws URL -> pid of the daphne serving it (the benchmark reads its CPU time).
DAPHNE_PIDS: dict[str, int] = {}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve_daphne(
    application: str, env: dict[str, str], log_path: Path, port: int | None = None
) -> Iterator[tuple[int, int]]:
    """A daphne process serving `application` on loopback; yields its port and pid once it listens."""
    port = port or free_port()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), application],
            cwd=REPO_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"daphne exited:\n{log_path.read_text()[-3000:]}")
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"daphne did not listen:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.1)
        yield port, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def daphne(
    database_url: str, log_path: Path, port: int | None = None, **extra_env: str
) -> Iterator[str]:
    """A daphne process serving the site; yields the `ws://…/ws/ot/` URL."""
    application = "codepusher.asgi:application"
    env = env_for(database_url, **extra_env)
    with serve_daphne(application, env, log_path, port) as (port, pid):
        url = f"ws://127.0.0.1:{port}/ws/ot/"
        DAPHNE_PIDS[url] = pid
        yield url


def node(script: Path, config: dict, timeout: float = 180) -> dict:
    """Run a Node script with CONFIG in its environment; returns its last JSON output line."""
    result = subprocess.run(
        ["node", str(script)],
        cwd=REPO_DIR,
        env={**os.environ, "CONFIG": json.dumps(config)},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"no output from {script.name}:\n{result.stdout}\n{result.stderr}")
    out = json.loads(lines[-1])
    out["returncode"] = result.returncode
    out["stderr"] = result.stderr[-3000:]
    return out
