"""The launcher end to end: API and terminal WebSocket -> real Celery worker -> Docker runner."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings

from challenges.models import Challenge
from execution.models import Run, RunStatus, Verdict
from sessions_app.services import session_create, session_join
from tests.factories import ChallengeFactory, UserFactory

pytestmark = [pytest.mark.docker, pytest.mark.django_db(transaction=True)]

DEMO_PACK = Path(settings.BASE_DIR) / "challenges" / "packs" / "demo"
SOLUTION = "a, b = map(int, input().split())\nprint(a + b)\n"
HANG_GUARD_SECONDS = 120  # only stops a broken test from hanging; not a speed check


def wait_done(run_id: int) -> Run:
    deadline = time.monotonic() + HANG_GUARD_SECONDS
    while time.monotonic() < deadline:
        run = Run.objects.prefetch_related("tests").get(pk=run_id)
        if run.status == RunStatus.DONE:
            return run
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} did not finish: {Run.objects.get(pk=run_id).status}")


@pytest.fixture
def python_session(user):
    return session_create(challenge=ChallengeFactory(), owner=user, language="python")


def test_push_through_the_api_judges_every_test(
    live_celery_worker, api_client, user, python_session
):
    api_client.force_authenticate(user)
    url = f"/api/sessions/{python_session.id}/runs/"
    response = api_client.post(url, {"mode": "push", "code": SOLUTION}, format="json")
    assert response.status_code == 201
    run = wait_done(response.json()["id"])
    data = api_client.get(f"/api/runs/{run.pk}/").json()
    assert data["status"] == "done" and data["verdict"] == Verdict.ACCEPTED
    assert [t["verdict"] for t in data["tests"]] == [Verdict.ACCEPTED, Verdict.ACCEPTED]
    hidden = next(t for t in data["tests"] if not t["is_sample"])
    assert "output_excerpt" not in hidden


def test_the_session_code_is_run_by_default_and_wrong_answers_are_named(
    live_celery_worker, api_client, user, python_session
):
    api_client.force_authenticate(user)
    response = api_client.post(
        f"/api/sessions/{python_session.id}/runs/", {"mode": "push"}, format="json"
    )
    run = wait_done(response.json()["id"])
    assert run.code == "a, b = map(int, input().split())\n"  # the seeded starter code
    assert run.verdict == Verdict.WRONG_ANSWER
    hidden = next(
        t for t in api_client.get(f"/api/runs/{run.pk}/").json()["tests"] if not t["is_sample"]
    )
    assert hidden["verdict"] == Verdict.WRONG_ANSWER and hidden["detail"] == ""  # no hint


def test_run_mode_uses_custom_input(live_celery_worker, api_client, user, python_session):
    api_client.force_authenticate(user)
    response = api_client.post(
        f"/api/sessions/{python_session.id}/runs/",
        {"mode": "run", "stdin": "20 22\n", "code": SOLUTION},
        format="json",
    )
    run = wait_done(response.json()["id"])
    assert run.verdict == Verdict.ACCEPTED and run.output == "42\n"


def test_runtime_and_compile_errors(live_celery_worker, api_client, user):
    api_client.force_authenticate(user)
    challenge = Challenge.objects.get(pk=ChallengeFactory().pk)
    challenge.languages.create(language="cpp", starter_code="int main() { return 0 }\n")
    session = session_create(challenge=challenge, owner=user, language="cpp")
    url = f"/api/sessions/{session.id}/runs/"
    compile_error = wait_done(api_client.post(url, {"mode": "push"}, format="json").json()["id"])
    assert compile_error.verdict == Verdict.COMPILATION_ERROR
    crash = api_client.post(
        url, {"mode": "run", "language": "python", "code": "1/0\n"}, format="json"
    ).json()
    run = wait_done(crash["id"])
    assert run.verdict == Verdict.RUNTIME_ERROR and "ZeroDivisionError" in run.detail


def test_non_members_cannot_run_or_read_runs(
    live_celery_worker, api_client, user, other_user, staff_user, python_session
):
    api_client.force_authenticate(user)
    run_id = api_client.post(
        f"/api/sessions/{python_session.id}/runs/",
        {"mode": "run", "code": SOLUTION, "stdin": "1 1"},
        format="json",
    ).json()["id"]
    api_client.force_authenticate(other_user)
    assert (
        api_client.post(
            f"/api/sessions/{python_session.id}/runs/", {"mode": "push"}, format="json"
        ).status_code
        == 404
    )
    assert api_client.get(f"/api/runs/{run_id}/").status_code == 404
    # Staff read every run (the replay's run markers), redacted like a member's view.
    api_client.force_authenticate(staff_user)
    assert api_client.get(f"/api/runs/{run_id}/").json()["id"] == run_id
    wait_done(run_id)


def test_bad_run_requests_get_clear_errors(api_client, user, python_session, settings):
    api_client.force_authenticate(user)
    url = f"/api/sessions/{python_session.id}/runs/"
    assert api_client.post(url, {"mode": "explode"}, format="json").status_code == 400
    big = "x" * (settings.RUNNER_MAX_CODE_BYTES + 1)
    response = api_client.post(url, {"mode": "push", "code": big}, format="json")
    assert response.status_code == 400 and "too large" in response.json()["detail"]
    response = api_client.post(url, {"mode": "push", "language": "cobol"}, format="json")
    assert response.status_code == 400 and "cobol" in response.json()["detail"]
    assert Run.objects.count() == 0


def test_per_user_rate_limit(api_client, python_session, settings):
    settings.RUNNER_RUNS_PER_MINUTE = 2
    limited = UserFactory()
    session_join(session=python_session, user=limited)
    api_client.force_authenticate(limited)
    url = f"/api/sessions/{python_session.id}/runs/"
    codes = [
        api_client.post(url, {"mode": "run", "code": "print(1)"}, format="json").status_code
        for _ in range(3)
    ]
    assert codes == [201, 201, 429]
    for run in Run.objects.all():
        wait_done(run.pk)


async def receive_until(
    communicator: WebsocketCommunicator, wanted: str, run_id: int | None = None
) -> list[dict]:
    frames = []
    while True:
        frame = await communicator.receive_json_from(timeout=HANG_GUARD_SECONDS)
        frames.append(frame)
        if frame["type"] == wanted and (run_id is None or frame.get("run") == run_id):
            return frames


@pytest.fixture
def terminal_socket(session_socket):
    """Open a session's terminal socket as `user` (closed at teardown)."""

    async def open_(user, session_id: str) -> WebsocketCommunicator:
        return await session_socket(user, f"/ws/sessions/{session_id}/terminal/")

    return open_


