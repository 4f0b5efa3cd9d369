"""PostgreSQL connections come from a pool, so ASGI's per-call threads do not reconnect each time."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from channels.db import database_sync_to_async
from django.db import connection

from tests.sessions_app.ot_live import REPO_DIR

_PRINT_DATABASE = (
    "import json; from django.conf import settings; d = settings.DATABASES['default'];"
    "print(json.dumps({'pool': d.get('OPTIONS', {}).get('pool'), 'age': d['CONN_MAX_AGE']}))"
)


def _database_settings(**env: str) -> dict:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
    environ.update(DJANGO_SETTINGS_MODULE="codepusher.settings", **env)
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {_PRINT_DATABASE}"],
        cwd=REPO_DIR, env=environ, capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def test_postgresql_uses_a_pool_and_no_persistent_connections() -> None:
    database = _database_settings(DATABASE_URL="postgres://u@db:5432/x", DATABASE_CONN_MAX_AGE="60")

    assert database == {"pool": {"min_size": 1, "max_size": 10, "timeout": 10}, "age": 0}


def test_the_pool_can_be_turned_off_and_sized() -> None:
    assert _database_settings(
        DATABASE_URL="postgres://u@db:5432/x", DATABASE_POOL="0", DATABASE_CONN_MAX_AGE="60"
    ) == {"pool": None, "age": 60}
    sized = _database_settings(DATABASE_URL="postgres://u@db:5432/x", DATABASE_POOL_MAX_SIZE="3")
    assert sized["pool"]["max_size"] == 3


def test_sqlite_has_no_pool() -> None:
    assert _database_settings(DATABASE_URL="sqlite:///tmp-x.sqlite3")["pool"] is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pool is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
async def test_consumer_database_calls_open_no_new_server_connections() -> None:
    def server_time() -> object:
        with connection.cursor() as cursor:
            cursor.execute("SELECT now()")
            return cursor.fetchone()[0]

    await database_sync_to_async(server_time)()
    opened = connection.pool.get_stats()["connections_num"]
    for _ in range(5):
        await database_sync_to_async(server_time)()

    assert connection.pool.get_stats()["connections_num"] == opened
