"""`/ws/ot/` over the real Redis channel layer and database: auth, membership, fan-out."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections
from django.db.models import F
from django.test import Client

from sessions_app.close_codes import CLOSE_NOT_ALLOWED, CLOSE_UNAUTHENTICATED
from sessions_app.models import DocumentOp, Membership
from sessions_app.ot import storage
from sessions_app.ot.hub import CHANNEL_LAYER_ALIAS, Hub, get_hub
from sessions_app.ot.protocol import Agent
from sessions_app.ot.types import DocumentAccess
from sessions_app.ot.wire import MAX_MESSAGE_BYTES
from sessions_app.services import session_join
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

HS = {"a": "hs", "id": None, "protocol": 1, "protocolMinor": 2}


@pytest.fixture(autouse=True)
async def _redis_layer_and_cleanup():
    assert "Redis" in settings.CHANNEL_LAYERS["default"]["BACKEND"], "these tests need Redis"
    yield
    await get_hub().close()
    await sync_to_async(connections.close_all)()


@pytest.fixture
def room(session_factory):
    """A session with two members and one outsider, as cookies."""

    def make():
        owner, guest, outsider = UserFactory(), UserFactory(), UserFactory()
        session = session_factory(owner=owner)
        session_join(session=session, user=guest)
        cookies = {}
        for name, user in (("owner", owner), ("guest", guest), ("outsider", outsider)):
            client = Client()
            client.force_login(user)
            cookies[name] = f"sessionid={client.cookies['sessionid'].value}"
        return session.id, cookies

    return sync_to_async(make)


@pytest.fixture
def connect(session_socket):
    """Open `/ws/ot/` authenticated by a session cookie, as the browser does (closed at teardown)."""

    async def connect_(cookie: str | None) -> WebsocketCommunicator:
        return await session_socket(None, "/ws/ot/", cookie=cookie)

    return connect_


async def ask(communicator: WebsocketCommunicator, message: dict[str, Any] | str) -> dict:
    text = message if isinstance(message, str) else json.dumps(message)
    await communicator.send_to(text_data=text)
    return json.loads(await communicator.receive_from(timeout=5))


async def test_anonymous_connection_is_closed_with_4401(session_socket):
    communicator = await session_socket(None, "/ws/ot/")
    assert await communicator.receive_output(timeout=2) == {
        "type": "websocket.close",
        "code": CLOSE_UNAUTHENTICATED,
    }


async def test_outsider_never_gets_the_document(room, connect):
    session_id, cookies = await room()
    ws = await connect(cookies["outsider"])
    assert (await ask(ws, HS))["a"] == "hs"
    for request, code in [
        ({"a": "s", "c": "code", "d": session_id, "v": None}, "ERR_SNAPSHOT_READS_REJECTED"),
        ({"a": "f", "c": "code", "d": session_id, "v": 0}, "ERR_SNAPSHOT_READS_REJECTED"),
        ({"a": "bs", "c": "code", "b": [session_id]}, None),
        ({"a": "nf", "id": 1, "c": "code", "d": session_id, "v": 1}, "ERR_SNAPSHOT_READS_REJECTED"),
        (
            {"a": "op", "c": "code", "d": session_id, "v": 1, "seq": 1, "op": ["x"]},
            "ERR_OP_SUBMIT_REJECTED",
        ),
        ({"a": "ps", "ch": f"code.{session_id}", "seq": 1}, "ERR_SNAPSHOT_READS_REJECTED"),
        ({"a": "f", "c": "users", "d": "1", "v": None}, "ERR_SNAPSHOT_READS_REJECTED"),
    ]:
        reply = await ask(ws, request)
        if code is None:  # bulk form: a per-document error
            assert reply["data"][session_id]["error"]["code"] == "ERR_SNAPSHOT_READS_REJECTED"
        else:
            assert reply["error"]["code"] == code
        assert "starter" not in json.dumps(reply) and "input()" not in json.dumps(reply)
    assert await ws.receive_nothing(timeout=0.3)
    assert await DocumentOp.objects.filter(doc_id=session_id).acount() == 1
    await ws.disconnect()


async def test_members_edit_together_and_every_op_is_stored(room, connect):
    session_id, cookies = await room()
    owner, guest = await connect(cookies["owner"]), await connect(cookies["guest"])
    snapshots = []
    for ws in (owner, guest):
        await ask(ws, HS)
        reply = await ask(ws, {"a": "s", "c": "code", "d": session_id, "v": None})
        snapshots.append(reply["data"])
    assert snapshots[0] == snapshots[1] and snapshots[0]["v"] == 1
    assert snapshots[0]["type"] == "http://sharejs.org/types/text-unicode"
    ack = await ask(
        owner, {"a": "op", "c": "code", "d": session_id, "v": 1, "seq": 1, "op": ["# 😀\n"]}
    )
    assert ack["v"] == 1 and "op" not in ack
    pushed = json.loads(await guest.receive_from(timeout=5))
    assert pushed["op"] == ["# 😀\n"] and pushed["v"] == 1
    # Guest's concurrent op at the old version is transformed; owner then gets it.
    ack = await ask(
        guest, {"a": "op", "c": "code", "d": session_id, "v": 1, "seq": 1, "op": [2, "!"]}
    )
    assert ack["v"] == 2
    pushed = json.loads(await owner.receive_from(timeout=5))
    assert pushed["v"] == 2 and pushed["op"] == [6, "!"]  # code points: the emoji is one
    doc = await storage.asnapshot_get("code", session_id)
    assert doc.v == 3 and doc.data.startswith("# 😀\na,") and doc.data.count("!") == 1
    # Bad input on the socket: an error each time, the socket stays usable, nothing stored.
    for frame in ("{nope", "[]", json.dumps({"a": "pp", "x": "y" * MAX_MESSAGE_BYTES})):
        assert (await ask(owner, frame))["error"]["code"] == "ERR_MESSAGE_BADLY_FORMED"
    await owner.send_to(bytes_data=b"\x00\x01")
    assert json.loads(await owner.receive_from())["error"]["code"] == "ERR_MESSAGE_BADLY_FORMED"
    assert await ask(owner, {"a": "pp"}) == {"a": "pp"}
    assert await DocumentOp.objects.filter(doc_id=session_id).acount() == 3
    await owner.disconnect()
    await guest.disconnect()


async def test_presence_reaches_other_members_and_is_withdrawn_on_disconnect(room, connect):
    session_id, cookies = await room()
    owner, guest = await connect(cookies["owner"]), await connect(cookies["guest"])
    ch = f"code.{session_id}"
    for ws in (owner, guest):
        await ask(ws, HS)
        await ask(ws, {"a": "s", "c": "code", "d": session_id, "v": None})
    await ask(owner, {"a": "ps", "ch": ch, "seq": 1})
    await ask(guest, {"a": "ps", "ch": ch, "seq": 1})
    assert json.loads(await owner.receive_from()) == {"a": "pr", "ch": ch}
    # The guest claims the owner's name and colour for their caret; the server has the last word.
    spoofed = {"start": 1, "end": 2, "u": "the-owner", "c": "#000000"}
    presence = {"a": "p", "ch": ch, "id": "c1", "p": spoofed, "pv": 0}
    presence.update(c="code", d=session_id, v=1, t="http://sharejs.org/types/text-unicode")
    ack = await ask(guest, presence)
    member = await (
        Membership.objects.select_related("user")
        .filter(session_id=session_id)
        .exclude(user_id=F("session__owner_id"))
        .aget()
    )
    assert ack["p"] == {"start": 1, "end": 2, "u": member.user.username, "c": member.color}
    assert json.loads(await owner.receive_from()) == ack
    await guest.disconnect()
    gone = json.loads(await owner.receive_from())
    assert gone["id"] == "c1" and gone["p"] is None
    await owner.disconnect()


async def test_two_processes_share_ops_through_redis_and_the_database(room):
    """Two hubs = two server processes: concurrent edits on both converge, each op once."""
    session_id, _ = await room()
    layer = get_channel_layer(CHANNEL_LAYER_ALIAS)
    hubs = [Hub(layer), Hub(layer)]
    received: list[list[dict]] = [[], [], [], []]
    agents = []
    for i in range(4):

        async def send(message, i=i):
            received[i].append(json.loads(message) if isinstance(message, str) else message)

        async def authorize(collection, doc_id):
            return DocumentAccess()

        agent = Agent(send=send, authorize=authorize, user_key=f"u{i}", hub=hubs[i % 2])
        await agent.handle({"a": "s", "c": "code", "d": session_id, "v": None})
        agents.append(agent)

    versions = [1, 1, 1, 1]

    async def typist(i: int) -> None:
        for n in range(15):
            request = {"a": "op", "c": "code", "d": session_id, "v": versions[i], "seq": n + 1}
            request["op"] = [f"{i}{n}|"]
            before = len(received[i])
            await agents[i].handle(request)
            # Wait for our ack, counting the ops the stream brought meanwhile.
            deadline = asyncio.get_running_loop().time() + 30
            while True:
                assert asyncio.get_running_loop().time() < deadline, (
                    f"agent {i} got no ack for seq {n + 1}: {received[i][before:]}"
                )
                acks = [
                    m
                    for m in received[i][before:]
                    if m.get("seq") == n + 1 and m["src"] == agents[i].src
                ]
                if acks:
                    break
                await asyncio.sleep(0.005)
            versions[i] = acks[0]["v"] + 1
            await asyncio.sleep(0)

    await asyncio.gather(*(typist(i) for i in range(4)))
    final = await storage.asnapshot_get("code", session_id)
    assert final.v == 1 + 60
    # Wait until every agent's stream reached the final version, then check exactly-once order.
    for _ in range(400):
        if all(agent.subscribed[("code", session_id)] == final.v for agent in agents):
            break
        await asyncio.sleep(0.01)
    for i in range(4):
        versions_seen = [m["v"] for m in received[i] if m.get("a") == "op"]
        assert versions_seen == list(range(1, final.v)), f"agent {i} saw every op once, in order"
    for agent in agents:
        await agent.close()
    for hub in hubs:
        await hub.close()


async def test_member_removed_from_the_session_is_disconnected(room, monkeypatch, connect):
    from sessions_app.ot import consumer

    monkeypatch.setattr(consumer, "PERMISSION_CACHE_SECONDS", 0.2)
    session_id, cookies = await room()
    guest = await connect(cookies["guest"])
    await ask(guest, HS)
    await ask(guest, {"a": "s", "c": "code", "d": session_id, "v": None})
    # The guest (everyone but the owner) leaves the session.
    removed = Membership.objects.filter(session_id=session_id).exclude(
        user_id=F("session__owner_id")
    )
    assert (await removed.adelete())[0] == 1
    message = await guest.receive_output(timeout=3)
    assert message == {"type": "websocket.close", "code": CLOSE_NOT_ALLOWED}
