"""The ShareDB protocol engine against the real database, with a hub without channel layer."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.db import connections

from sessions_app.models import DocumentOp, DocumentSnapshot
from sessions_app.ot import storage
from sessions_app.ot.hub import Hub, set_hub
from sessions_app.ot.limits import OTLimits
from sessions_app.ot.protocol import Agent
from sessions_app.ot.text_unicode import uri as TEXT_URI
from sessions_app.ot.types import (
    DocumentAccess,
    Snapshot,
)
from sessions_app.ot.wire import JSON0_URI, MAX_DOCUMENT_BYTES, MAX_MESSAGE_BYTES

pytestmark = pytest.mark.django_db(transaction=True)

C = "code"


class FakeClient:
    """An agent plus everything it sent, with the permission rule given as a set of doc ids."""

    def __init__(
        self,
        hub: Hub,
        allowed: set[str] | None = None,
        user_key: str = "u1",
        limits: OTLimits | None = None,
    ) -> None:
        self.sent: list[dict[str, Any]] = []
        self.allowed = allowed

        async def send(message: dict[str, Any] | str) -> None:
            # Everything sent must be JSON; pre-encoded frames are decoded for the asserts.
            self.sent.append(
                json.loads(message if isinstance(message, str) else json.dumps(message))
            )

        async def authorize(collection: str, doc_id: str) -> DocumentAccess | None:
            if collection == C and (self.allowed is None or doc_id in self.allowed):
                return DocumentAccess()
            return None

        self.agent = Agent(
            send=send, authorize=authorize, user_key=user_key, hub=hub, limits=limits
        )

    async def ask(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        """Send one request; return the frames it produced."""
        return await self.ask_raw(json.dumps(message, ensure_ascii=False))

    async def ask_raw(self, text: str) -> list[dict[str, Any]]:
        start = len(self.sent)
        await self.agent.handle_text(text)
        out = self.sent[start:]
        del self.sent[start:]
        return out

    def take(self) -> list[dict[str, Any]]:
        """Frames that arrived outside a request (pushed ops and presence)."""
        out, self.sent = self.sent, []
        return out


@pytest.fixture
async def hub():
    hub = Hub(None)
    set_hub(hub)
    yield hub
    await hub.close()
    # The ORM thread's connection would keep the test database busy at teardown.
    await sync_to_async(connections.close_all)()


def seed(doc_id: str, text: str) -> None:
    storage.document_create(collection=C, doc_id=doc_id, type_name="text-unicode", data=text)


async def aseed(doc_id: str, text: str) -> None:

    await database_sync_to_async(seed)(doc_id, text)


async def subscribed_client(hub: Hub, text: str) -> FakeClient:
    """A client subscribed to the document "doc" seeded with `text`, its replies taken."""
    await aseed("doc", text)
    client = FakeClient(hub)
    await client.ask({"a": "s", "c": C, "d": "doc", "v": None})
    client.take()
    return client


async def stored_text(doc_id: str) -> Snapshot:
    return await storage.asnapshot_get(C, doc_id)


async def op_count(doc_id: str) -> int:
    return await DocumentOp.objects.filter(collection=C, doc_id=doc_id).acount()


async def test_handshake_reply_and_adopted_id(hub):
    client = FakeClient(hub)
    [reply] = await client.ask({"a": "hs", "id": None, "protocol": 1, "protocolMinor": 2})
    assert reply["a"] == "hs" and reply["protocol"] == 1 and reply["protocolMinor"] == 2
    assert reply["type"] == JSON0_URI and isinstance(reply["id"], str)
    first_id = reply["id"]

    # The same user reconnecting keeps its id; another user's id is not adopted.
    again = FakeClient(hub)
    [reply] = await again.ask({"a": "hs", "id": first_id, "protocol": 1, "protocolMinor": 2})
    assert reply["id"] == first_id
    thief = FakeClient(hub, user_key="u2")
    [reply] = await thief.ask({"a": "hs", "id": first_id, "protocol": 1, "protocolMinor": 2})
    assert reply["id"] != first_id
    assert await client.ask({"a": "pp"}) == [{"a": "pp"}]


async def test_missing_document_has_null_type_and_create_starts_at_version_1(hub):
    client = FakeClient(hub)
    [reply] = await client.ask({"a": "s", "c": C, "d": "new", "v": None})
    assert reply == {"a": "s", "c": C, "d": "new", "data": {"v": 0, "type": None}}
    create = {"a": "op", "c": C, "d": "new", "v": 0, "seq": 1, "x": {}}
    create["create"] = {"type": "text-unicode", "data": "héllo 😀"}
    [ack] = await client.ask(create)
    assert ack == {"a": "op", "c": C, "d": "new", "src": client.agent.src, "seq": 1, "v": 0}
    snapshot = await stored_text("new")
    assert (snapshot.v, snapshot.type, snapshot.data) == (1, TEXT_URI, "héllo 😀")

    other = FakeClient(hub)
    [reply] = await other.ask({"a": "f", "c": C, "d": "new", "v": None})
    assert reply["data"] == {"v": 1, "type": TEXT_URI, "data": "héllo 😀"}


async def test_concurrent_ops_transform_left_and_converge(hub):
    await aseed("doc", "ab")
    alice, bob = FakeClient(hub), FakeClient(hub)
    for client in (alice, bob):
        await client.ask({"a": "hs", "id": None, "protocol": 1, "protocolMinor": 2})
        await client.ask({"a": "s", "c": C, "d": "doc", "v": None})
    alice.take(), bob.take()

    # Both insert at position 1 of version 1; Alice commits first.
    a_out = await alice.ask({"a": "op", "c": C, "d": "doc", "v": 1, "seq": 1, "op": [1, "A"]})
    assert a_out == [{"a": "op", "c": C, "d": "doc", "src": alice.agent.src, "seq": 1, "v": 1}]
    # Bob's stream carries Alice's op; his own op, sent before he saw it, is acked after it.
    [a_op] = bob.take()
    assert a_op["op"] == [1, "A"] and a_op["v"] == 1 and a_op["src"] == alice.agent.src
    b_out = await bob.ask({"a": "op", "c": C, "d": "doc", "v": 1, "seq": 1, "op": [1, "B"]})
    assert b_out == [{"a": "op", "c": C, "d": "doc", "src": bob.agent.src, "seq": 1, "v": 2}]
    # Alice receives Bob's op transformed with side 'left': his insert lands before hers.
    [b_op] = alice.take()
    assert b_op["v"] == 2 and b_op["op"] == [1, "B"]
    snapshot = await stored_text("doc")
    assert (snapshot.v, snapshot.data) == (3, "aBAb")
    assert await op_count("doc") == 3


async def test_resent_op_is_acked_not_applied_twice(hub):
    await aseed("doc", "x")
    client = FakeClient(hub)
    [hs] = await client.ask({"a": "hs", "id": None, "protocol": 1, "protocolMinor": 2})
    await client.ask({"a": "op", "c": C, "d": "doc", "v": 1, "seq": 7, "op": ["1"]})
    other = FakeClient(hub)
    await other.ask({"a": "op", "c": C, "d": "doc", "v": 2, "seq": 1, "op": ["2"]})

    # The connection dropped before the ack; a new connection resends with explicit src.
    again = FakeClient(hub)
    await again.ask({"a": "hs", "id": hs["id"], "protocol": 1, "protocolMinor": 2})
    out = await again.ask(
        {"a": "op", "c": C, "d": "doc", "v": 1, "src": hs["id"], "seq": 7, "op": ["1"]}
    )
    assert out == [{"a": "op", "c": C, "d": "doc", "src": hs["id"], "seq": 7, "v": 1}]
    snapshot = await stored_text("doc")
    assert (snapshot.v, snapshot.data) == (3, "21x")
    assert await op_count("doc") == 3


async def test_resent_create_with_null_version_is_acked(hub):
    client = FakeClient(hub)
    [hs] = await client.ask({"a": "hs", "id": None, "protocol": 1, "protocolMinor": 2})
    create = {"a": "op", "c": C, "d": "doc", "v": None, "seq": 1}
    create["create"] = {"type": TEXT_URI, "data": "hi"}
    await client.ask(create)
    out = await client.ask({**create, "src": hs["id"]})
    assert out == [{"a": "op", "c": C, "d": "doc", "src": hs["id"], "seq": 1, "v": 0}]
    # A different create on the existing doc is refused.
    [err] = await client.ask({**create, "seq": 2})
    assert err["error"]["code"] == "ERR_DOC_ALREADY_CREATED"
    assert await op_count("doc") == 1


async def test_missed_ops_come_before_the_ack_for_an_unsubscribed_client(hub):
    await aseed("doc", "")
    writer = FakeClient(hub)
    for seq in range(1, 4):
        await writer.ask({"a": "op", "c": C, "d": "doc", "v": seq, "seq": seq, "op": ["w"]})
    late = FakeClient(hub)
    out = await late.ask({"a": "op", "c": C, "d": "doc", "v": 1, "seq": 1, "op": ["L"]})
    assert [m["v"] for m in out] == [1, 2, 3, 4]
    assert all("op" in m for m in out[:3]) and "op" not in out[3]
    assert out[3]["src"] == late.agent.src
    assert (await stored_text("doc")).data == "Lwww"


async def test_subscribe_from_version_streams_ops_then_replies_without_data(hub):
    await aseed("doc", "")
    writer = FakeClient(hub)
    await writer.ask({"a": "op", "c": C, "d": "doc", "v": 1, "seq": 1, "op": ["a"]})
    await writer.ask({"a": "op", "c": C, "d": "doc", "v": 2, "seq": 2, "op": [1, "b"]})
    reader = FakeClient(hub)
    out = await reader.ask({"a": "s", "c": C, "d": "doc", "v": 1})
    assert [(m.get("v"), m.get("op")) for m in out[:2]] == [(1, ["a"]), (2, [1, "b"])]
    assert out[2] == {"a": "s", "c": C, "d": "doc"}
    # Later ops arrive as they are committed, each exactly once.
    await writer.ask({"a": "op", "c": C, "d": "doc", "v": 3, "seq": 3, "op": [2, "c"]})
    assert [m["v"] for m in reader.take()] == [3]


async def test_bulk_subscribe_with_versions_and_bulk_fetch(hub):
    await aseed("one", "1")
    await aseed("two", "2")
    writer = FakeClient(hub)
    await writer.ask({"a": "op", "c": C, "d": "two", "v": 1, "seq": 1, "op": ["x"]})
    client = FakeClient(hub)
    out = await client.ask({"a": "bs", "c": C, "b": {"one": 1, "two": 1}})
    assert out[0]["d"] == "two" and out[0]["op"] == ["x"]
    assert out[-1] == {"a": "bs", "c": C, "b": {"one": 1, "two": 1}}
    [reply] = await client.ask({"a": "bf", "c": C, "b": ["one", "two", "nothing"]})
    assert reply["data"] == {
        "one": {"v": 1, "type": TEXT_URI, "data": "1"},
        "two": {"v": 2, "type": TEXT_URI, "data": "x2"},
        "nothing": {"v": 0, "type": None},
    }
    assert await client.ask({"a": "bu", "c": C, "b": ["one", "two"]}) == [
        {"a": "bu", "c": C, "b": ["one", "two"]}
    ]
    await writer.ask({"a": "op", "c": C, "d": "one", "v": 1, "seq": 2, "op": ["y"]})
    assert client.take() == [], "unsubscribed clients get no ops"


async def test_snapshot_at_version_uses_milestones(hub, monkeypatch):
    monkeypatch.setattr(storage, "MILESTONE_INTERVAL", 3)
    await aseed("doc", "")
    client = FakeClient(hub)
    for v in range(1, 8):
        await client.ask(
            {
                "a": "op",
                "c": C,
                "d": "doc",
                "v": v,
                "seq": v,
                "op": [v - 1, str(v)] if v > 1 else ["1"],
            }
        )
    assert await DocumentSnapshot.objects.filter(doc_id="doc").acount() == 2  # versions 3 and 6
    for version, text in [(0, None), (1, ""), (4, "123"), (7, "123456"), (8, "1234567")]:
        [reply] = await client.ask({"a": "nf", "id": 5, "c": C, "d": "doc", "v": version})
        assert reply["a"] == "nf" and reply["id"] == 5 and reply["v"] == version
        assert reply.get("data") == text
    [reply] = await client.ask({"a": "nf", "id": 6, "c": C, "d": "doc", "v": 99})
    assert reply["error"]["code"] == "ERR_OP_VERSION_NEWER_THAN_CURRENT_SNAPSHOT"
    [reply] = await client.ask({"a": "nt", "id": 7, "c": C, "d": "doc", "ts": None})
    assert reply["v"] == 8 and reply["data"] == "1234567"


async def test_presence_is_transformed_to_the_latest_version_and_withdrawn(hub):
    await aseed("doc", "hello")
    alice, bob = FakeClient(hub), FakeClient(hub)
    for client in (alice, bob):
        await client.ask({"a": "hs", "id": None, "protocol": 1, "protocolMinor": 2})
        await client.ask({"a": "s", "c": C, "d": "doc", "v": None})
    [ps] = await alice.ask({"a": "ps", "ch": "code.doc", "seq": 1})
    assert ps == {"ch": "code.doc", "seq": 1, "a": "ps"}
    [ps] = await bob.ask({"a": "ps", "ch": "code.doc", "seq": 1})
    assert alice.take()[-1] == {"a": "pr", "ch": "code.doc"}, "others are asked to resend"
    await bob.ask({"a": "op", "c": C, "d": "doc", "v": 1, "seq": 1, "op": ["AB"]})
    alice.take()
    # Alice's cursor was at 3..5 at version 1; Bob's insert moved the text by two.
    presence = {"a": "p", "ch": "code.doc", "id": "cur", "p": {"start": 3, "end": 5, "name": "A"}}
    presence.update(pv=0, c=C, d="doc", v=1, t=TEXT_URI)
    [ack] = await alice.ask(presence)
    assert ack["p"] == {"start": 5, "end": 7, "name": "A"} and ack["v"] == 2
    assert ack["src"] == alice.agent.src and ack["id"] == "cur"
    [seen] = bob.take()
    assert seen == ack
    await alice.ask({"a": "pu", "ch": "code.doc", "seq": 2})
    [gone] = bob.take()
    assert gone["p"] is None and gone["id"] == "cur"
    # Disconnecting withdraws presence too.
    await bob.ask({**presence, "id": "bcur", "v": 2})
    await alice.ask({"a": "ps", "ch": "code.doc", "seq": 3})
    alice.take()
    await bob.agent.close()
    [gone] = alice.take()
    assert gone["id"] == "bcur" and gone["p"] is None
    # A presence value the type cannot transform is refused.
    bad = {**presence, "p": {"start": "a"}, "v": 1}
    [err] = await alice.ask(bad)
    assert err["error"]["code"] == "ERR_PRESENCE_TRANSFORM_FAILED"


async def test_presence_request_is_answered(hub):
    await aseed("doc", "")
    alice, bob = FakeClient(hub), FakeClient(hub)
    await alice.ask({"a": "ps", "ch": "code.doc", "seq": 1})
    await bob.ask({"a": "ps", "ch": "code.doc", "seq": 1})
    alice.take()
    assert await bob.ask({"a": "pr", "ch": "code.doc"}) == [{"a": "pr"}]
    assert alice.take() == [{"a": "pr", "ch": "code.doc"}]


BAD_REQUESTS = [
    ({"a": "zz"}, "ERR_MESSAGE_BADLY_FORMED"),
    ({"a": 5}, "ERR_MESSAGE_BADLY_FORMED"),
    ({"a": "f", "c": C, "d": "doc", "v": -1}, "ERR_MESSAGE_BADLY_FORMED"),
    ({"a": "f", "c": C, "d": "doc", "v": True}, "ERR_MESSAGE_BADLY_FORMED"),
    ({"a": "f", "c": C, "d": ["doc"], "v": None}, "ERR_MESSAGE_BADLY_FORMED"),
    ({"a": "f", "c": C, "d": "x" * 101, "v": None}, "ERR_MESSAGE_BADLY_FORMED"),
    ({"a": "f", "c": "secrets", "d": "doc", "v": None}, "ERR_SNAPSHOT_READS_REJECTED"),
    ({"a": "s", "c": C, "d": "forbidden", "v": None}, "ERR_SNAPSHOT_READS_REJECTED"),
    ({"a": "bs", "c": C, "b": {"doc": 1, "forbidden": 1}}, "ERR_SNAPSHOT_READS_REJECTED"),
    ({"a": "bs", "c": C, "b": "doc"}, "ERR_MESSAGE_BADLY_FORMED"),
    ({"a": "bf", "c": C, "b": [str(i) for i in range(101)]}, "ERR_MESSAGE_BADLY_FORMED"),
    ({"a": "nf", "id": 1, "c": C, "d": "forbidden", "v": 1}, "ERR_SNAPSHOT_READS_REJECTED"),
    (
        {"a": "op", "c": C, "d": "forbidden", "v": 1, "seq": 1, "op": ["x"]},
        "ERR_OP_SUBMIT_REJECTED",
    ),
    ({"a": "op", "c": C, "d": "doc", "v": 1, "seq": 1}, "ERR_MESSAGE_BADLY_FORMED"),
    ({"a": "op", "c": C, "d": "doc", "v": 1, "op": ["x"]}, "ERR_MESSAGE_BADLY_FORMED"),
    ({"a": "op", "c": C, "d": "doc", "v": 1, "seq": "1", "op": ["x"]}, "ERR_MESSAGE_BADLY_FORMED"),
    (
        {"a": "op", "c": C, "d": "doc", "v": 1, "seq": 1, "op": ["x"], "del": True},
        "ERR_MESSAGE_BADLY_FORMED",
    ),
    # A session's code document cannot be deleted (ShareDB would allow it).
    ({"a": "op", "c": C, "d": "doc", "v": 1, "seq": 1, "del": True}, "ERR_OP_SUBMIT_REJECTED"),
    (
        {"a": "op", "c": C, "d": "doc", "v": 1, "seq": 1, "op": [1, 1, "x"]},
        "ERR_OT_OP_BADLY_FORMED",
    ),
    ({"a": "op", "c": C, "d": "doc", "v": 1, "seq": 1, "op": [3]}, "ERR_OT_OP_BADLY_FORMED"),
    ({"a": "op", "c": C, "d": "doc", "v": 1, "seq": 1, "op": "x"}, "ERR_OT_OP_BADLY_FORMED"),
    ({"a": "op", "c": C, "d": "doc", "v": 1, "seq": 1, "op": [99, "x"]}, "ERR_OT_OP_NOT_APPLIED"),
    (
        {"a": "op", "c": C, "d": "doc", "v": 9, "seq": 1, "op": ["x"]},
        "ERR_OP_VERSION_NEWER_THAN_CURRENT_SNAPSHOT",
    ),
    (
        {"a": "op", "c": C, "d": "doc", "v": 1, "seq": 1, "src": "f" * 32, "op": ["x"]},
        "ERR_MESSAGE_BADLY_FORMED",
    ),
    ({"a": "op", "c": C, "d": "nope", "v": 0, "seq": 1, "op": ["x"]}, "ERR_DOC_DOES_NOT_EXIST"),
    (
        {"a": "op", "c": C, "d": "doc", "v": 1, "seq": 1, "create": {"type": "json0", "data": {}}},
        "ERR_DOC_TYPE_NOT_RECOGNIZED",
    ),
    (
        {"a": "op", "c": C, "d": "nope", "v": 0, "seq": 1, "create": {"type": TEXT_URI, "data": 5}},
        "ERR_OT_OP_BADLY_FORMED",
    ),
    (
        {"a": "op", "c": C, "d": "doc", "v": 1, "seq": 1, "create": {"type": TEXT_URI, "data": ""}},
        "ERR_DOC_ALREADY_CREATED",
    ),
    ({"a": "qf", "id": 1, "c": C, "q": {}}, "ERR_DATABASE_METHOD_NOT_IMPLEMENTED"),
    ({"a": "p", "ch": "code.forbidden", "id": "x", "p": None, "pv": 0}, "ERR_OP_SUBMIT_REJECTED"),
    (
        {
            "a": "p",
            "ch": "code.doc",
            "id": "x",
            "p": {},
            "pv": 0,
            "c": C,
            "d": "doc",
            "v": 1,
            "t": "rich-text",
        },
        "ERR_TYPE_DOES_NOT_SUPPORT_PRESENCE",
    ),
    (
        {"a": "p", "ch": "code.doc", "id": "x", "p": None, "pv": 0, "c": C, "d": "other"},
        "ERR_MESSAGE_BADLY_FORMED",
    ),
    ({"a": "ps", "ch": "code.forbidden", "seq": 1}, "ERR_SNAPSHOT_READS_REJECTED"),
    ({"a": "ps", "ch": "nodot", "seq": 1}, "ERR_MESSAGE_BADLY_FORMED"),
]


@pytest.mark.parametrize(("request_", "code"), BAD_REQUESTS)
async def test_bad_request_gets_its_error_and_the_connection_keeps_working(hub, request_, code):
    await aseed("doc", "abc")
    client = FakeClient(hub, allowed={"doc", "nope", "other"})
    out = await client.ask(request_)
    assert out[-1]["error"]["code"] == code
    assert {k: v for k, v in out[-1].items() if k != "error"} == request_, "request is echoed"
    assert all("data" not in m for m in out), "a refused request leaks nothing"
    assert await client.ask({"a": "pp"}) == [{"a": "pp"}]
    snapshot = await stored_text("doc")
    assert (snapshot.v, snapshot.data) == (1, "abc")
    assert await DocumentOp.objects.acount() == 1


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("{not json", "ERR_MESSAGE_BADLY_FORMED"),
        ("[1, 2]", "ERR_MESSAGE_BADLY_FORMED"),
        ('"hs"', "ERR_MESSAGE_BADLY_FORMED"),
        ("[" * 100000 + "]" * 100000, "ERR_MESSAGE_BADLY_FORMED"),
        (json.dumps({"a": "pp", "pad": "x" * MAX_MESSAGE_BYTES}), "ERR_MESSAGE_BADLY_FORMED"),
        (
            '{"a":"op","c":"code","d":"doc","v":1,"seq":1,"op":["\\ud800"]}',
            "ERR_OT_OP_BADLY_FORMED",
        ),
        ('{"a":"f","c":"code","d":"\\udfff","v":null}', "ERR_MESSAGE_BADLY_FORMED"),
    ],
)
async def test_malformed_frames_get_an_error_and_change_nothing(hub, text, code):
    await aseed("doc", "abc")
    client = FakeClient(hub)
    [reply] = await client.ask_raw(text)
    assert reply["error"]["code"] == code
    assert await client.ask({"a": "pp"}) == [{"a": "pp"}]
    assert (await stored_text("doc")).data == "abc"
    assert await DocumentOp.objects.acount() == 1


async def test_document_size_limit(hub):
    await aseed("doc", "")
    # Edits as large as a frame may carry, to reach the document's limit in few steps.
    client = FakeClient(hub, limits=OTLimits(max_op_bytes=MAX_MESSAGE_BYTES))
    chunk = "é" * (MAX_MESSAGE_BYTES // 4)
    version = 1
    refused = None
    for seq in range(1, 40):
        [reply] = await client.ask(
            {"a": "op", "c": C, "d": "doc", "v": version, "seq": seq, "op": [chunk]}
        )
        if "error" in reply:
            refused = reply
            break
        version += 1
    assert refused is not None and refused["error"]["code"] == "ERR_OT_OP_NOT_APPLIED"
    text = (await stored_text("doc")).data
    assert len(text.encode()) <= MAX_DOCUMENT_BYTES
    assert len(text.encode()) + len(chunk.encode()) > MAX_DOCUMENT_BYTES


async def test_bulk_subscribe_map_with_null_versions_replies_snapshots(hub):
    await aseed("one", "1")
    client = FakeClient(hub)
    [reply] = await client.ask({"a": "bs", "c": C, "b": {"one": None, "none": None}})
    assert reply == {
        "a": "bs",
        "c": C,
        "data": {"one": {"v": 1, "type": TEXT_URI, "data": "1"}, "none": {"v": 0, "type": None}},
    }


async def test_presence_sent_without_presence_subscription_is_withdrawn_on_close(hub):
    await aseed("doc", "abc")
    watcher, typist = FakeClient(hub), FakeClient(hub)
    await watcher.ask({"a": "ps", "ch": "code.doc", "seq": 1})
    presence = {"a": "p", "ch": "code.doc", "id": "t", "p": {"start": 1, "end": 1}, "pv": 3}
    presence.update(c=C, d="doc", v=1, t=TEXT_URI)
    await typist.ask(presence)
    assert watcher.take()[-1]["p"] == {"start": 1, "end": 1}
    await typist.agent.close()
    [gone] = watcher.take()
    assert gone["id"] == "t" and gone["p"] is None and gone["pv"] == 3


async def test_acknowledged_ops_survive_a_server_restart(hub):
    """A new process (a fresh hub, empty caches) serves the stored document and op log."""
    await aseed("doc", "")
    before = FakeClient(hub)
    [hs] = await before.ask({"a": "hs", "id": None, "protocol": 1, "protocolMinor": 2})
    for seq in range(1, 4):
        await before.ask({"a": "op", "c": C, "d": "doc", "v": seq, "seq": seq, "op": [str(seq)]})
    await before.agent.close()
    await hub.close()

    restarted = Hub(None)
    set_hub(restarted)
    after = FakeClient(restarted)
    await after.ask({"a": "hs", "id": hs["id"], "protocol": 1, "protocolMinor": 2})
    # The last op is resent (its ack was lost in the restart): acked at its version, once.
    [ack] = await after.ask(
        {"a": "op", "c": C, "d": "doc", "v": 3, "src": hs["id"], "seq": 3, "op": ["3"]}
    )
    assert ack["v"] == 3 and "error" not in ack
    out = await after.ask({"a": "s", "c": C, "d": "doc", "v": 1})
    assert [m.get("op") for m in out[:-1]] == [["1"], ["2"], ["3"]]
    [ack] = await after.ask({"a": "op", "c": C, "d": "doc", "v": 4, "seq": 4, "op": ["4"]})
    assert ack["v"] == 4
    snapshot = await stored_text("doc")
    assert (snapshot.v, snapshot.data) == (5, "4321")
    await restarted.close()
