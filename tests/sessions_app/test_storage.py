"""OT storage against the real database: creating documents, conditional commits, milestones
and the row lock that makes a rival commit wait."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async
from django.db import connections

from sessions_app.models import Document, DocumentSnapshot
from sessions_app.ot import storage
from sessions_app.ot.locking import LockedDocument
from sessions_app.ot.text_unicode import uri as TEXT_URI
from sessions_app.ot.types import CommittedOp, OTError, snapshot_apply
from tests.sessions_app.test_ot_protocol import C, aseed, hub, op_count, stored_text  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connections["default"].vendor != "postgresql", reason="row locks are PostgreSQL's"
)
async def test_locked_document_makes_a_rival_commit_wait_and_then_fail(hub):  # noqa: F811
    """While a retry holds the document, a rival commit waits for it and then loses."""
    await aseed("doc", "")
    before = await storage.asnapshot_get(C, "doc")
    ours = CommittedOp(v=before.v, src="ours", seq=1, body={"op": ["O"]})
    rival = CommittedOp(v=before.v, src="rival", seq=1, body={"op": ["R"]})
    async with LockedDocument(C, "doc") as locked:
        rival_task = asyncio.ensure_future(
            storage.aops_commit(C, "doc", [rival], snapshot_apply(before, rival))
        )
        while not await database_sync_to_async(_someone_waits_for_a_lock, thread_sensitive=False)():
            assert not rival_task.done(), "the rival committed past the lock"
            await asyncio.sleep(0.01)
        after = snapshot_apply(before, ours)
        assert await locked.ops_commit([ours], after, user_ids=[None], milestones=[])
    assert await rival_task is False
    assert (await stored_text("doc")).data == "O"


def _someone_waits_for_a_lock() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0] > 0
    finally:
        connections["default"].close()


async def test_document_create_and_get():
    snapshot = await storage.asnapshot_get(C, "s1")
    assert snapshot.v == 0 and snapshot.type is None
    from channels.db import database_sync_to_async

    await database_sync_to_async(storage.document_create)(
        collection=C, doc_id="s1", type_name="text-unicode", data="print(1)\n"
    )
    doc = await database_sync_to_async(storage.document_get)(collection=C, doc_id="s1")
    assert (doc.v, doc.type, doc.data) == (1, TEXT_URI, "print(1)\n")
    with pytest.raises(OTError):
        await database_sync_to_async(storage.document_create)(
            collection=C, doc_id="s1", type_name="text-unicode", data=""
        )
    assert await Document.objects.filter(doc_id="s1").acount() == 1


async def _commit_next(doc_id: str, text: str, *, src: str = "s", seq: int = 1) -> bool:
    before = await storage.asnapshot_get(C, doc_id)
    op = CommittedOp(v=before.v, src=src, seq=seq, body={"op": [text]})
    return await storage.aops_commit(C, doc_id, [op], snapshot_apply(before, op))


async def test_async_commit_is_conditional_on_the_version(hub):  # noqa: F811
    """A commit for a version another commit took stores nothing and says so."""
    await aseed("doc", "")
    before = await storage.asnapshot_get(C, "doc")
    first = CommittedOp(v=before.v, src="a", seq=1, body={"op": ["A"]})
    rival = CommittedOp(v=before.v, src="b", seq=1, body={"op": ["B"]})
    assert await storage.aops_commit(C, "doc", [first], snapshot_apply(before, first))
    assert not await storage.aops_commit(C, "doc", [rival], snapshot_apply(before, rival))
    snapshot = await stored_text("doc")
    assert (snapshot.v, snapshot.data) == (2, "A")
    assert await op_count("doc") == 2
    assert first.ts > 0, "committed ops carry their commit time"


async def test_async_commit_stores_milestones(hub, monkeypatch):  # noqa: F811
    monkeypatch.setattr(storage, "MILESTONE_INTERVAL", 3)
    await aseed("doc", "")
    for seq in range(1, 6):
        assert await _commit_next("doc", str(seq), seq=seq)
    versions = [
        v
        async for v in DocumentSnapshot.objects.filter(doc_id="doc").values_list(
            "version", flat=True
        )
    ]
    assert sorted(versions) == [3, 6]
    at_3 = await storage.asnapshot_at_version(C, "doc", 3)
    assert at_3.data == "21"
