"""Limits on `/ws/ot/`: op rate per connection and per user, op size, the session's stored op
bytes, and what one connection may keep in memory. Real consumer, Redis and PostgreSQL."""

from __future__ import annotations

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from django.test import Client

from sessions_app.models import Document, DocumentOp
from sessions_app.ot.hub import get_hub
from sessions_app.ot.limits import OTLimits
from sessions_app.ot.types import body_bytes
from sessions_app.services import session_join
from tests.factories import UserFactory
from tests.sessions_app.test_ot_consumer import HS, ask, connect  # noqa: F401 (fixture)
from tests.sessions_app.test_ot_protocol import FakeClient, aseed, hub  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
async def _cleanup():
    yield
    await get_hub().close()
    await sync_to_async(connections.close_all)()


@pytest.fixture
def members(session_factory):
    """A session with `count` members; returns its id and each member's cookie."""

    def make(count: int = 2) -> tuple[str, list[str]]:
        users = [UserFactory() for _ in range(count)]
        session = session_factory(owner=users[0])
        cookies = []
        for user in users:
            session_join(session=session, user=user)
            client = Client()
            client.force_login(user)
            cookies.append(f"sessionid={client.cookies['sessionid'].value}")
        return session.id, cookies

    return sync_to_async(make)


@pytest.fixture
def subscribed(connect):  # noqa: F811
    """A member's `/ws/ot/` socket subscribed to the session's document, and its version."""

    async def subscribed_(cookie: str, session_id: str):
        ws = await connect(cookie)
        await ask(ws, HS)
        reply = await ask(ws, {"a": "s", "c": "code", "d": session_id, "v": None})
        return ws, reply["data"]["v"]

    return subscribed_


def op(session_id: str, v: int, seq: int, text: str = "x") -> dict:
    return {"a": "op", "c": "code", "d": session_id, "v": v, "seq": seq, "op": [text]}


async def test_a_flood_is_refused_and_the_socket_stays_usable(members, settings, subscribed):
    settings.OT_OP_BURST, settings.OT_OP_RATE_PER_SECOND = 10, 2
    session_id, cookies = await members()
    ws, v = await subscribed(cookies[1], session_id)
    for seq in range(1, 61):  # 60 frames in one burst, as a script would send them
        await ws.send_to(text_data=json.dumps(op(session_id, v, seq)))
    replies = [json.loads(await ws.receive_from(timeout=10)) for _ in range(60)]
    errors = [r["error"] for r in replies if "error" in r]
    accepted = len(replies) - len(errors)
    assert 10 <= accepted <= 20, "the burst, and at most what refilled meanwhile"
    assert {e["code"] for e in errors} == {"ERR_OP_SUBMIT_REJECTED"}
    assert "Too many edits on this connection" in errors[0]["message"]
    assert await DocumentOp.objects.filter(doc_id=session_id).acount() == 1 + accepted
    await asyncio.sleep(1.0)  # the flood is over: later ops go through on the same socket
    reply = await ask(ws, op(session_id, v + accepted, 100))
    assert "error" not in reply and reply["v"] == v + accepted
    await ws.disconnect()


async def test_a_users_connections_share_one_limit(hub):  # noqa: F811
    await aseed("doc", "")
    limits = OTLimits(op_burst=100, user_op_burst=8, user_op_rate=0.001)
    tabs = [FakeClient(hub, user_key="same-user", limits=limits) for _ in range(2)]
    accepted = 0
    for seq in range(1, 11):
        for tab in tabs:
            [reply] = await tab.ask({"a": "op", "c": "code", "d": "doc", "seq": seq, "op": ["y"]})
            if "error" in reply:
                assert "for your account" in reply["error"]["message"]
            else:
                accepted += 1
    assert accepted == 8
    other_user = FakeClient(hub, user_key="someone-else", limits=limits)
    [reply] = await other_user.ask({"a": "op", "c": "code", "d": "doc", "seq": 1, "op": ["z"]})
    assert "error" not in reply, "another user's budget is their own"