async def test_terminal_streams_runs_to_every_member(
    live_celery_worker, user, other_user, python_session, terminal_socket
):
    await sync_to_async(session_join)(session=python_session, user=other_user)
    alice = await terminal_socket(user, python_session.id)
    bob = await terminal_socket(other_user, python_session.id)
    assert (await alice.receive_json_from())["type"] == "backlog"
    assert (await bob.receive_json_from())["type"] == "backlog"

    program = "import time\nfor i in range(3):\n    print('tick', i)\n    time.sleep(0.3)\n"
    await sync_to_async(_set_code)(python_session.id, program)
    await alice.send_json_to({"type": "run", "mode": "run", "stdin": ""})
    frames = await receive_until(bob, "run.finished")
    types = [f["type"] for f in frames]
    assert types[0] == "run.queued" and "run.started" in types
    outputs = [f["data"] for f in frames if f["type"] == "output"]
    assert "".join(outputs) == "tick 0\ntick 1\ntick 2\n"
    assert len(outputs) >= 2, "output must stream while the program runs, not arrive at the end"
    assert frames[-1]["verdict"] == Verdict.ACCEPTED
    await receive_until(alice, "run.finished")
    await alice.disconnect()
    await bob.disconnect()


def _set_code(session_id: str, code: str) -> None:
    from sessions_app.models import Document

    Document.objects.filter(collection="code", doc_id=session_id).update(data=code)


