"""Issue 14: the replay API (timeline pages, versions, restore, export) and a Node rebuild."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from chat.services import message_send
from execution.models import Run, RunMode
from sessions_app.models import DocumentOp, MembershipEvent
from sessions_app.ot import storage, text_unicode
from sessions_app.ot.types import CODE_COLLECTION, CommittedOp, snapshot_apply
from sessions_app.services import session_join, session_member_remove, text_replace_op
from tests.factories import UserFactory
from tests.sessions_app.test_text_unicode import random_typing_op

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]


def type_ops(session, user, count: int, seed: int = 7) -> None:
    """`count` keystrokes by `user`, committed as the editor's ops are (emoji included)."""
    rng = random.Random(seed)
    for _ in range(count):
        current = storage.snapshot_get(CODE_COLLECTION, session.id)
        op = CommittedOp(v=current.v, src="t", seq=current.v, body={"op": None})
        op.body["op"] = text_unicode.normalize(random_typing_op(rng, current.data)) or ["x"]
        assert storage.op_commit(
            CODE_COLLECTION, session.id, op, snapshot_apply(current, op), user_id=user.pk
        )


def url(session, tail: str) -> str:
    return f"/api/sessions/{session.id}/{tail}"


def all_events(client, session, limit: int) -> list[dict]:
    events, after = [], ""
    while True:
        page = client.get(url(session, f"timeline/?limit={limit}&after={after}")).json()
        events += page["events"]
        if page["next"] is None:
            return events
        after = page["next"]


@pytest.fixture
def busy(session_factory, user, other_user):
    """Two members who typed, ran, chatted (one DM) and came and went."""
    session = session_factory(owner=user)
    session_join(session=session, user=other_user)
    type_ops(session, user, 30)
    version = storage.snapshot_get(CODE_COLLECTION, session.id).v
    run = Run.objects.create(
        session=session, user=other_user, mode=RunMode.PUSH, language="python", code="",
        version=version, verdict="WRONG_ANSWER",
    )  # fmt: skip
    message_send(session=session, author=user, body="public **hi**")
    message_send(session=session, author=user, body="secret", recipient=other_user)
    type_ops(session, other_user, 25, seed=8)
    third = UserFactory()
    session_join(session=session, user=third)
    session_member_remove(session=session, by=user, user=third)
    return session, run, third


def test_the_timeline_has_every_kind_in_time_order(api_client, busy, user, other_user):
    session, run, third = busy
    api_client.force_authenticate(other_user)
    events = all_events(api_client, session, 1000)
    kinds = [e["kind"] for e in events]
    assert kinds.count("op") == 1 + 30 + 25  # the create op, then the keystrokes
    assert [e["v"] for e in events if e["kind"] == "op"] == list(range(1, 57))
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)
    assert all(e["at"].endswith("Z") and len(e["at"]) == 24 for e in events)  # milliseconds
    (run_event,) = [e for e in events if e["kind"] == "run"]
    assert run_event == {
        "kind": "run", "at": run_event["at"], "user": other_user.username, "id": run.pk,
        "mode": "push", "version": run.version, "verdict": "WRONG_ANSWER",
    }  # fmt: skip
    members = [(e["user"], e["action"]) for e in events if e["kind"] == "member"]
    assert members == [
        (user.username, "joined"), (other_user.username, "joined"),
        (third.username, "joined"), (third.username, "removed"),
    ]  # fmt: skip
    ops_of = {e["user"] for e in events if e["kind"] == "op" and "op" in e}
    assert ops_of == {user.username, other_user.username}


def test_direct_messages_only_reach_their_two_people(api_client, busy, user, other_user):
    session, _, _ = busy
    outsider_staff = UserFactory(is_staff=True)
    seen = {}
    for reader in (user, other_user, outsider_staff):
        api_client.force_authenticate(reader)
        messages = [e for e in all_events(api_client, session, 5000) if e["kind"] == "message"]
        seen[reader.username] = [m["body"] for m in messages]
    assert seen[user.username] == seen[other_user.username] == ["public **hi**", "secret"]
    assert seen[outsider_staff.username] == ["public **hi**"]  # staff read, but not DMs


def test_pages_join_up_exactly_whatever_their_size(api_client, busy, other_user):
    session, _, _ = busy
    api_client.force_authenticate(other_user)
    whole = all_events(api_client, session, 5000)
    for limit in (1, 7, 50):
        assert all_events(api_client, session, limit) == whole


@pytest.mark.parametrize(
    ("query", "field"),
    [("after=nonsense", "detail"), ("after=1.9.1", "detail"), ("after=%27%3B--", "detail"),
     ("limit=0", "detail"), ("limit=5001", "detail"), ("limit=ten", "limit")],
)  # fmt: skip
def test_bad_cursors_and_limits_get_a_clear_400(api_client, busy, user, query, field):
    session, _, _ = busy
    api_client.force_authenticate(user)
    response = api_client.get(url(session, f"timeline/?{query}"))
    assert response.status_code == 400
    assert field in response.json()


def test_only_members_and_staff_read_and_only_members_restore(api_client, busy, user):
    session, _, third = busy
    paths = ["timeline/", "versions/3/", "export/"]
    for reader, code in ((UserFactory(), 404), (third, 404), (None, 403)):
        api_client.force_authenticate(reader)
        for path in paths:
            assert api_client.get(url(session, path)).status_code == code, (reader, path)
        assert api_client.post(url(session, "restore/"), {"version": 2}).status_code == code
    staff = UserFactory(is_staff=True)
    api_client.force_authenticate(staff)
    for path in paths:
        assert api_client.get(url(session, path)).status_code == 200, path
    assert api_client.post(url(session, "restore/"), {"version": 2}).status_code == 404
    assert api_client.get("/api/sessions/nosuchsession/timeline/").status_code == 404


