"""/ws/sessions/<id>/presence/ over the real Redis channel layer and database: who is online,
what they do, and who joined, for the members panel."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections

from codepusher.redis import redis_client
from sessions_app.consumers import CLOSE_NOT_ALLOWED
from sessions_app.presence import presence_activity_key, presence_key
from sessions_app.services import session_join
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 15  # a hang guard, not a speed check


@pytest.fixture
def room(db, session_factory):
    owner, guest = UserFactory(username="ada"), UserFactory(username="bo")
    session = session_factory(owner=owner)
    session_join(session=session, user=guest)
    yield session, owner, guest
    redis_client().delete(presence_key(session.id), presence_activity_key(session.id))


@pytest.fixture(autouse=True)
async def _close_db():
    yield
    await sync_to_async(connections.close_all)()


@pytest.fixture
def connect(session_socket):
    """Open the presence socket of `session` as `user` (closed at teardown)."""

    async def connect_(session, user) -> WebsocketCommunicator:
        return await session_socket(user, f"/ws/sessions/{session.id}/presence/")

    return connect_


async def receive(communicator) -> dict[str, Any]:
    return json.loads(await communicator.receive_from(timeout=TIMEOUT))


async def receive_type(communicator, kind: str, user: str | None = None) -> dict[str, Any]:
    """The next frame of that type (about that member), skipping others (e.g. our own online)."""
    while True:
        frame = await receive(communicator)
        if frame["type"] == kind and (user is None or frame.get("user") == user):
            return frame


async def test_snapshot_online_activity_and_offline(room, connect):
    session, owner, guest = room
    a = await connect(session, owner)
    snapshot = await receive(a)
    assert snapshot["type"] == "presence"
    assert [(m["user"], m["owner"]) for m in snapshot["members"]] == [("ada", True), ("bo", False)]
    assert snapshot["online"] == ["ada"]

    b = await connect(session, guest)
    assert (await receive(b))["online"] == ["ada", "bo"]
    assert await receive_type(a, "member.online", "bo") == {"type": "member.online", "user": "bo"}

    await b.send_to(text_data=json.dumps({"type": "activity", "editing": True, "call": False}))
    frame = await receive_type(a, "member.activity")
    assert frame == {
        "type": "member.activity",
        "user": "bo",
        "activity": {"editing": True, "running": False, "call": False},
    }
    # A late joiner gets the activity in the snapshot.
    c = await connect(session, guest)
    assert (await receive(c))["activity"]["bo"]["editing"] is True

    # bo has two sockets: closing one keeps bo online, closing both does not.
    await c.disconnect()
    assert await a.receive_nothing(timeout=1), "bo is still online in the other tab"
    await b.disconnect()
    assert await receive_type(a, "member.offline", "bo") == {"type": "member.offline", "user": "bo"}
    await a.disconnect()


async def test_a_new_member_is_announced(room, session_factory, connect):
    session, owner, _ = room
    a = await connect(session, owner)
    await receive(a)
    newcomer = await sync_to_async(UserFactory)(username="cy")
    await sync_to_async(session_join)(session=session, user=newcomer)
    frame = await receive_type(a, "member.joined")
    assert frame["user"] == "cy" and frame["color"].startswith("#")
    await a.disconnect()


async def test_bad_frames_get_an_error_and_outsiders_are_refused(room, connect, session_socket):
    session, owner, _ = room
    a = await connect(session, owner)
    await receive(a)
    await a.send_to(text_data=json.dumps({"type": "activity", "editing": "yes"}))
    assert (await receive_type(a, "error"))["message"] == '"editing" must be true or false.'
    await a.send_to(text_data=json.dumps({"type": "shout"}))
    assert "Unknown message type" in (await receive_type(a, "error"))["message"]
    await a.disconnect()

    outsider = await sync_to_async(UserFactory)(username="zed")
    path = f"/ws/sessions/{session.id}/presence/"
    _, connected, code = await session_socket.attempt(outsider, path)
    assert not connected and code == CLOSE_NOT_ALLOWED


async def test_a_member_switches_the_language_and_every_room_is_told(room, connect):
    from challenges.models import ChallengeLanguage

    session, owner, guest = room
    await sync_to_async(ChallengeLanguage.objects.create)(
        challenge=session.challenge, language="cpp", starter_code="int main() {}\n"
    )
    a, b = await connect(session, owner), await connect(session, guest)
    await receive(a), await receive(b)
    await b.send_to(text_data=json.dumps({"type": "language", "language": "cpp"}))
    for socket in (a, b):
        frame = await receive_type(socket, "language.changed")
        assert frame["language"] == "cpp" and frame["by"] == "bo"
        assert frame["starter"] == "int main() {}\n"
    await sync_to_async(session.refresh_from_db)()
    assert session.language == "cpp"

    await a.send_to(text_data=json.dumps({"type": "language", "language": "cobol"}))
    error = await receive_type(a, "error")
    assert "'cobol' is not a language of this challenge" in error["message"]
    await a.disconnect()
    await b.disconnect()


async def test_only_the_owner_asks_everyone_to_follow(room, connect):
    session, owner, guest = room
    a, b = await connect(session, owner), await connect(session, guest)
    await receive(a), await receive(b)
    await b.send_to(text_data=json.dumps({"type": "follow.me"}))
    assert "Only the session's owner" in (await receive_type(b, "error"))["message"]
    await a.send_to(text_data=json.dumps({"type": "follow.me"}))
    assert await receive_type(b, "follow.request") == {"type": "follow.request", "user": "ada"}
    await a.disconnect()
    await b.disconnect()
