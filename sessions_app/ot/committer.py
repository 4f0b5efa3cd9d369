"""The group committer: one per open document, it transforms and stores submitted ops.

Ops that arrive while a commit is in flight wait for the next one, which stores them all in
one statement; each is transformed exactly as if committed alone, so replicas converge. A
batch that loses its version to another process reads what it missed and tries again, after
two attempts with the document's row locked (`locking.py`).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sessions_app.ot import storage
from sessions_app.ot.locking import LockedDocument
from sessions_app.ot.types import (
    TYPES,
    CommittedOp,
    OTError,
    Snapshot,
    op_transform,
    snapshot_apply,
)
from sessions_app.ot.wire import text_too_large

if TYPE_CHECKING:
    from sessions_app.ot.hub import DocState

log = logging.getLogger(__name__)

MAX_SUBMIT_RETRIES = 50  # commit attempts lost to other processes before giving up
# Commit attempts before a batch that lost its version takes the document's lock.
OPTIMISTIC_COMMIT_ATTEMPTS = 2


@dataclass
class Submission:
    """One op waiting for the document's next group commit, and what became of it."""

    request: dict[str, Any]
    src: str
    seq: int
    body: dict[str, Any]
    user_id: int | None
    # The most op-log bytes the document may store with this op (None: no cap).
    max_log_bytes: int | None = None
    future: asyncio.Future[Submission] | None = None
    op: CommittedOp | None = None
    missed: list[CommittedOp] = field(default_factory=list)
    duplicate_of: int | None = None
    error: OTError | None = None