def test_versions_come_from_the_nearest_snapshot(api_client, busy, user):
    session, run, _ = busy
    api_client.force_authenticate(user)
    events = all_events(api_client, session, 5000)
    texts = {}
    text = None
    for event in (e for e in events if e["kind"] == "op"):
        text = (
            event["create"]["data"] if "create" in event else text_unicode.apply(text, event["op"])
        )
        texts[event["v"]] = text
    for version in (1, 2, run.version, 56):
        assert api_client.get(url(session, f"versions/{version}/")).json() == {
            "v": version, "text": texts[version],
        }  # fmt: skip
    assert api_client.get(url(session, "versions/57/")).status_code == 404


def test_restore_writes_one_op_by_the_member(api_client, busy, other_user):
    session, run, _ = busy
    api_client.force_authenticate(other_user)
    before = storage.snapshot_get(CODE_COLLECTION, session.id)
    target = api_client.get(url(session, f"versions/{run.version}/")).json()["text"]
    response = api_client.post(url(session, "restore/"), {"version": run.version}, format="json")
    assert response.status_code == 200 and response.json() == {"v": before.v + 1}
    after = storage.snapshot_get(CODE_COLLECTION, session.id)
    assert after.v == before.v + 1 and after.data == target
    op = DocumentOp.objects.get(collection=CODE_COLLECTION, doc_id=session.id, version=before.v)
    assert op.user_id == other_user.pk
    # Restoring what is already there changes nothing.
    again = api_client.post(url(session, "restore/"), {"version": after.v}, format="json")
    assert again.json() == {"v": after.v}
    for bad in ("x", 0, after.v + 5):
        response = api_client.post(url(session, "restore/"), {"version": bad}, format="json")
        assert response.status_code == 400, bad


def test_text_replace_op_is_minimal_and_counts_code_points():
    assert text_replace_op("a😀bc", "a😀xc") == [2, "x", {"d": 1}]
    assert text_replace_op("same", "same") == []
    for old, new in (("", "new"), ("old", ""), ("🙂🙂", "🙂"), ("abcabc", "abc")):
        assert text_unicode.apply(old, text_replace_op(old, new)) == new


@pytest.mark.node
def test_node_rebuilds_every_run_version_from_the_export(api_client, busy, user, tmp_path):
    session, run, _ = busy
    for _ in range(3):  # more runs at later versions
        type_ops(session, user, 7, seed=run.pk + _)
        Run.objects.create(
            session=session, user=user, mode=RunMode.RUN, language="python", code="",
            version=storage.snapshot_get(CODE_COLLECTION, session.id).v,
        )  # fmt: skip
    api_client.force_authenticate(user)
    response = api_client.get(url(session, "export/"))
    assert response["Content-Disposition"].startswith("attachment;")
    exported = json.loads(response.content)
    assert set(exported) >= {"challenge", "members", "ops", "runs", "messages", "membership"}
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported))
    node = shutil.which("node")
    assert node, "node is needed"
    result = subprocess.run(
        [node, "tests/node/replay_export.mjs", str(path)],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    versions = json.loads(result.stdout)["versions"]
    checked = [r["version"] for r in exported["runs"]] + [max(map(int, versions))]
    assert len(checked) == 5
    for version in checked:
        expected = storage.snapshot_at_version(CODE_COLLECTION, session.id, version).data
        assert versions[str(version)] == expected, version
    assert versions[str(checked[-1])] == storage.snapshot_get(CODE_COLLECTION, session.id).data
    assert MembershipEvent.objects.filter(session=session).count() == len(exported["membership"])


def test_the_replay_page_is_for_members_and_staff(client, busy, user):
    session, _, third = busy
    page = f"/s/{session.id}/replay/"
    client.force_login(user)
    html = client.get(page).content.decode()
    assert 'data-replay="restore"' in html and 'id="replay-config"' in html
    assert 'class="replay-initial markdown"><div class="highlight">' in html  # first frame
    assert f"/api/sessions/{session.id}/export/" in html
    client.force_login(UserFactory(is_staff=True))
    html = client.get(page).content.decode()
    assert 'data-replay="play"' in html and 'data-replay="restore"' not in html  # staff: watch
    for reader in (UserFactory(), third):
        client.force_login(reader)
        assert client.get(page).status_code == 404


def test_the_room_and_the_profile_link_to_the_replay(client, busy, user):
    session, _, _ = busy
    client.force_login(user)
    replay = f"/s/{session.id}/replay/"
    assert f'href="{replay}"' in client.get(f"/s/{session.id}/").content.decode()
    assert f'href="{replay}"' in client.get("/accounts/profile/").content.decode()


def test_restore_keeps_to_the_editors_limits(api_client, busy, other_user, settings):
    session, run, _ = busy
    api_client.force_authenticate(other_user)
    before = storage.snapshot_get(CODE_COLLECTION, session.id)
    settings.OT_MAX_SESSION_OP_BYTES = 1  # the log is already over: nothing more is stored
    response = api_client.post(url(session, "restore/"), {"version": run.version}, format="json")
    assert response.status_code == 400 and "history is full" in response.json()["detail"]
    settings.OT_MAX_SESSION_OP_BYTES = 64 * 1024 * 1024
    settings.OT_MAX_OP_BYTES = 2  # any real restore op is bigger than two bytes
    response = api_client.post(url(session, "restore/"), {"version": run.version}, format="json")
    assert response.status_code == 400 and "too much" in response.json()["detail"]
    assert storage.snapshot_get(CODE_COLLECTION, session.id).v == before.v