async def test_honest_typing_by_six_members_never_meets_the_limit(members, subscribed):
    """20 keystrokes a second each, one op in flight per client, with the default limits."""
    session_id, cookies = await members(6)
    sockets = [await subscribed(cookie, session_id) for cookie in cookies]

    async def typist(ws, version: int) -> list[dict]:
        frames = []
        for seq in range(1, 41):
            started = asyncio.get_running_loop().time()
            await ws.send_to(text_data=json.dumps(op(session_id, version, seq, "k")))
            while True:  # remote ops arrive too; wait for our own ack
                frame = json.loads(await ws.receive_from(timeout=10))
                if "error" in frame or frame.get("seq") == seq and "op" not in frame:
                    break
                version = max(version, frame["v"] + 1)
            frames.append(frame)
            if "error" in frame:
                break
            version = frame["v"] + 1
            await asyncio.sleep(max(0.0, 0.05 - (asyncio.get_running_loop().time() - started)))
        return frames

    results = await asyncio.gather(*(typist(ws, v) for ws, v in sockets))
    assert [f for frames in results for f in frames if "error" in f] == []
    assert sum(len(frames) for frames in results) == 6 * 40
    for ws, _ in sockets:
        await ws.disconnect()


async def test_an_oversized_op_is_refused_with_a_clear_error(members, settings, subscribed):
    settings.OT_MAX_OP_BYTES = 64 * 1024
    session_id, cookies = await members()
    ws, v = await subscribed(cookies[1], session_id)
    reply = await ask(ws, op(session_id, v, 1, "a" * (70 * 1024)))
    assert reply["error"]["code"] == "ERR_OP_SUBMIT_REJECTED"
    assert "at most 64 KiB" in reply["error"]["message"]
    reply = await ask(ws, op(session_id, v, 2, "a" * 1000))
    assert "error" not in reply and reply["v"] == v
    await ws.disconnect()


async def test_a_session_stores_at_most_its_op_byte_cap(members, settings, subscribed):
    session_id, cookies = await members()
    start = (await Document.objects.aget(collection="code", doc_id=session_id)).ops_bytes
    assert start > 0, "the starter code's create counts"
    settings.OT_MAX_SESSION_OP_BYTES = start + 200
    ws, v = await subscribed(cookies[1], session_id)
    refused = None
    for seq in range(1, 20):
        reply = await ask(ws, op(session_id, v, seq, "z" * 50))
        if "error" in reply:
            refused = reply["error"]
            break
        v += 1
    assert refused is not None and refused["code"] == "ERR_OP_SUBMIT_REJECTED"
    assert "edit history is full" in refused["message"]
    document = await Document.objects.aget(collection="code", doc_id=session_id)
    bodies = [row.op async for row in DocumentOp.objects.filter(doc_id=session_id)]
    assert document.ops_bytes == sum(body_bytes(body) for body in bodies)
    assert start < document.ops_bytes <= start + 200
    await ws.disconnect()


async def test_a_connection_keeps_a_bounded_number_of_presences(members, settings, subscribed):
    settings.OT_MAX_PRESENCE_IDS = 4
    session_id, cookies = await members()
    ws, _ = await subscribed(cookies[1], session_id)
    ch = f"code.{session_id}"
    replies = []
    for i in range(6):
        presence = {"a": "p", "ch": ch, "id": f"p{i}", "p": {"start": 0, "end": 0}, "pv": 0}
        replies.append(await ask(ws, presence))
    assert ["error" in r for r in replies] == [False] * 4 + [True] * 2
    assert "Too many presences" in replies[4]["error"]["message"]
    again = {"a": "p", "ch": ch, "id": "p0", "p": {"start": 0, "end": 0}, "pv": 1}
    assert "error" not in await ask(ws, again), "known ids may still move"
    await ws.disconnect()


async def test_the_permission_cache_is_bounded(hub):  # noqa: F811
    client = FakeClient(hub, allowed={"doc"}, limits=OTLimits(max_permission_cache=8))
    for i in range(40):
        [reply] = await client.ask({"a": "f", "c": "code", "d": f"other-{i}", "v": None})
        assert reply["error"]["code"] == "ERR_SNAPSHOT_READS_REJECTED"
    assert len(client.agent._access) == 8