async def start_run(terminal_socket, user, other_user, session, code: str) -> WebsocketCommunicator:
    """`other_user` joins; `user` runs `code` from a terminal, returned past its backlog."""
    await sync_to_async(session_join)(session=session, user=other_user)
    terminal = await terminal_socket(user, session.id)
    await terminal.receive_json_from()
    await sync_to_async(_set_code)(session.id, code)
    await terminal.send_json_to({"type": "run", "mode": "run"})
    return terminal


async def test_a_member_joining_mid_run_sees_what_was_printed(
    live_celery_worker, user, other_user, python_session, terminal_socket
):
    program = "import time\nprint('early bird', flush=True)\ntime.sleep(1.5)\nprint('late')\n"
    alice = await start_run(terminal_socket, user, other_user, python_session, program)
    frames = await receive_until(alice, "output")
    assert "early bird" in frames[-1]["data"]
    bob = await terminal_socket(other_user, python_session.id)
    backlog = await receive_until(bob, "output")
    assert backlog[0]["type"] == "backlog" and "early bird" in backlog[-1]["data"]
    finished = await receive_until(bob, "run.finished")
    assert "late\n" in "".join(f.get("data", "") for f in finished)
    await alice.disconnect()
    await bob.disconnect()


async def test_a_member_connecting_after_a_run_sees_it_once_in_order(
    live_celery_worker, user, other_user, python_session, terminal_socket
):
    program = "print('from the last run')\n"
    alice = await start_run(terminal_socket, user, other_user, python_session, program)
    live = await receive_until(alice, "run.finished")
    bob = await terminal_socket(other_user, python_session.id)
    replay = await receive_until(bob, "run.finished")
    assert replay[0]["type"] == "backlog" and replay[0]["runs"][0]["status"] == "done"
    events = replay[1:]
    assert [e["seq"] for e in events] == list(range(len(events))), "numbered, none missing"
    assert [e for e in live if "seq" in e] == events, "the run as it was streamed"
    assert "from the last run" in "".join(e.get("data", "") for e in events)
    await alice.disconnect()
    await bob.disconnect()


async def test_runs_of_one_session_queue_with_their_position(
    live_celery_worker, user, python_session, terminal_socket
):
    alice = await terminal_socket(user, python_session.id)
    await alice.receive_json_from()
    await sync_to_async(_set_code)(
        python_session.id, "import time\ntime.sleep(0.5)\nprint('done')\n"
    )
    await alice.send_json_to({"type": "run", "mode": "run"})
    await alice.send_json_to({"type": "run", "mode": "run"})
    frames = await receive_until(alice, "run.queued")
    first = frames[-1]
    frames = await receive_until(alice, "run.queued")
    second = frames[-1]
    assert (first["position"], second["position"]) == (0, 1)
    frames = await receive_until(alice, "run.finished", second["run"])
    order = [(f["type"], f["run"]) for f in frames if f["type"] in ("run.started", "run.finished")]
    assert order.index(("run.finished", first["run"])) < order.index(("run.started", second["run"]))
    await alice.disconnect()


async def test_terminal_refuses_non_members_and_bad_frames(
    user, other_user, python_session, session_socket, terminal_socket
):
    path = f"/ws/sessions/{python_session.id}/terminal/"
    _, connected, code = await session_socket.attempt(other_user, path)
    assert not connected and code == 4403
    alice = await terminal_socket(user, python_session.id)
    await alice.receive_json_from()
    await alice.send_to(text_data="{not json")
    assert (await alice.receive_json_from())["message"] == "Malformed JSON."
    await alice.send_json_to({"type": "dance"})
    assert "Unknown message type" in (await alice.receive_json_from())["message"]
    await alice.send_json_to({"type": "run", "mode": "sideways"})
    assert "Unknown mode" in (await alice.receive_json_from())["message"]
    await alice.send_to(text_data="x" * 70_000)
    assert "too large" in (await alice.receive_json_from())["message"]
    await alice.send_json_to({"type": "run", "mode": "run", "stdin": ["not", "text"]})
    assert "stdin must be text" in (await alice.receive_json_from())["message"]
    assert await sync_to_async(Run.objects.count)() == 0
    await alice.disconnect()
