"""/ws/sessions/<id>/chat/ over the real Redis channel layer and database.

Each member is a WebsocketCommunicator with its user in the scope (as AuthMiddleware would put
it); events travel through Redis exactly as between daphne processes.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.db import connections

from chat.models import MESSAGE_MAX_LENGTH, Message
from chat.services import message_send
from sessions_app.consumers import CLOSE_NOT_ALLOWED
from sessions_app.models import Membership

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 15  # seconds to wait for a frame that must come (a hang guard, not a speed check)


@pytest.fixture(autouse=True)
async def _redis_layer():
    assert "Redis" in django_settings.CHANNEL_LAYERS["default"]["BACKEND"], "these tests need Redis"
    yield
    await sync_to_async(connections.close_all)()


@pytest.fixture
def open_socket(session_socket):
    """Connect as `user`; the socket and the history frame it gets first (closed at teardown)."""

    async def open_(room, user) -> tuple[WebsocketCommunicator, dict]:
        communicator = await session_socket(user, f"/ws/sessions/{room.session.id}/chat/")
        history = await receive(communicator)
        assert history["type"] == "history" and history["before"] is None
        return communicator, history

    return open_


async def receive(communicator: WebsocketCommunicator) -> dict[str, Any]:
    return json.loads(await communicator.receive_from(timeout=TIMEOUT))


async def send(communicator: WebsocketCommunicator, frame: dict[str, Any] | str) -> None:
    await communicator.send_to(text_data=frame if isinstance(frame, str) else json.dumps(frame))


@pytest.fixture
async def sockets(room, open_socket):
    """alice, bob and carol connected; closed at the end."""
    opened = {}
    for name in ("alice", "bob", "carol"):
        opened[name], _ = await open_socket(room, getattr(room, name))
    return opened


async def test_a_message_reaches_every_member_and_is_stored(room, sockets):
    await send(sockets["alice"], {"type": "message", "body": "hi @carol\n\n```py\nx = 1\n```"})
    frames = [await receive(sockets[name]) for name in ("alice", "bob", "carol")]
    assert frames[0] == frames[1] == frames[2]
    frame = frames[0]
    assert frame["type"] == "message" and frame["author"] == "alice" and frame["to"] is None
    assert frame["mentions"] == ["carol"] and '<span class="mention">@carol</span>' in frame["html"]
    assert '<div class="highlight">' in frame["html"]
    assert (
        frame["color"]
        == await sync_to_async(
            lambda: Membership.objects.get(session=room.session, user=room.alice).color
        )()
    )
    stored = await sync_to_async(Message.objects.get)(pk=frame["id"])
    assert stored.body == "hi @carol\n\n```py\nx = 1\n```"


async def test_a_direct_message_reaches_only_the_two(room, sockets, open_socket):
    await send(sockets["alice"], {"type": "message", "body": "just for you", "to": "bob"})
    for name in ("alice", "bob"):
        frame = await receive(sockets[name])
        assert frame["body"] == "just for you" and frame["to"] == "bob"
    # carol gets nothing, live or in history; a public message after it shows she is listening
    await send(sockets["bob"], {"type": "message", "body": "public again"})
    assert (await receive(sockets["carol"]))["body"] == "public again"
    assert await sockets["carol"].receive_nothing(timeout=0.3)
    late_carol, history = await open_socket(room, room.carol)
    assert [m["body"] for m in history["messages"]] == ["public again"]
    late_bob, history = await open_socket(room, room.bob)
    assert [m["body"] for m in history["messages"]] == ["just for you", "public again"]
    await late_carol.disconnect()
    await late_bob.disconnect()


async def test_every_tab_of_a_member_gets_their_direct_messages(room, sockets, open_socket):
    second_tab, _ = await open_socket(room, room.bob)
    await send(sockets["carol"], {"type": "message", "body": "dm", "to": "bob"})
    assert (await receive(second_tab))["body"] == "dm"
    assert (await receive(sockets["bob"]))["body"] == "dm"
    await second_tab.disconnect()


async def test_history_on_connect_is_the_last_50_and_pages_back(room, settings, open_socket):
    settings.CHAT_RATE_LIMIT_MESSAGES = 1000

    def seed():
        return [
            message_send(session=room.session, author=room.bob, body=f"m{i}").pk for i in range(55)
        ]

    ids = await sync_to_async(seed)()
    alice, history = await open_socket(room, room.alice)
    assert [m["id"] for m in history["messages"]] == ids[-50:] and history["has_more"] is True
    await send(alice, {"type": "history", "before": ids[-50]})
    older = await receive(alice)
    assert older["type"] == "history" and older["before"] == ids[-50]
    assert [m["body"] for m in older["messages"]] == [f"m{i}" for i in range(5)]
    assert older["has_more"] is False
    await alice.disconnect()


async def test_typing_goes_to_the_others_and_to_a_dm_recipient_only(room, sockets):
    await send(sockets["alice"], {"type": "typing"})
    for name in ("bob", "carol"):
        assert await receive(sockets[name]) == {"type": "typing", "user": "alice"}
    await send(sockets["carol"], {"type": "typing", "to": "bob"})
    assert await receive(sockets["bob"]) == {"type": "typing", "user": "carol", "direct": True}
    assert await sockets["alice"].receive_nothing(timeout=0.3)
    # nothing about typing is stored
    assert await sync_to_async(Message.objects.count)() == 0


async def test_a_flooder_is_refused_and_everyone_else_still_gets_through(room, sockets, settings):
    settings.CHAT_RATE_LIMIT_MESSAGES = 5
    for i in range(8):
        await send(sockets["alice"], {"type": "message", "body": f"flood {i}"})
    replies = [await receive(sockets["alice"]) for _ in range(8)]
    assert [r["body"] for r in replies if r["type"] == "message"] == [
        f"flood {i}" for i in range(5)
    ]
    errors = [r for r in replies if r["type"] == "error"]
    assert len(errors) == 3 and "Too many messages" in errors[0]["message"]
    for _ in range(5):
        assert (await receive(sockets["bob"]))["author"] == "alice"

    await send(sockets["bob"], {"type": "message", "body": "still here"})
    for name in ("alice", "bob", "carol"):
        frame = await receive(sockets[name])
        while frame["author"] == "alice":  # carol may still be reading the flood
            frame = await receive(sockets[name])
        assert frame["body"] == "still here"
    assert await sync_to_async(Message.objects.filter(author=room.alice).count)() == 5


@pytest.mark.parametrize(
    ("frame", "error"),
    [
        ("not json", "Malformed JSON"),
        ("[1, 2]", "JSON object"),
        ({"body": "no type"}, "JSON object"),
        ({"type": "shout"}, "Unknown frame type 'shout'"),
        ({"type": "message", "body": ""}, "empty"),
        ({"type": "message", "body": "   "}, "empty"),
        ({"type": "message"}, "must be text"),
        ({"type": "message", "body": 42}, "must be text"),
        ({"type": "message", "body": "x" * (MESSAGE_MAX_LENGTH + 1)}, "too long"),
        ({"type": "message", "body": "hi", "to": "nobody"}, "nobody is not a member"),
        ({"type": "message", "body": "hi", "to": "outsider"}, "outsider is not a member"),
        ({"type": "message", "body": "hi", "to": "alice"}, "yourself"),
        ({"type": "message", "body": "hi", "to": ["bob"]}, "username of a member"),
        ({"type": "history"}, "positive integer"),
        ({"type": "history", "before": "12"}, "positive integer"),
        ({"type": "history", "before": True}, "positive integer"),
        ({"type": "typing", "to": 7}, "username of a member"),
    ],
)
async def test_bad_frames_get_an_error_and_keep_the_connection(room, frame, error, open_socket):
    alice, _ = await open_socket(room, room.alice)
    await send(alice, frame)
    reply = await receive(alice)
    assert reply["type"] == "error" and error in reply["message"], reply
    await send(alice, {"type": "message", "body": "still connected"})
    assert (await receive(alice))["body"] == "still connected"
    assert await sync_to_async(Message.objects.count)() == 1
    await alice.disconnect()


async def test_an_oversized_frame_is_refused_without_closing(room, open_socket):
    alice, _ = await open_socket(room, room.alice)
    await send(alice, {"type": "message", "body": "x" * 70_000})
    assert "Frame too large" in (await receive(alice))["message"]
    await send(alice, {"type": "message", "body": "ok"})
    assert (await receive(alice))["body"] == "ok"
    await alice.disconnect()


async def test_non_members_and_anonymous_users_are_refused_with_4403(room, session_socket):
    from django.contrib.auth.models import AnonymousUser

    for user in (room.outsider, AnonymousUser()):
        path = f"/ws/sessions/{room.session.id}/chat/"
        _, connected, code = await session_socket.attempt(user, path)
        assert not connected and code == CLOSE_NOT_ALLOWED


async def test_a_member_removed_while_connected_can_no_longer_send(room, sockets):
    await sync_to_async(Membership.objects.filter(session=room.session, user=room.carol).delete)()
    await send(sockets["carol"], {"type": "message", "body": "am I still here?"})
    assert (await receive(sockets["carol"]))["message"] == "You are no longer a member."
    assert (await sockets["carol"].receive_output(timeout=TIMEOUT))["code"] == CLOSE_NOT_ALLOWED
    assert await sync_to_async(Message.objects.count)() == 0


async def test_xss_payloads_arrive_as_sanitised_html(room, sockets):
    payload = '<img src=x onerror="window.pwned=1"> <script>window.pwned=1</script> [x](javascript:alert(1))'
    await send(sockets["alice"], {"type": "message", "body": payload})
    frame = await receive(sockets["bob"])
    assert frame["body"] == payload  # the text is kept as written ...
    html = frame["html"].lower()  # ... and the HTML has nothing active
    assert "<img" not in html and "<script" not in html and "javascript:" not in html
