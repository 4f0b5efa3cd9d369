"""Interactive runs end to end: two terminals -> consumer -> Redis -> real Celery worker -> Docker.

The worker runs with short limits (idle 3 s, wall 12 s) so the limit tests end quickly; nothing
asserts a speed. Every program is the session's code, started with {"type": "run", "mode":
"interactive"} and fed with {"type": "stdin"} frames from either member.
"""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from execution.models import Run, RunMode, RunStatus
from sessions_app.services import session_create, session_join
from tests.execution.test_launcher import (  # noqa: F401 (terminal_socket is a fixture)
    _set_code,
    receive_until,
    terminal_socket,
)
from tests.factories import ChallengeFactory

pytestmark = [pytest.mark.docker, pytest.mark.django_db(transaction=True), pytest.mark.timeout(300)]

IDLE_SECONDS, WALL_SECONDS = 3, 12
SUM_UNTIL_EOF = """\
import sys
total = 0
for line in sys.stdin:
    total += sum(int(word) for word in line.split())
    print("so far", total, flush=True)
print("sum", total)
"""


@pytest.fixture(scope="module")
def _short_limits_worker(django_db_setup, django_db_blocker, live_logs):
    """A real Celery worker whose interactive limits are short, on a queue of its own (the
    session's shared worker has the default limits)."""
    from codepusher.celery import app
    from tests.live import LIVE_RUNS_QUEUE, celery_worker

    queue = f"{LIVE_RUNS_QUEUE}-interactive"
    log_dir = live_logs / "interactive"
    log_dir.mkdir(exist_ok=True)
    with celery_worker(
        log_dir,
        queues=queue,
        RUNNER_TASK_QUEUE=queue,
        RUNNER_INTERACTIVE_IDLE_SECONDS=str(IDLE_SECONDS),
        RUNNER_INTERACTIVE_SECONDS=str(WALL_SECONDS),
    ):
        yield queue
    with app.connection_for_write() as connection:
        connection.default_channel.queue_delete(queue)


@pytest.fixture
def worker(_short_limits_worker, settings):
    settings.RUNNER_TASK_QUEUE = _short_limits_worker
    return _short_limits_worker


@pytest.fixture
def session(user, other_user):
    session = session_create(challenge=ChallengeFactory(), owner=user, language="python")
    session_join(session=session, user=other_user)
    return session


@pytest.fixture
def terminals(terminal_socket):  # noqa: F811
    """`user` and `other_user` on the session's terminal, with `code` as the session's code."""

    async def open_(user, other_user, session, code: str):
        await sync_to_async(_set_code)(session.id, code)
        alice = await terminal_socket(user, session.id)
        bob = await terminal_socket(other_user, session.id)
        await alice.receive_json_from()
        await bob.receive_json_from()
        return alice, bob

    return open_


async def _start(terminal) -> list[dict]:
    await terminal.send_json_to({"type": "run", "mode": "interactive"})
    return await receive_until(terminal, "interactive.ready")


def _transcript(frames: list[dict]) -> list[tuple[str, str]]:
    """(kind, text) in the order the terminal showed them, adjacent outputs joined."""
    shown: list[tuple[str, str]] = []
    for frame in frames:
        if frame["type"] == "input" and "data" in frame:
            shown.append((f"input:{frame['user']}", frame["data"]))
        elif frame["type"] == "output":
            if shown and shown[-1][0] == "output":
                shown[-1] = ("output", shown[-1][1] + frame["data"])
            else:
                shown.append(("output", frame["data"]))
    return shown


async def test_two_members_type_into_one_program_and_both_see_it_in_order(
    worker, user, other_user, session, terminals
):
    alice, bob = await terminals(user, other_user, session, SUM_UNTIL_EOF)
    seen_by_alice = await _start(alice)
    seen_by_bob = await receive_until(bob, "interactive.ready")
    await alice.send_json_to({"type": "stdin", "data": "1 2\n"})
    seen_by_bob += await receive_until(bob, "output")
    await bob.send_json_to({"type": "stdin", "data": "10\n"})
    seen_by_alice += await receive_until(alice, "output")
    seen_by_alice += await receive_until(alice, "output")
    await alice.send_json_to({"type": "stdin", "data": "100\n"})
    seen_by_bob += await receive_until(bob, "output")
    seen_by_bob += await receive_until(bob, "output")
    await bob.send_json_to({"type": "stdin", "eof": True})
    seen_by_alice += await receive_until(alice, "run.finished")
    seen_by_bob += await receive_until(bob, "run.finished")

    finished = seen_by_bob[-1]
    assert finished["mode"] == RunMode.INTERACTIVE and finished["exit_code"] == 0
    assert finished["verdict"] == "" and finished["detail"] == "exit 0"
    assert any(f["type"] == "input" and f.get("eof") for f in seen_by_bob)
    expected = [
        (f"input:{user.username}", "1 2\n"),
        ("output", "so far 3\n"),
        (f"input:{other_user.username}", "10\n"),
        ("output", "so far 13\n"),
        (f"input:{user.username}", "100\n"),
        ("output", "so far 113\nsum 113\n"),
    ]
    assert _transcript(seen_by_bob) == expected
    live = [f for f in seen_by_alice if "seq" in f]
    assert [f for f in seen_by_bob if f in live] == [f for f in seen_by_bob if "seq" in f]

    run = await sync_to_async(Run.objects.get)(pk=finished["run"])
    assert run.status == RunStatus.DONE and run.verdict == "" and run.exit_code == 0
    assert run.stdin == "1 2\n10\n100\n" and run.output.endswith("sum 113\n")
    await alice.disconnect()
    await bob.disconnect()


