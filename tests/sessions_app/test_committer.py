"""The committer through the protocol engine: conflicts with other processes are transformed and
retried, a rival cannot starve a commit, and racing submits are committed as one group."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async

from sessions_app.ot import storage
from sessions_app.ot.committer import OPTIMISTIC_COMMIT_ATTEMPTS
from sessions_app.ot.types import CommittedOp, snapshot_apply
from tests.sessions_app.test_ot_protocol import (  # noqa: F401 (hub is a fixture)
    C,
    FakeClient,
    aseed,
    hub,
    op_count,
    stored_text,
    subscribed_client,
)

pytestmark = pytest.mark.django_db(transaction=True)


async def test_commit_conflict_with_another_process_is_transformed_and_retried(hub):  # noqa: F811
    """An op committed by another server (straight to the DB, no message) is found and used."""
    client = await subscribed_client(hub, "ab")

    def foreign_commit() -> None:
        before = storage.snapshot_get(C, "doc")
        op = CommittedOp(v=before.v, src="elsewhere", seq=1, body={"op": [1, "X"]})
        assert storage.op_commit(C, "doc", op, snapshot_apply(before, op))

    from channels.db import database_sync_to_async

    await database_sync_to_async(foreign_commit)()
    out = await client.ask({"a": "op", "c": C, "d": "doc", "v": 1, "seq": 1, "op": [1, "Y"]})
    assert out[0]["src"] == "elsewhere" and out[0]["v"] == 1, "the foreign op first"
    assert out[1] == {"a": "op", "c": C, "d": "doc", "src": client.agent.src, "seq": 1, "v": 2}
    assert (await stored_text("doc")).data == "aYXb"


async def test_a_process_that_always_wins_the_race_cannot_starve_another(hub, monkeypatch):  # noqa: F811
    """Losing every optimistic commit to a busy rival, an op is still committed (locked)."""
    client = await subscribed_client(hub, "ab")
    optimistic_commit = storage.DocumentStore.ops_commit
    rival_seq = iter(range(1, 1000))

    def rival_commit() -> None:
        before = storage.snapshot_get(C, "doc")
        op = CommittedOp(v=before.v, src="rival", seq=next(rival_seq), body={"op": ["R"]})
        assert storage.op_commit(C, "doc", op, snapshot_apply(before, op))

    async def rival_first(self, *args, **kwargs):
        if not self.locked:  # the rival commits just before each optimistic commit of ours
            await database_sync_to_async(rival_commit)()
        return await optimistic_commit(self, *args, **kwargs)

    monkeypatch.setattr(storage.DocumentStore, "ops_commit", rival_first)
    lost = OPTIMISTIC_COMMIT_ATTEMPTS  # then the locked attempt, which the rival cannot beat
    out = await client.ask({"a": "op", "c": C, "d": "doc", "v": 1, "seq": 1, "op": [2, "Y"]})
    assert out[-1] == {
        "a": "op",
        "c": C,
        "d": "doc",
        "src": client.agent.src,
        "seq": 1,
        "v": 1 + lost,
    }
    assert [(m["src"], m["v"]) for m in out[:-1]] == [("rival", v) for v in range(1, 1 + lost)]
    assert (await stored_text("doc")).data == "R" * lost + "abY"


async def test_concurrent_submits_are_group_committed_in_order(hub):  # noqa: F811
    """Ops racing for one version are each transformed past the others and all stored."""
    await aseed("doc", "")
    clients = [FakeClient(hub) for _ in range(6)]
    outs = await asyncio.gather(
        *(
            c.ask({"a": "op", "c": C, "d": "doc", "v": 1, "seq": 1, "op": [str(i)]})
            for i, c in enumerate(clients)
        )
    )
    acked = sorted(out[-1]["v"] for out in outs)
    assert acked == [1, 2, 3, 4, 5, 6]
    for client, out in zip(clients, outs, strict=True):
        *missed, ack = out
        assert ack["src"] == client.agent.src and "op" not in ack
        assert [m["v"] for m in missed] == list(range(1, ack["v"])), "missed ops before the ack"
    snapshot = await stored_text("doc")
    assert snapshot.v == 7 and sorted(snapshot.data) == list("012345")
    assert await op_count("doc") == 7
