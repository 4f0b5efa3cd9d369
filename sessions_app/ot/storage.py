"""Persistence of ShareDB documents: the op log, the current snapshot and milestones.

This is the only OT module that touches the ORM, and it only reads and writes rows: telling
running servers about a change is the caller's business (see `session_create`).

Every function here is synchronous ORM code; async callers use the `a*` wrappers, which run
them through `database_sync_to_async` so the event loop never blocks on the database. A commit
is atomic on the version: the op row is unique on (collection, doc_id, version) and the
snapshot row is updated only where its version is still the one the op was transformed to, so
several server processes sharing one database can never commit two ops at the same version.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable
from typing import Any, TypeVar

from channels.db import database_sync_to_async
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from sessions_app.models import Document, DocumentOp, DocumentSnapshot
from sessions_app.ot.types import TYPES, CommittedOp, OTError, Snapshot, snapshot_apply

T = TypeVar("T")

# A milestone snapshot every this many versions bounds the replay of `nf` (snapshot at version).
MILESTONE_INTERVAL = 100


def _op_from_row(row: DocumentOp) -> CommittedOp:
    return CommittedOp(
        v=row.version,
        src=row.src,
        seq=row.seq,
        body=row.op,
        ts=row.created_at.timestamp() * 1000 if row.created_at else 0.0,
    )


# --- reads -----------------------------------------------------------------------------------


def snapshot_get(collection: str, doc_id: str) -> Snapshot:
    """The current snapshot; a never-created document is `{v: 0, type: None}`."""
    row = (
        Document.objects.filter(collection=collection, doc_id=doc_id)
        .values_list("version", "type", "data")
        .first()
    )
    if row is None:
        return Snapshot(v=0)
    version, type_uri, data = row
    return Snapshot(v=version, type=type_uri or None, data=data if type_uri else None)


def snapshot_and_ops_bytes_get(collection: str, doc_id: str) -> tuple[Snapshot, int]:
    """The current snapshot and the size of the op log, read together (a hub opening a doc)."""
    row = (
        Document.objects.filter(collection=collection, doc_id=doc_id)
        .values_list("version", "type", "data", "ops_bytes")
        .first()
    )
    if row is None:
        return Snapshot(v=0), 0
    version, type_uri, data, ops_bytes = row
    return Snapshot(v=version, type=type_uri or None, data=data if type_uri else None), ops_bytes


def ops_get(collection: str, doc_id: str, start: int, end: int | None = None) -> list[CommittedOp]:
    """Committed ops with `start <= v < end` (end None: to the latest), in version order.

    Raises ERR_SUBMIT_TRANSFORM_OPS_NOT_FOUND if the log has a hole, which would mean lost data.
    """
    qs = DocumentOp.objects.filter(collection=collection, doc_id=doc_id, version__gte=start)
    if end is not None:
        if end <= start:
            return []
        qs = qs.filter(version__lt=end)
    ops = [_op_from_row(row) for row in qs.order_by("version")]
    for offset, op in enumerate(ops):
        if op.v != start + offset:
            raise OTError("ERR_SUBMIT_TRANSFORM_OPS_NOT_FOUND", "Missing ops")
    if end is not None and len(ops) != end - start:
        raise OTError("ERR_SUBMIT_TRANSFORM_OPS_NOT_FOUND", "Missing ops")
    return ops


def op_find(collection: str, doc_id: str, src: str, seq: int) -> CommittedOp | None:
    """The committed op with this src+seq, if any: how resent ops are recognised."""
    row = DocumentOp.objects.filter(collection=collection, doc_id=doc_id, src=src, seq=seq).first()
    return _op_from_row(row) if row else None


def snapshot_at_version(collection: str, doc_id: str, version: int | None) -> Snapshot:
    """The document as it was at `version` (None: now), from the nearest milestone."""
    if version is None:
        return snapshot_get(collection, doc_id)
    current = snapshot_get(collection, doc_id)
    if version > current.v:
        raise OTError(
            "ERR_OP_VERSION_NEWER_THAN_CURRENT_SNAPSHOT",
            "Requested version exceeds latest snapshot version",
        )
    if version == current.v:
        return current
    milestone = (
        DocumentSnapshot.objects.filter(collection=collection, doc_id=doc_id, version__lte=version)
        .order_by("-version")
        .first()
    )
    snapshot = (
        Snapshot(v=milestone.version, type=milestone.type or None, data=milestone.data)
        if milestone
        else Snapshot(v=0)
    )
    for op in ops_get(collection, doc_id, snapshot.v, version):
        snapshot = snapshot_apply(snapshot, op)
    return snapshot


def snapshot_at_time(collection: str, doc_id: str, ts_ms: float | None) -> Snapshot:
    """The document as it was at a Unix time in milliseconds (None: now)."""
    if ts_ms is None:
        return snapshot_get(collection, doc_id)
    when = dt.datetime.fromtimestamp(ts_ms / 1000, tz=dt.UTC)
    last = (
        DocumentOp.objects.filter(collection=collection, doc_id=doc_id, created_at__lte=when)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    return snapshot_at_version(collection, doc_id, 0 if last is None else last + 1)


def versions_get(keys: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Current versions of several documents in one query (the periodic staleness check)."""
    out: dict[tuple[str, str], int] = {}
    by_collection: dict[str, list[str]] = {}
    for collection, doc_id in keys:
        by_collection.setdefault(collection, []).append(doc_id)
    for collection, ids in by_collection.items():
        rows = Document.objects.filter(collection=collection, doc_id__in=ids).values_list(
            "doc_id", "version"
        )
        for doc_id, version in rows:
            out[(collection, doc_id)] = version
    return out