async def test_kill_stops_the_program_and_says_who(worker, user, other_user, session, terminals):
    program = "import time\nprint('ready', flush=True)\nwhile True:\n    time.sleep(0.1)\n"
    alice, bob = await terminals(user, other_user, session, program)
    await _start(alice)
    await receive_until(alice, "output")
    await bob.send_json_to({"type": "kill"})
    frames = await receive_until(alice, "run.finished")
    assert frames[-1]["detail"] == f"stopped by {other_user.username}"
    assert frames[-1]["exit_code"] is None and frames[-1]["verdict"] == ""
    await alice.disconnect()
    await bob.disconnect()


async def test_a_program_waiting_for_input_stops_when_nobody_types(
    worker, user, other_user, session, terminals
):
    alice, bob = await terminals(user, other_user, session, "name = input()\nprint(name)\n")
    await _start(alice)
    frames = await receive_until(bob, "run.finished")
    assert frames[-1]["detail"] == f"stopped after {IDLE_SECONDS} s without input or output"
    await alice.disconnect()
    await bob.disconnect()


async def test_a_chatty_program_stops_at_the_wall_time(
    worker, user, other_user, session, terminals
):
    program = "import time\nwhile True:\n    print('.', flush=True)\n    time.sleep(1)\n"
    alice, bob = await terminals(user, other_user, session, program)
    await _start(alice)
    frames = await receive_until(alice, "run.finished")
    assert frames[-1]["detail"] == f"stopped after {WALL_SECONDS} s"
    assert frames[-1]["verdict"] == ""
    await alice.disconnect()
    await bob.disconnect()


async def test_bad_input_frames_get_clear_errors_and_the_socket_stays(
    worker, user, other_user, session, terminals
):
    alice, bob = await terminals(user, other_user, session, SUM_UNTIL_EOF)
    await alice.send_json_to({"type": "stdin", "data": "1\n"})
    assert "No interactive run" in (await alice.receive_json_from())["message"]
    await alice.send_json_to({"type": "kill"})
    assert "No interactive run" in (await alice.receive_json_from())["message"]

    await _start(alice)
    await alice.send_json_to({"type": "stdin", "data": "x" * 5000})
    assert "too large" in (await alice.receive_json_from())["message"]
    await alice.send_json_to({"type": "stdin", "data": ["not", "text"]})
    assert "needs" in (await alice.receive_json_from())["message"]
    await alice.send_json_to({"type": "stdin", "data": "41 1\n"})
    await alice.send_json_to({"type": "stdin", "eof": True})
    frames = await receive_until(alice, "run.finished")
    assert "sum 42\n" in "".join(f.get("data", "") for f in frames if f["type"] == "output")

    await alice.send_json_to({"type": "stdin", "data": "7\n"})  # the run has finished
    assert "No interactive run" in (await alice.receive_json_from())["message"]
    await alice.send_json_to({"type": "run", "mode": "interactive"})  # the socket still works
    await receive_until(bob, "interactive.ready")
    await bob.send_json_to({"type": "kill"})
    await receive_until(alice, "run.finished")
    await alice.disconnect()
    await bob.disconnect()


async def test_a_compile_error_ends_the_run_without_a_verdict(
    worker, user, other_user, session, terminals
):
    alice, bob = await terminals(user, other_user, session, "print(\n")
    await alice.send_json_to({"type": "run", "mode": "interactive"})
    frames = await receive_until(alice, "run.finished")
    assert frames[-1]["detail"] == "compilation failed" and frames[-1]["verdict"] == ""
    assert "SyntaxError" in "".join(f.get("data", "") for f in frames if f["type"] == "output")
    await alice.disconnect()
    await bob.disconnect()
