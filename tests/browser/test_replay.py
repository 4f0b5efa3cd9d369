"""The session replay in Chromium: two members type, submit and chat; one opens the replay, sees
everyone's contributions, plays it, jumps to the run's marker and sees that run's exact code, then
restores an earlier version, which arrives in the other member's editor (real daphne, Celery,
Docker, Chromium)."""

from __future__ import annotations

import pytest

from execution.models import Run
from sessions_app.ot import storage
from sessions_app.ot.types import CODE_COLLECTION

pytestmark = [
    pytest.mark.browser,
    pytest.mark.docker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_chat_rate_limits"),
]

TIMEOUT_MS = 120_000  # a hang guard: the first run may wait for a runner container
EDITOR_TEXT = "() => document.querySelector('#editor .cm-content').innerText"


def _rooms(new_page, session, *users) -> list:
    """Each member's room, its terminal connected and its editor loaded."""
    pages = [new_page(member, session.get_absolute_url()) for member in users]
    for page in pages:
        page.wait_for_function(
            "() => window.codepusher && window.codepusher.terminal.isConnected()"
            " && window.codepusher.editor.isReady()"
        )
    return pages


def test_replay_plays_jumps_to_a_run_and_restores(
    room_session, user, other_user, live_celery_worker, new_page
):
    first, second = _rooms(new_page, room_session, user, other_user)
    starter_shown = first.evaluate(EDITOR_TEXT)  # as the editor renders it
    starter = storage.snapshot_at_version(CODE_COLLECTION, room_session.id, 1).data

    first.click("#editor .cm-content")
    first.keyboard.press("Control+End")
    first.keyboard.type("\n# first member was here")
    second.wait_for_function(f"() => ({EDITOR_TEXT})().includes('first member was here')")
    second.click("#editor .cm-content")
    second.keyboard.press("Control+End")
    second.keyboard.type("\n# and the second")
    first.wait_for_function(f"() => ({EDITOR_TEXT})().includes('and the second')")

    first.click("#submit-button")
    run = None
    for _ in range(TIMEOUT_MS // 250):
        run = Run.objects.filter(session=room_session).first()
        if run is not None and run.verdict:
            break
        first.wait_for_timeout(250)
    assert run is not None and run.verdict and run.version, run
    first.fill("#chat .chat-input", "submitted, **look**")
    first.press("#chat .chat-input", "Enter")
    second.wait_for_selector("#chat .chat-msg:has-text('submitted, look')")
    second.keyboard.type("\n# typed after the run")
    first.wait_for_function(f"() => ({EDITOR_TEXT})().includes('typed after the run')")

    replay = new_page(user, f"/s/{room_session.id}/replay/")
    replay.wait_for_selector("#replay[data-loaded=true]")
    assert replay.locator(".replay-track").count() == 3  # two members + runs/chat
    assert replay.locator(".replay-run").count() >= 1
    state = replay.evaluate("window.codepusherReplay.state()")
    assert state["version"] == 1 and state["text"] == starter

    # The contributions panel (the stats API through frontend/stats.js), open on the replay.
    mine = f".replay-stats .stats-table tr[data-username='{user.username}']"
    theirs = f".replay-stats .stats-table tr[data-username='{other_user.username}']"
    replay.wait_for_selector(mine)
    assert replay.locator(f"{mine} td[data-key=pushes]").inner_text() == "1"
    assert replay.locator(f"{theirs} td[data-key=pushes]").inner_text() == "0"
    for row in (mine, theirs):
        assert int(replay.locator(f"{row} td[data-key=inserted]").inner_text()) > 0

    replay.select_option("[data-replay=speed]", "8")
    replay.click("[data-replay=play]")
    replay.wait_for_function("() => window.codepusherReplay.state().version > 1")
    replay.keyboard.press("Space")  # pause
    assert replay.evaluate("window.codepusherReplay.state().playing") is False

    replay.click(f".replay-marker.replay-run[data-run='{run.pk}']")
    replay.wait_for_selector(f".replay-run[data-run='{run.pk}'] .verdict")
    state = replay.evaluate("window.codepusherReplay.state()")
    assert state["version"] == run.version and state["text"] == run.code
    assert replay.locator(".replay-message-item:has-text('submitted, look')").count() == 0
    replay.click(".replay-marker.replay-message")  # sent after the run: shown from its moment
    replay.wait_for_selector(".replay-message-item:has-text('submitted, look')")

    replay.evaluate("window.codepusherReplay.seekVersion(1)")
    replay.on("dialog", lambda dialog: dialog.accept())
    replay.click("[data-replay=restore]")
    replay.wait_for_selector(".replay-status[data-kind=ok]")
    second.wait_for_function(f"(s) => ({EDITOR_TEXT})() === s", arg=starter_shown)
    first.wait_for_function(f"(s) => ({EDITOR_TEXT})() === s", arg=starter_shown)
    assert storage.snapshot_get(CODE_COLLECTION, room_session.id).data == starter


SOLUTION = "a, b = map(int, input().split())\nprint(a + b)\n"
BROKEN = "a, b = map(int, input().split())\nprint(a - b)\n"


def _push_and_wait(page, session, count: int) -> Run:
    """Submit from `page` and wait for the session's `count`-th run to have its verdict."""
    page.evaluate("() => window.codepusher.terminal.run('push')")
    for _ in range(TIMEOUT_MS // 250):
        runs = list(Run.objects.filter(session=session).order_by("created_at"))
        if len(runs) >= count and runs[count - 1].verdict:
            return runs[count - 1]
        page.wait_for_timeout(250)
    raise AssertionError(f"run {count} got no verdict")


def _write(page, other, code: str) -> None:
    page.evaluate("(code) => window.codepusher.editor.replaceAll(code)", code)
    other.wait_for_function("(c) => window.codepusher.editor.getText() === c", arg=code)
    page.wait_for_function("() => !window.codepusher.editor.hasPendingEdits()")


def test_replay_rings_the_edits_a_push_blames(
    room_session, user, other_user, live_celery_worker, new_page
):
    first, second = _rooms(new_page, room_session, user, other_user)
    _write(first, second, SOLUTION)
    passed = _push_and_wait(first, room_session, 1)
    assert passed.verdict == "ACCEPTED", passed.output
    _write(second, first, BROKEN)  # the partner's edit breaks it
    broken = _push_and_wait(first, room_session, 2)
    assert broken.verdict != "ACCEPTED"

    replay = new_page(user, f"/s/{room_session.id}/replay/")
    replay.wait_for_selector("#replay[data-loaded=true]")
    assert replay.locator(".replay-blamed").count() == 0

    replay.click(f".replay-marker.replay-run[data-run='{broken.pk}']")
    replay.wait_for_selector(f".replay-run[data-run='{broken.pk}'] .replay-changes")
    changes = replay.inner_text(".replay-run .replay-changes")
    assert f"test 1 broke: {other_user.username} changed line" in changes
    theirs = f".replay-lane[data-user='{other_user.username}'] .replay-blamed"
    mine = f".replay-lane[data-user='{user.username}'] .replay-blamed"
    assert replay.locator(theirs).count() >= 1
    assert replay.locator(mine).count() == 0  # only the blamed member's edits are ringed

    # The first push changed nothing since no previous push: no blame, no ring.
    replay.click(f".replay-marker.replay-run[data-run='{passed.pk}']")
    replay.wait_for_selector(f".replay-run[data-run='{passed.pk}'] .verdict")
    assert replay.locator(".replay-run .replay-changes").count() == 0
    assert replay.locator(".replay-blamed").count() == 0