class Committer:
    """Group commit for one document.

    Ops that arrive while a commit is in flight are transformed one after the other (each
    against every op committed or batched before it, side 'left', exactly as if committed one
    by one) and stored by the next commit in one statement. One database round trip then
    serves many typists instead of queueing them behind each other.
    """

    def __init__(self, state: DocState) -> None:
        self.state = state
        self.queue: list[Submission] = []
        self.running = False

    async def submit(self, submission: Submission) -> Submission:
        submission.future = asyncio.get_running_loop().create_future()
        self.queue.append(submission)
        if not self.running:
            self.running = True
            asyncio.get_running_loop().create_task(self._run())
        return await submission.future

    async def _run(self) -> None:
        batch: list[Submission] = []
        try:
            while self.queue:
                batch, self.queue = self.queue, []
                outcome = None
                for attempt in range(MAX_SUBMIT_RETRIES):
                    outcome = await self._commit_attempt(batch, attempt)
                    if outcome is not None:
                        break
                if outcome is None:
                    error = OTError("ERR_MAX_SUBMIT_RETRIES_EXCEEDED", "Too many retries")
                    for submission in batch:
                        submission.error = error
                else:
                    await self._publish(*outcome)
                self._resolve(batch)
        except Exception as exc:  # never leave a submitter waiting
            log.exception("group commit failed")
            for submission in batch + self.queue:
                submission.error = OTError("ERR_UNKNOWN_ERROR", f"Commit failed: {exc}")
            self._resolve(batch + self.queue)
            self.queue = []
        finally:
            self.running = False

    @staticmethod
    def _resolve(batch: list[Submission]) -> None:
        for submission in batch:
            future = submission.future
            if future is None or future.done():
                continue
            if submission.error is not None:
                future.set_exception(submission.error)
            else:
                future.set_result(submission)

    async def _commit_attempt(
        self, batch: list[Submission], attempt: int
    ) -> tuple[list[CommittedOp], list[CommittedOp]] | None:
        """Optimistically (one round trip) at first; after losing the version to other
        processes, with the document locked, which cannot lose on PostgreSQL."""
        key = self.state.key
        if attempt < OPTIMISTIC_COMMIT_ATTEMPTS:
            return await self._commit(batch, storage.DocumentStore(*key), reread=attempt > 0)
        async with LockedDocument(*key) as locked:
            return await self._commit(batch, locked, reread=True)

    async def _commit(
        self, batch: list[Submission], store: storage.DocumentStore, *, reread: bool
    ) -> tuple[list[CommittedOp], list[CommittedOp]] | None:
        """Transform and commit the batch; None if another process took the version first.

        Returns the ops to publish: those this process had not received yet (`reread` reads
        them from the database first, and the batch is transformed past them too), then the
        batch's own.
        """
        history = History(self.state, store)
        if reread:
            history.unseen = await store.ops_get(history.seen_v)
        snapshot = history.base()
        new_ops: list[CommittedOp] = []
        users: list[int | None] = []
        milestones: list[Snapshot] = []
        for submission in batch:
            submission.error, submission.op, submission.duplicate_of = None, None, None
            try:
                after = await self._prepare(submission, history, snapshot, new_ops)
            except OTError as error:
                submission.error = error
                continue
            if after is None:
                continue
            assert submission.op is not None
            new_ops.append(submission.op)
            users.append(submission.user_id)
            snapshot = after
            if after.v % storage.MILESTONE_INTERVAL == 0:
                milestones.append(after)
        if new_ops and not await store.ops_commit(
            new_ops, snapshot, user_ids=users, milestones=milestones
        ):
            return None
        return history.unseen, new_ops

    async def _publish(self, unseen: list[CommittedOp], new_ops: list[CommittedOp]) -> None:
        """Take committed ops into the state in version order; send this process's own out."""
        state = self.state
        if unseen:
            async with state.lock:
                for op in unseen:
                    await state.advance(op)
        for op in new_ops:
            await state.hub.publish_op(state, op)

    async def _prepare(
        self,
        submission: Submission,
        history: History,
        snapshot: Snapshot,
        batched: list[CommittedOp],
    ) -> Snapshot | None:
        """Transform one submission to `snapshot` (the history's end + batched ops), apply it.

        Sets `submission.op` and returns the new snapshot, or sets `duplicate_of` and returns
        None for a resend of a committed op. Raises OTError when the op is refused.
        """
        request, src, seq, body = (
            submission.request,
            submission.src,
            submission.seq,
            submission.body,
        )
        version = request.get("v")
        if version is None:
            if "create" in body and snapshot.type is not None:
                if request.get("src"):
                    earlier = await history.store.op_find(src, seq)
                    if earlier is not None and earlier.kind == "create":
                        submission.duplicate_of = earlier.v
                        return None
                raise OTError("ERR_DOC_ALREADY_CREATED", "Document was created remotely")
            version = snapshot.v
        if version > snapshot.v:
            raise OTError(
                "ERR_OP_VERSION_NEWER_THAN_CURRENT_SNAPSHOT",
                "Invalid op submitted. Op version newer than current snapshot",
            )
        if "op" in body and snapshot.type is not None:
            try:
                # Normalized, because an op such as ["a", "b"] passes the check yet transforms
                # differently on each side; committing the normal form keeps replicas converging.
                body = {**body, "op": TYPES[snapshot.type].check_and_normalize(body["op"])}
            except Exception as exc:
                raise OTError("ERR_OT_OP_BADLY_FORMED", str(exc)) from exc
        end = history.end
        missed = await history.ops(version) if version < end else []
        missed += batched[max(0, version - end) :]
        for committed in missed:
            if committed.src == src and committed.seq == seq:
                submission.duplicate_of = committed.v
                submission.missed = missed
                return None
            body = op_transform(body, committed, snapshot.type)
        op = CommittedOp(v=snapshot.v, src=src, seq=seq, body=body)
        after = snapshot_apply(snapshot, op)
        if text_too_large(after.data):
            raise OTError("ERR_OT_OP_NOT_APPLIED", "The document would exceed 1 MiB")
        limit = submission.max_log_bytes
        if limit is not None:
            stored = self.state.ops_bytes + sum(o.nbytes for o in (*history.unseen, *batched))
            if stored + op.nbytes > limit:
                raise OTError(
                    "ERR_OP_SUBMIT_REJECTED",
                    f"This session's edit history is full ({limit // (1024 * 1024)} MiB): "
                    "no more edits can be stored. Copy your code into a new session.",
                )
        submission.op = op
        submission.missed = missed
        return after


class History:
    """The committed ops a batch is transformed past: this process's state up to `seen_v`, then
    the `unseen` ops a locked store read from the database."""

    def __init__(self, state: DocState, store: storage.DocumentStore) -> None:
        self.state = state
        self.store = store
        self.seen = state.snapshot
        self.unseen: list[CommittedOp] = []

    @property
    def seen_v(self) -> int:
        return self.seen.v

    @property
    def end(self) -> int:
        return self.seen.v + len(self.unseen)

    def base(self) -> Snapshot:
        snapshot = self.seen
        for op in self.unseen:
            snapshot = snapshot_apply(snapshot, op)
        return snapshot

    async def ops(self, start: int) -> list[CommittedOp]:
        """Ops [start, end): from the state's cache or the store, then the unseen ones."""
        seen = []
        if start < self.seen_v:
            seen = await self.state.ops_range(start, self.seen_v, fetch=self.store.ops_get)
        return seen + self.unseen[max(0, start - self.seen_v) :]


def committer_for(state: DocState) -> Committer:
    """The document's committer, created on its first submit."""
    committer = getattr(state, "committer", None)
    if committer is None:
        committer = state.committer = Committer(state)
    return committer