# --- the commit ------------------------------------------------------------------------------


class _Conflict(Exception):
    pass


def op_commit(
    collection: str,
    doc_id: str,
    op: CommittedOp,
    after: Snapshot,
    *,
    user_id: int | None = None,
) -> bool:
    """Store one op at version op.v and the snapshot `after`; see `ops_commit`."""
    return ops_commit(collection, doc_id, [op], after, user_ids=[user_id])


def ops_commit(
    collection: str,
    doc_id: str,
    ops: list[CommittedOp],
    after: Snapshot,
    *,
    user_ids: list[int | None] | None = None,
    milestones: list[Snapshot] | None = None,
) -> bool:
    """Store consecutive ops (versions ops[0].v, ops[0].v + 1, ...) and the snapshot `after`.

    All or nothing: returns False, changing nothing, if another commit already took one of
    those versions; the caller then loads the ops it missed, transforms again and retries.
    Several ops in one commit is the group commit that keeps a busy document fast.
    `milestones` are snapshots at versions that are multiples of MILESTONE_INTERVAL.
    """
    user_ids = user_ids or [None] * len(ops)
    now = timezone.now()
    if ops[0].v > 0 and connection.vendor == "postgresql":
        committed = _commit_postgresql(collection, doc_id, ops, after, user_ids, now)
    else:
        committed = _commit_orm(collection, doc_id, ops, after, user_ids)
    if not committed:
        return False
    for op in ops:
        op.ts = now.timestamp() * 1000
    if after.v % MILESTONE_INTERVAL == 0:
        milestones = [*(milestones or []), after]
    for milestone in milestones or []:
        DocumentSnapshot.objects.get_or_create(
            collection=collection,
            doc_id=doc_id,
            version=milestone.v,
            defaults={"type": milestone.type or "", "data": milestone.data},
        )
    return True


def _commit_postgresql(
    collection: str,
    doc_id: str,
    ops: list[CommittedOp],
    after: Snapshot,
    user_ids: list[int | None],
    now: dt.datetime,
) -> bool:
    """The commit as ONE statement (one round trip, atomic on its own).

    The snapshot row is updated only where its version is still ops[0].v, and the op rows are
    inserted only if that update happened; a concurrent commit of any of these versions makes
    the unique constraint fail the whole statement.
    """
    rows = ", ".join(
        ["(%s, %s, %s::bigint, %s, %s::bigint, %s::jsonb, %s::bigint, %s::timestamptz)"] * len(ops)
    )
    sql = f"""
        WITH updated AS (
            UPDATE {Document._meta.db_table}
               SET version = %s, type = %s, data = %s::jsonb, updated_at = %s,
                   ops_bytes = ops_bytes + %s
             WHERE collection = %s AND doc_id = %s AND version = %s
         RETURNING 1
        )
        INSERT INTO {DocumentOp._meta.db_table}
               (collection, doc_id, version, src, seq, op, user_id, created_at)
        SELECT new.* FROM (VALUES {rows}) AS new, updated
        RETURNING 1
    """  # noqa: S608 - table names come from our own models
    params: list[Any] = [
        after.v,
        after.type or "",
        json.dumps(after.data),
        now,
        sum(op.nbytes for op in ops),
        collection,
        doc_id,
        ops[0].v,
    ]
    for op, user_id in zip(ops, user_ids, strict=True):
        params += [collection, doc_id, op.v, op.src, op.seq, json.dumps(op.body), user_id, now]
    try:
        # In autocommit mode the statement is its own transaction; inside a caller's
        # transaction a savepoint keeps a conflict from breaking it.
        guard = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
        with guard, connection.cursor() as cursor:
            cursor.execute(sql, params)
            return len(cursor.fetchall()) == len(ops)
    except IntegrityError:
        return False


