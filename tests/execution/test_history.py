"""Run history, the version a run judged, diffs between runs, and per-test blame.

The blame scenario drives two real members through the unmodified sharedb client against a real
daphne, and pushes through the API to a real Celery worker: A writes a correct solution and
pushes (all pass); B breaks one function; A pushes: the tests that broke blame B's line and
versions, none of A's lines; B fixes it; the next push reports the tests fixed, by B.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from execution.blame import FLAKY, NO_VERSION, code_replay, lines_blame
from execution.models import Run, Verdict
from sessions_app.selectors import session_code_read
from sessions_app.services import session_create, session_join
from tests.execution.test_launcher import (  # noqa: F401 (terminal_socket is a fixture)
    receive_until,
    terminal_socket,
    wait_done,
)
from tests.factories import ChallengeFactory
from tests.sessions_app.ot_live import node

pytestmark = [pytest.mark.docker, pytest.mark.django_db(transaction=True), pytest.mark.timeout(600)]

EDITS = Path(__file__).with_name("sharedb_edits.mjs")
SOLUTION = (
    "def add(a, b):\n    return a + b\n\n\na, b = map(int, input().split())\nprint(add(a, b))\n"
)
PLUS = SOLUTION.index("+")


def cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def edit(live_server_url: str, session, members: list, steps: list[dict]) -> dict:
    config = {
        "url": live_server_url.replace("http://", "ws://") + "/ws/ot/",
        "origin": live_server_url,
        "doc": session.id,
        "cookies": [cookie(m) for m in members],
        "steps": steps,
    }
    result = node(EDITS, config, timeout=120)
    assert result["ok"] and result["returncode"] == 0, result
    return result


def push(api_client, user, session) -> dict:
    api_client.force_authenticate(user)
    created = api_client.post(f"/api/sessions/{session.id}/runs/", {"mode": "push"}, format="json")
    assert created.status_code == 201, created.content
    wait_done(created.json()["id"])
    return api_client.get(f"/api/runs/{created.json()['id']}/").json()


@pytest.mark.node
@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_blame_names_the_member_whose_edit_broke_and_fixed_the_tests(
    live_server_url, live_celery_worker, api_client, user, other_user, settings
):
    settings.RUNNER_RUNS_PER_MINUTE = 100
    session = session_create(challenge=ChallengeFactory(), owner=user, language="python")
    session_join(session=session, user=other_user)
    starter, _ = session_code_read(session_id=session.id)
    a, b = user.username, other_user.username

    written = edit(live_server_url, session, [user, other_user],
                   [{"who": 0, "at": 0, "delete": len(starter), "insert": SOLUTION}])  # fmt: skip
    first = push(api_client, user, session)
    assert first["verdict"] == Verdict.ACCEPTED and first["version"] == written["version"]
    assert first["previous"] is None and first["changes"] == []  # nothing to compare with

    broken = edit(live_server_url, session, [user, other_user],
                  [{"who": 1, "at": PLUS, "delete": 1, "insert": "-"}])  # fmt: skip
    second = push(api_client, user, session)
    assert second["verdict"] == Verdict.WRONG_ANSWER and second["previous"] == first["id"]
    assert [(c["position"], c["before"], c["after"]) for c in second["changes"]] == [
        (1, Verdict.ACCEPTED, Verdict.WRONG_ANSWER), (2, Verdict.ACCEPTED, Verdict.WRONG_ANSWER),
    ]  # fmt: skip
    for change in second["changes"]:
        assert change["blame"] == [
            {"user": b, "lines": [2, 2], "versions": [written["version"] + 1, broken["version"]]}
        ]
        assert a not in json.dumps(change["blame"]), "A's untouched lines are not blamed"
    hidden = next(c for c in second["changes"] if not c["sample"])
    assert set(hidden) == {"position", "sample", "before", "after", "blame", "note"}

    edit(live_server_url, session, [user, other_user],
         [{"who": 1, "at": PLUS, "delete": 1, "insert": "+"}])  # fmt: skip
    third = push(api_client, user, session)
    assert third["verdict"] == Verdict.ACCEPTED
    assert {(c["before"], c["after"]) for c in third["changes"]} == {
        (Verdict.WRONG_ANSWER, Verdict.ACCEPTED)
    }
    assert {r["user"] for c in third["changes"] for r in c["blame"]} == {b}

    history = api_client.get(f"/api/sessions/{session.id}/runs/").json()
    assert [r["id"] for r in history["results"]] == [third["id"], second["id"], first["id"]]
    assert [m["verdict"] for m in history["results"][1]["marks"]] == [Verdict.WRONG_ANSWER] * 2
    diff = api_client.get(f"/api/runs/{second['id']}/diff/").json()["diff"]
    assert "-    return a + b\n+    return a - b\n" in diff


def test_runs_record_their_version_and_custom_runs_their_exit_code(
    live_celery_worker, api_client, user
):
    session = session_create(challenge=ChallengeFactory(), owner=user, language="python")
    _, version = session_code_read(session_id=session.id)
    api_client.force_authenticate(user)
    url = f"/api/sessions/{session.id}/runs/"
    own = api_client.post(url, {"mode": "run", "code": "import sys\nsys.exit(3)\n"}, format="json")
    shared = api_client.post(url, {"mode": "run", "stdin": "1 2\n"}, format="json")
    own, shared = wait_done(own.json()["id"]), wait_done(shared.json()["id"])
    assert (own.version, shared.version) == (None, version)
    data = api_client.get(f"/api/runs/{own.pk}/").json()
    assert data["exit_code"] == 3 and data["time_ms"] >= 0 and data["version"] is None
    assert api_client.get(f"/api/runs/{shared.pk}/").json()["exit_code"] == 0


async def test_the_terminal_carries_versions_exit_codes_and_blame(
    live_celery_worker,
    user,
    other_user,
    terminal_socket,  # noqa: F811
):
    session = await sync_to_async(session_create)(
        challenge=await sync_to_async(ChallengeFactory)(), owner=user, language="python"
    )
    _, version = await sync_to_async(session_code_read)(session_id=session.id)
    terminal = await terminal_socket(user, session.id)
    await terminal.receive_json_from()
    await terminal.send_json_to({"type": "run", "mode": "run", "stdin": "1 2\n"})
    frames = await receive_until(terminal, "run.finished")
    queued = next(f for f in frames if f["type"] == "run.queued")
    assert queued["version"] == version
    finished = frames[-1]
    assert finished["exit_code"] == 0 and finished["time_ms"] >= 0
    assert finished["version"] == version
    await terminal.send_json_to({"type": "run", "mode": "push"})
    first = (await receive_until(terminal, "run.finished"))[-1]
    assert first["previous"] is None and first["changes"] == []
    await terminal.send_json_to({"type": "run", "mode": "push"})
    again = (await receive_until(terminal, "run.finished"))[-1]
    assert again["previous"] == first["run"] and again["changes"] == []  # nothing changed
    await terminal.disconnect()


def _push(session, user, code: str, verdicts: list[str], version: int | None) -> Run:
    run = Run.objects.create(
        session=session, user=user, mode="push", language="python", code=code, version=version,
        status="done", verdict=verdicts[0] if verdicts else Verdict.COMPILATION_ERROR,
    )  # fmt: skip
    for position, verdict in enumerate(verdicts, start=1):
        run.tests.create(position=position, is_sample=position == 1, verdict=verdict)
    return run


def test_blame_without_versions_and_for_unchanged_code(user):
    from execution.blame import run_changes

    session = session_create(challenge=ChallengeFactory(), owner=user, language="python")
    ok, wa = Verdict.ACCEPTED, Verdict.WRONG_ANSWER
    _push(session, user, "print(1)\n", [ok, ok], 3)
    own = _push(session, user, "print(2)\n", [wa, ok], None)
    previous, changes = run_changes(run=own, verdict=wa, results=list(own.tests.all()), total=2)
    assert [(c["position"], c["note"], c["blame"]) for c in changes] == [(1, NO_VERSION, [])]
    same = _push(session, user, "print(2)\n", [ok, ok], 4)
    same.code = own.code
    _, changes = run_changes(run=same, verdict=ok, results=list(same.tests.all()), total=2)
    assert changes[0]["note"] == NO_VERSION  # the previous push had no version either
    flaky = _push(session, user, "print(2)\n", [wa, ok], 4)
    _, changes = run_changes(run=flaky, verdict=wa, results=list(flaky.tests.all()), total=2)
    assert [(c["position"], c["note"]) for c in changes] == [(1, FLAKY)]
    compile_error = _push(session, user, "print(\n", [], 5)
    _, changes = run_changes(
        run=compile_error, verdict=Verdict.COMPILATION_ERROR, results=[], total=2
    )
    # Test 1 failed before and fails now; test 2 passed and did not run: it broke.
    assert [(c["position"], c["before"], c["after"]) for c in changes] == [
        (2, ok, Verdict.COMPILATION_ERROR)
    ]


def test_op_level_blame_follows_inserts_and_deletes():
    base = "one\ntwo\nthree\n"
    ops = [
        (10, "ann", [4, "TWO", {"d": 3}]),  # ann rewrites line 2
        (11, "bob", [8, {"d": 6}]),  # bob deletes the last line: no line is left to blame
        (12, "bob", [8, "four\nfive\n"]),
        (13, "ann", [13, {"d": 4}, "FIVE"]),
    ]
    text, touched = code_replay(base, ops)
    assert text == "one\nTWO\nfour\nFIVE\n"
    assert lines_blame(text, touched) == [
        {"user": "ann", "lines": [2, 2], "versions": [11, 11]},
        {"user": "bob", "lines": [3, 3], "versions": [13, 13]},
        {"user": "ann", "lines": [4, 4], "versions": [14, 14]},
    ]
