"""The unmodified `sharedb` npm client against real daphne processes (PostgreSQL + Redis).

Each test makes its own PostgreSQL database, runs daphne on free loopback ports, and drives
several real sharedb Connections from `tests/node/sharedb_fuzz.mjs`: random concurrent edits
with emoji, sockets killed and re-opened (onto the other process in the two-process test).
All clients must converge with each other and with the snapshot stored in the database.
"""

from __future__ import annotations

import json
import shutil

import pytest

from tests.sessions_app.ot_live import (
    NEEDS_POSTGRES,
    REPO_DIR,
    daphne,
    django,
    node,
    postgres_answers,
    postgres_database,
    read_document,
    seed_session,
)

pytestmark = [
    pytest.mark.node,
    pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed"),
    pytest.mark.skipif(not postgres_answers(), reason=NEEDS_POSTGRES),
]

FUZZ = REPO_DIR / "tests" / "node" / "sharedb_fuzz.mjs"
STARTER = "def solve():\n    pass\n"
# The fuzz clients edit far faster than people type (bursts every few ms, each client one op
# per round trip): these tests are about convergence, so the op rate limits are out of the way.
# The limits have tests of their own (test_ot_limits.py).
FUZZ_LIMITS = {
    "OT_OP_BURST": "100000",
    "OT_OP_RATE_PER_SECOND": "100000",
    "OT_USER_OP_BURST": "100000",
    "OT_USER_OP_RATE_PER_SECOND": "100000",
}


def check_converged(result: dict, database_url: str, session_id: str) -> None:
    assert result["ok"], result
    assert result["returncode"] == 0, result["stderr"]
    stored = read_document(database_url, session_id)
    assert stored["v"] == result["version"], "the server's snapshot is the clients' version"
    assert stored["data"] == result["text"], "the stored text is what every client shows"
    assert stored["ops"] == stored["v"], "every version has its op in the log"
    assert result["version"] > 50, "the clients really edited"
    assert result["drops"] > 0, "the clients really lost their sockets"


def test_clients_converge_on_one_server(tmp_path):
    with postgres_database() as database_url:
        seeded = seed_session(database_url, users=3, starter=STARTER)
        with daphne(database_url, tmp_path / "daphne.log", **FUZZ_LIMITS) as url:
            config = {"urls": [url], "cookies": seeded["cookies"], "doc": seeded["session"]}
            config.update(starter=STARTER, outsider=seeded["outsider"])
            result = node(FUZZ, {**config, "clients": 6, "seconds": 8, "seed": 11})
        check_converged(result, database_url, seeded["session"])


def test_clients_converge_across_two_server_processes(tmp_path):
    with postgres_database() as database_url:
        seeded = seed_session(database_url, users=4, starter=STARTER)
        with (
            daphne(database_url, tmp_path / "daphne-a.log", **FUZZ_LIMITS) as url_a,
            daphne(database_url, tmp_path / "daphne-b.log", **FUZZ_LIMITS) as url_b,
        ):
            config = {"urls": [url_a, url_b], "cookies": seeded["cookies"]}
            config.update(doc=seeded["session"], clients=8, seconds=10, seed=23, starter=STARTER)
            result = node(FUZZ, config)
        check_converged(result, database_url, seeded["session"])


ROLES = REPO_DIR / "tests" / "node" / "sharedb_roles.mjs"
_TOKENS = """
import json
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
users = [get_user_model().objects.get(username=f"ot-live-{i}") for i in range(2)]
print(json.dumps({"tokens": [Token.objects.get_or_create(user=u)[0].key for u in users],
                  "names": [u.username for u in users]}))
"""


def test_driver_mode_with_the_real_client(tmp_path):
    """A navigator's op is refused and rolled back, the driver's accepted, a hand-over moves
    the right to edit, all on the same sockets, and the replicas converge with the server."""
    with postgres_database() as database_url:
        seeded = seed_session(database_url, users=2, starter=STARTER)
        auth = json.loads(django(database_url, ["shell", "-c", _TOKENS]).strip().splitlines()[-1])
        with daphne(database_url, tmp_path / "daphne.log") as url:
            config = {"url": url, "http": url.replace("ws://", "http://").removesuffix("/ws/ot/")}
            config.update(doc=seeded["session"], cookies=seeded["cookies"], **auth)
            result = node(ROLES, config, timeout=120)
        assert result["ok"], result
        assert result["returncode"] == 0, result["stderr"]
        stored = read_document(database_url, seeded["session"])
        assert (stored["v"], stored["data"]) == (result["version"], result["text"])
        assert stored["ops"] == stored["v"]
        assert "N1" not in result["text"] and "D2" not in result["text"], (
            "refused ops left no trace"
        )
        assert "D1" in result["text"] and "N2" in result["text"]
