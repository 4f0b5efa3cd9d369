"""The hub of one process: keeping subscribers in order when published op messages go missing."""

from __future__ import annotations

import pytest

from sessions_app.ot import storage
from sessions_app.ot.types import CommittedOp, snapshot_apply
from tests.sessions_app.test_ot_protocol import C, hub, subscribed_client  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


async def test_gap_in_published_ops_is_filled_from_the_database(hub):  # noqa: F811
    """A subscriber whose hub missed a message still sees every op, in order, once."""
    client = await subscribed_client(hub, "")
    from channels.db import database_sync_to_async

    committed = []
    for i in range(3):

        def commit(i=i) -> CommittedOp:
            before = storage.snapshot_get(C, "doc")
            op = CommittedOp(v=before.v, src="elsewhere", seq=i, body={"op": [str(i)]})
            assert storage.op_commit(C, "doc", op, snapshot_apply(before, op))
            return op

        committed.append(await database_sync_to_async(commit)())
    # Only the last op's message arrives (the first two were lost), then a duplicate.
    state = hub.docs[(C, "doc")]
    for op in (committed[2], committed[0]):
        async with state.lock:
            await state.advance(op)
    assert [(m["v"], m["op"]) for m in client.take()] == [(1, ["0"]), (2, ["1"]), (3, ["2"])]