def _commit_orm(
    collection: str,
    doc_id: str,
    ops: list[CommittedOp],
    after: Snapshot,
    user_ids: list[int | None],
) -> bool:
    first = ops[0].v
    added_bytes = sum(op.nbytes for op in ops)
    try:
        with transaction.atomic():
            DocumentOp.objects.bulk_create(
                DocumentOp(
                    collection=collection,
                    doc_id=doc_id,
                    version=op.v,
                    src=op.src,
                    seq=op.seq,
                    op=op.body,
                    user_id=user_id,
                )
                for op, user_id in zip(ops, user_ids, strict=True)
            )
            updated = Document.objects.filter(
                collection=collection, doc_id=doc_id, version=first
            ).update(
                version=after.v,
                type=after.type or "",
                data=after.data,
                updated_at=timezone.now(),
                ops_bytes=F("ops_bytes") + added_bytes,
            )
            if not updated:
                if first != 0:
                    raise _Conflict
                Document.objects.create(
                    collection=collection,
                    doc_id=doc_id,
                    version=after.v,
                    type=after.type or "",
                    data=after.data,
                    ops_bytes=added_bytes,
                )
    except (IntegrityError, _Conflict):
        return False
    return True


def document_create(
    *, collection: str, doc_id: str, type_name: str, data: Any, user: Any = None
) -> Snapshot:
    """Create a document (version 0 -> 1, as a ShareDB `create`) and return its snapshot.

    The session-creation service seeds `code/<session_id>` with the starter code this way.
    Raises OTError(ERR_DOC_ALREADY_CREATED) if the document already has a type.
    """
    ot_type = TYPES.get(type_name)
    if ot_type is None:
        raise OTError("ERR_DOC_TYPE_NOT_RECOGNIZED", f"Unknown type {type_name!r}")
    for _attempt in range(10):
        before = snapshot_get(collection, doc_id)
        op = CommittedOp(
            v=before.v, src="", seq=None, body={"create": {"type": ot_type.uri, "data": data}}
        )
        after = snapshot_apply(before, op)
        user_id = getattr(user, "pk", None)
        if op_commit(collection, doc_id, op, after, user_id=user_id):
            return after
    raise OTError("ERR_MAX_SUBMIT_RETRIES_EXCEEDED", "Too many concurrent commits")


def document_get(*, collection: str, doc_id: str) -> Snapshot:
    """The current snapshot of a document: `document_get(...).data` is the text of a code doc."""
    return snapshot_get(collection, doc_id)


# --- async wrappers --------------------------------------------------------------------------

asnapshot_get = database_sync_to_async(snapshot_get)
asnapshot_and_ops_bytes_get = database_sync_to_async(snapshot_and_ops_bytes_get)
aops_get = database_sync_to_async(ops_get)
aop_find = database_sync_to_async(op_find)
aop_commit = database_sync_to_async(op_commit)
aops_commit = database_sync_to_async(ops_commit)
asnapshot_at_version = database_sync_to_async(snapshot_at_version)
asnapshot_at_time = database_sync_to_async(snapshot_at_time)
aversions_get = database_sync_to_async(versions_get)


# --- one document's storage, for the group committer -------------------------------------------


class DocumentStore:
    """The storage calls a commit makes for one document, run off the event loop."""

    locked = False

    def __init__(self, collection: str, doc_id: str) -> None:
        self.collection = collection
        self.doc_id = doc_id

    async def _call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await database_sync_to_async(function)(*args, **kwargs)

    async def ops_get(self, start: int, end: int | None = None) -> list[CommittedOp]:
        return await self._call(ops_get, self.collection, self.doc_id, start, end)

    async def op_find(self, src: str, seq: int) -> CommittedOp | None:
        return await self._call(op_find, self.collection, self.doc_id, src, seq)

    async def ops_commit(
        self,
        ops: list[CommittedOp],
        after: Snapshot,
        *,
        user_ids: list[int | None],
        milestones: list[Snapshot],
    ) -> bool:
        return await self._call(
            ops_commit,
            self.collection,
            self.doc_id,
            ops,
            after,
            user_ids=user_ids,
            milestones=milestones,
        )
