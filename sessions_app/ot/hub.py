"""Process-wide state of open documents and the fan-out of their ops and presence.

One `Hub` per event loop (one per server process) keeps, for every document a local connection
has open, the current snapshot, the recent ops and the local subscribers. The hub joins ONE
channel-layer group per document, so an op costs one Redis message per process, not one per
connection. Every op reaches local subscribers through `DocState.advance`, in version order and
exactly once; a gap (an op from another process overtaken, or dropped by the layer) is filled
from the database before anything newer is delivered. A periodic check compares cached versions
with the database, so even a dropped *last* op is delivered within `CHECK_INTERVAL` seconds.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import time
import uuid
import weakref
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from sessions_app.ot import storage
from sessions_app.ot.types import CommittedOp, Snapshot, snapshot_apply

log = logging.getLogger(__name__)

# How many recent ops each open document keeps in memory for transforms and catch-up.
OPS_CACHE = 1000
# Seconds between the checks of cached versions against the database.
CHECK_INTERVAL = 2.0
# Re-join the groups this often: channels_redis expires group membership (a day by default).
GROUP_REFRESH_INTERVAL = 3600.0
# The channel layer (settings.CHANNEL_LAYERS) that carries ops between server processes.
CHANNEL_LAYER_ALIAS = "ot"

_SAFE_GROUP_PART = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def group_name(collection: str, doc_id: str) -> str:
    """The channel-layer group of a document; ids that are not group-safe are hashed."""
    if _SAFE_GROUP_PART.match(collection) and _SAFE_GROUP_PART.match(doc_id):
        return f"ot.{collection}.{doc_id}"
    digest = hashlib.sha256(f"{collection}\x00{doc_id}".encode()).hexdigest()[:40]
    return f"ot.h.{digest}"


class Subscriber(Protocol):
    """What the hub needs from a connection (the protocol agent)."""

    src: str

    async def deliver_op(self, collection: str, doc_id: str, op: CommittedOp) -> None: ...

    async def deliver_presence(self, message: dict[str, Any]) -> None: ...

    async def access_changed(self, collection: str, doc_id: str) -> None: ...


class DocState:
    """One open document in this process: snapshot, recent ops, local subscribers."""

    def __init__(self, hub: Hub, collection: str, doc_id: str) -> None:
        self.hub = hub
        self.collection = collection
        self.doc_id = doc_id
        self.group = group_name(collection, doc_id)
        self.snapshot = Snapshot(v=0)
        # The size of the stored op log, kept current as ops are taken (the session's cap).
        self.ops_bytes = 0
        self.ops: deque[CommittedOp] = deque(maxlen=OPS_CACHE)
        # `lock` orders state changes and deliveries to the subscribers.
        self.lock = asyncio.Lock()
        # The protocol's group committer for this document (created on the first submit).
        self.committer: Any = None
        self.subscribers: set[Subscriber] = set()
        self.presence_subscribers: set[Subscriber] = set()
        self.users: set[Subscriber] = set()
        self.loaded = False
        self._load_lock = asyncio.Lock()

    @property
    def v(self) -> int:
        return self.snapshot.v

    async def ensure_loaded(self) -> None:
        if self.loaded:
            return
        async with self._load_lock:
            if self.loaded:
                return
            # Join the group BEFORE reading the snapshot: every op committed after the read is
            # then either received from the group or found by a gap fill.
            await self.hub.group_add(self.group)
            self.snapshot, self.ops_bytes = await storage.asnapshot_and_ops_bytes_get(
                self.collection, self.doc_id
            )
            self.loaded = True

    @property
    def key(self) -> tuple[str, str]:
        return self.collection, self.doc_id

    async def ops_range(
        self,
        start: int,
        end: int | None = None,
        *,
        fetch: Callable[[int, int], Awaitable[list[CommittedOp]]] | None = None,
    ) -> list[CommittedOp]:
        """Committed ops [start, end) from memory when cached, else from the database.

        `fetch(start, end)` reads the database instead of the process's usual connection.
        """
        end = self.v if end is None else end
        if start >= end:
            return []
        if self.ops and self.ops[0].v <= start and self.ops[-1].v >= end - 1:
            first = self.ops[0].v
            return [self.ops[i - first] for i in range(start, end)]
        if fetch is not None:
            return await fetch(start, end)
        return await storage.aops_get(self.collection, self.doc_id, start, end)

    async def advance(self, op: CommittedOp) -> None:
        """Take one committed op (local or remote) into the state and deliver it, in order.

        Call with `lock` held. Older ops are ignored; a gap is filled from the database first.
        """
        if op.v < self.v:
            return
        if op.v > self.v:
            missing = await storage.aops_get(self.collection, self.doc_id, self.v, op.v)
            for earlier in missing:
                await self._take(earlier)
        await self._take(op)

    async def catch_up(self) -> None:
        """Take every op the database has beyond our version (after a conflict or a check)."""
        async with self.lock:
            for op in await storage.aops_get(self.collection, self.doc_id, self.v):
                await self._take(op)

    async def _take(self, op: CommittedOp) -> None:
        self.snapshot = snapshot_apply(self.snapshot, op)
        self.ops_bytes += op.nbytes
        self.ops.append(op)
        for subscriber in list(self.subscribers):
            try:
                await subscriber.deliver_op(self.collection, self.doc_id, op)
            except Exception:  # one broken connection must not stop the others
                log.exception("delivering op to a subscriber failed")

    async def deliver_presence(self, message: dict[str, Any], *, exclude_src: str | None) -> None:
        for subscriber in list(self.presence_subscribers):
            if subscriber.src == exclude_src:
                continue
            try:
                await subscriber.deliver_presence(message)
            except Exception:
                log.exception("delivering presence to a subscriber failed")


class Hub:
    """Open documents of this process and their channel-layer groups."""

    def __init__(self, channel_layer: Any = None) -> None:
        self.layer = channel_layer
        self.origin = uuid.uuid4().hex
        self.channel_name: str | None = None
        self.docs: dict[tuple[str, str], DocState] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._channel_lock = asyncio.Lock()
        self._joined: dict[str, float] = {}
        self._outbox: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()

    # --- documents ---------------------------------------------------------------------------

    async def open(self, user: Subscriber, collection: str, doc_id: str) -> DocState:
        """The loaded state of a document, held open for `user` until `release`."""
        key = (collection, doc_id)
        state = self.docs.get(key)
        if state is None:
            state = self.docs[key] = DocState(self, collection, doc_id)
        state.users.add(user)
        try:
            await state.ensure_loaded()
        except BaseException:
            await self.release(user, collection, doc_id)
            raise
        return state

    async def release(self, user: Subscriber, collection: str, doc_id: str) -> None:
        key = (collection, doc_id)
        state = self.docs.get(key)
        if state is None:
            return
        state.users.discard(user)
        state.subscribers.discard(user)
        state.presence_subscribers.discard(user)
        if not state.users:
            del self.docs[key]
            if state.loaded:
                await self.group_discard(state.group)

    # --- publishing --------------------------------------------------------------------------

    async def publish_op(self, state: DocState, op: CommittedOp) -> None:
        """Fan a freshly committed op out: local subscribers first, then other processes."""
        async with state.lock:
            await state.advance(op)
        await self.group_send(
            state.group, op_wire_message(state.collection, state.doc_id, op, self.origin)
        )

    async def publish_presence(self, state: DocState, message: dict[str, Any]) -> None:
        """Send presence (or a presence request, `r: True`) to every other subscriber."""
        await self.publish_presence_local(state, message)
        await self.group_send(
            state.group,
            {
                "type": "ot.presence",
                "origin": self.origin,
                "c": state.collection,
                "d": state.doc_id,
                "message": message,
            },
        )

    async def publish_presence_local(self, state: DocState, message: dict[str, Any]) -> None:
        async with state.lock:
            await state.deliver_presence(message, exclude_src=message.get("src"))

    # --- the channel layer -------------------------------------------------------------------

    async def _ensure_channel(self) -> None:
        if self.layer is None or self.channel_name is not None:
            return
        async with self._channel_lock:
            if self.channel_name is None:
                self.channel_name = await self.layer.new_channel()
                loop = asyncio.get_running_loop()
                self._tasks.append(loop.create_task(self._reader()))
                self._tasks.append(loop.create_task(self._checker()))
                self._tasks.append(loop.create_task(self._publisher()))

    async def group_add(self, group: str) -> None:
        if self.layer is None:
            return
        await self._ensure_channel()
        await self.layer.group_add(group, self.channel_name)
        self._joined[group] = time.monotonic()

    async def group_discard(self, group: str) -> None:
        if self.layer is None or self.channel_name is None:
            return
        self._joined.pop(group, None)
        await self.layer.group_discard(group, self.channel_name)

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        """Queue a message for the other processes; sent in order, off the ack's path."""
        if self.layer is None:
            return
        await self._ensure_channel()
        self._outbox.put_nowait((group, message))

    async def _publisher(self) -> None:
        """Send queued messages in order; consecutive ones for a group go as one batch."""
        assert self.layer is not None
        while True:
            queued = [await self._outbox.get()]
            while not self._outbox.empty() and len(queued) < 200:
                queued.append(self._outbox.get_nowait())
            batches: list[tuple[str, list[dict[str, Any]]]] = []
            for group, message in queued:
                if batches and batches[-1][0] == group:
                    batches[-1][1].append(message)
                else:
                    batches.append((group, [message]))
            for group, messages in batches:
                try:
                    await self.layer.group_send(
                        group, {"type": "ot.batch", "origin": self.origin, "messages": messages}
                    )
                except asyncio.CancelledError:
                    raise
                except Exception:  # the ops are committed; other processes catch up on checks
                    log.exception("group_send to %s failed", group)

    async def _reader(self) -> None:
        assert self.layer is not None and self.channel_name is not None
        while True:
            try:
                message = await self.layer.receive(self.channel_name)
                await self._dispatch(message)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("OT hub failed to handle a channel-layer message")
                await asyncio.sleep(0.05)

    async def _dispatch(self, message: dict[str, Any]) -> None:
        if message.get("origin") == self.origin:
            return
        if message.get("type") == "ot.batch":
            for item in message.get("messages", []):
                await self._dispatch(item)
            return
        state = self.docs.get((message.get("c"), message.get("d")))
        if state is None or not state.loaded:
            return
        if message.get("type") == "ot.op":
            op = CommittedOp(
                v=message["v"],
                src=message["src"],
                seq=message["seq"],
                body=message["body"],
                ts=message.get("ts", 0.0),
            )
            async with state.lock:
                await state.advance(op)
        elif message.get("type") == "ot.presence":
            await self.publish_presence_local(state, message["message"])
        elif message.get("type") == "ot.access":
            for user in list(state.users):
                try:
                    await user.access_changed(state.collection, state.doc_id)
                except Exception:
                    log.exception("telling a connection about an access change failed")

    async def _checker(self) -> None:
        """Deliver ops whose channel-layer message was lost; keep group membership fresh."""
        while True:
            await asyncio.sleep(CHECK_INTERVAL)
            try:
                await self.check_versions()
                now = time.monotonic()
                for group, joined in list(self._joined.items()):
                    if now - joined > GROUP_REFRESH_INTERVAL:
                        await self.group_add(group)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("OT hub version check failed")

    async def check_versions(self) -> None:
        states = [s for s in self.docs.values() if s.loaded]
        if not states:
            return
        versions = await storage.aversions_get([(s.collection, s.doc_id) for s in states])
        for state in states:
            if versions.get((state.collection, state.doc_id), 0) > state.v:
                await state.catch_up()

    async def close(self) -> None:
        """Stop the background tasks (servers never need this; tests and shutdown do).

        A cancelled channels_redis `receive` can take seconds to unwind, so the wait is
        bounded instead of awaiting each task.
        """
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=2)
        self._tasks.clear()


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def get_hub() -> Hub:
    """The hub of the running event loop, on the default channel layer."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        from channels.layers import get_channel_layer

        hub = _hubs[loop] = Hub(get_channel_layer(CHANNEL_LAYER_ALIAS))
    return hub


def set_hub(hub: Hub) -> None:
    """Install a hub for the running loop (tests use a layer-less hub)."""
    _hubs[asyncio.get_running_loop()] = hub


def op_wire_message(collection: str, doc_id: str, op: CommittedOp, origin: str) -> dict[str, Any]:
    """The channel-layer message that carries a committed op to the other processes."""
    return {
        "type": "ot.op",
        "origin": origin,
        "c": collection,
        "d": doc_id,
        "v": op.v,
        "src": op.src,
        "seq": op.seq,
        "body": op.body,
        "ts": op.ts,
    }


def document_access_changed_publish(*, collection: str, doc_id: str) -> None:
    """Tell every server that the document's access rules changed (a role, a member, ...).

    Connections holding it re-ask `authorize` at once instead of when their cache expires,
    and a connection that lost access closes. Call after the change commits.
    """
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    layer = get_channel_layer(CHANNEL_LAYER_ALIAS)
    if layer is None:
        return
    message = {"type": "ot.access", "origin": "", "c": collection, "d": doc_id}
    try:
        async_to_sync(layer.group_send)(group_name(collection, doc_id), message)
    except Exception:  # the connections' caches expire anyway
        log.exception("announcing an access change of %s/%s failed", collection, doc_id)


def op_publish(*, collection: str, doc_id: str, op: CommittedOp) -> None:
    """Hand an op committed outside any connection to every server's hub (best effort).

    Call after the commit (a new session's document, a restored version). Servers notice a
    missed op anyway (periodic version check, gap on the next op): a failure only costs time.
    """
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    layer = get_channel_layer(CHANNEL_LAYER_ALIAS)
    if layer is None:
        return
    message = op_wire_message(collection, doc_id, op, origin="")
    try:
        async_to_sync(layer.group_send)(group_name(collection, doc_id), message)
    except Exception:  # never fail the caller's request over a notification
        log.exception("announcing an op of %s/%s failed", collection, doc_id)


def document_created_publish(*, collection: str, doc_id: str, snapshot: Snapshot) -> None:
    """Announce a document created outside a WebSocket (`session_create`), after its commit."""
    if snapshot.type is None:
        return
    create = {"create": {"type": snapshot.type, "data": snapshot.data}}
    op = CommittedOp(v=snapshot.v - 1, src="", seq=None, body=create, ts=time.time() * 1000)
    op_publish(collection=collection, doc_id=doc_id, op=op)
