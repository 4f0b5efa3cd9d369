"""The ShareDB wire protocol (major 1, minor 2), one `Agent` per client connection.

The agent is transport-agnostic: it takes each client frame (`handle_text`) and emits reply
frames through the `send` coroutine it was given; the WebSocket consumer only glues the two.
Documents, ops and presence flow through the process-wide `Hub` (see `hub.py`), which keeps
every subscriber's stream in version order, so an op's ack always follows every earlier op.
The message shapes, error codes and ordering rules are those of the `sharedb` npm package
(see docs/ot.md): the unmodified client must work against us. Requests are checked in
`wire.py`, ops committed by `committer.py`, presence relayed by `presence.py`.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from sessions_app.ot import storage
from sessions_app.ot.committer import Submission, committer_for
from sessions_app.ot.hub import DocState, Hub, get_hub
from sessions_app.ot.limits import OpRateLimiter, OTLimits
from sessions_app.ot.presence import PresenceMixin
from sessions_app.ot.types import CommittedOp, DocumentAccess, OTError, body_bytes
from sessions_app.ot.wire import (
    JSON0_URI,
    MAX_MESSAGE_BYTES,
    PROTOCOL_MAJOR,
    PROTOCOL_MINOR,
    ack,
    bad,
    bulk_ids,
    has_lone_surrogate,
    is_name,
    op_body,
    request_check,
    scrub,
    snapshot_reply,
    text_byte_length_over,
)

log = logging.getLogger(__name__)

# Sends one frame: a message, or a message already encoded as JSON text.
Send = Callable[[dict[str, Any] | str], Awaitable[None]]
Authorize = Callable[[str, str], Awaitable[DocumentAccess | None]]


class Agent(PresenceMixin):
    """One client connection speaking the ShareDB protocol.

    `authorize(collection, doc_id)` decides, for every request that touches a document,
    whether this connection's user may see it (None: no) and edit it now (`DocumentAccess`).
    Answers are cached for `access_ttl` seconds, or until the hub says the document's access
    changed (`access_changed`), which also calls `on_access_changed` so the connection can
    close if access is gone. `user_key` ties connection ids to the user, so one user cannot
    claim another's `src` and have their ops taken for duplicates.
    """

    def __init__(
        self,
        *,
        send: Send,
        authorize: Authorize,
        user_key: str,
        user_id: int | None = None,
        hub: Hub | None = None,
        secret: str = "",
        limits: OTLimits | None = None,
        access_ttl: float = 10.0,
        on_access_changed: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        self._send = send
        self._authorize = authorize
        self.limits = limits or OTLimits()
        self._rate = OpRateLimiter(self.limits, user_key)
        self._access_ttl = access_ttl
        self._access: OrderedDict[tuple[str, str], tuple[DocumentAccess | None, float]] = (
            OrderedDict()
        )
        self._on_access_changed = on_access_changed
        self._tasks: set[asyncio.Task[object]] = set()
        self._user_key = user_key
        self._secret = (secret or "codepusher-ot").encode()
        self.user_id = user_id
        self.hub = hub or get_hub()
        self.src = self._new_src()
        self.protocol: tuple[int, int] = (0, 0)
        self.closed = False
        # (collection, doc_id) -> the next version this client expects from its stream.
        self.subscribed: dict[tuple[str, str], int] = {}
        self.opened: set[tuple[str, str]] = set()
        # (collection, doc_id, src, seq) of ops being committed; acked by whoever comes first.
        self._pending: set[tuple[str, str, str, int]] = set()
        self.presence_channels: dict[str, tuple[str, str]] = {}
        self.presences: dict[str, dict[str, dict[str, Any]]] = {}

    # --- connection ids ----------------------------------------------------------------------

    def _mac(self, nonce: str) -> str:
        digest = hmac.new(self._secret, f"{self._user_key}:{nonce}".encode(), hashlib.sha256)
        return digest.hexdigest()[:16]

    def _new_src(self) -> str:
        nonce = secrets.token_hex(8)
        return nonce + self._mac(nonce)

    def src_is_ours(self, src: str) -> bool:
        """True for ids issued to this user (by this or an earlier connection)."""
        if src == self.src:
            return True
        if not isinstance(src, str) or len(src) != 32:
            return False
        return hmac.compare_digest(src[16:], self._mac(src[:16]))

    # --- entry points ------------------------------------------------------------------------

    async def send(self, message: dict[str, Any] | str) -> None:
        if not self.closed:
            await self._send(message)

    async def handle_text(self, text: str) -> None:
        """Handle one text frame: parse, check and dispatch it; errors are replied, never raised."""
        if text_byte_length_over(text, MAX_MESSAGE_BYTES):
            await self.send({"error": bad("Message too large").wire()})
            return
        try:
            message = json.loads(text)
        except (ValueError, RecursionError):
            await self.send({"error": bad("Malformed JSON").wire()})
            return
        if not isinstance(message, dict):
            await self.send({"error": bad("Received non-object message").wire()})
            return
        if ("\\u" in text or "\\U" in text) and has_lone_surrogate(message):
            code = (
                "ERR_OT_OP_BADLY_FORMED" if message.get("a") == "op" else "ERR_MESSAGE_BADLY_FORMED"
            )
            error = OTError(code, "Text contains a lone surrogate")
            await self.send({**scrub(message), "error": error.wire()})
            return
        await self.handle(message)

    async def handle(self, request: dict[str, Any]) -> None:
        """Handle one parsed request; any OTError becomes the request echoed with `error`."""
        try:
            reply = await self._dispatch(request)
        except OTError as error:
            await self.send({**request, "error": error.wire()})
            return
        except Exception:
            log.exception("OT request failed: %r", request.get("a"))
            error = OTError("ERR_UNKNOWN_ERROR", "Internal server error")
            await self.send({**request, "error": error.wire()})
            return
        if reply is not None:
            await self.send(reply)

    async def close(self) -> None:
        """Withdraw this connection's presence and release its documents."""
        if self.closed:
            return
        for ch in {*self.presence_channels, *self.presences}:
            try:
                await self._withdraw_presence(ch)
            except Exception:
                log.exception("withdrawing presence failed")
        self.closed = True
        for collection, doc_id in list(self.opened):
            await self.hub.release(self, collection, doc_id)
        self.opened.clear()
        self.subscribed.clear()

    # --- delivery from the hub ---------------------------------------------------------------

    async def deliver_op(self, collection: str, doc_id: str, op: CommittedOp) -> None:
        """A committed op in version order: an ack if it is ours, else forwarded once."""
        key = (collection, doc_id)
        expected = self.subscribed.get(key)
        if expected is None or op.v < expected:
            return
        self.subscribed[key] = op.v + 1
        pending = (collection, doc_id, op.src, op.seq)
        if op.seq is not None and pending in self._pending:
            self._pending.discard(pending)
            await self.send(ack(collection, doc_id, op.src, op.seq, op.v))
        elif op.src != self.src:
            await self.send(op.wire_text(collection, doc_id))

    # --- dispatch ----------------------------------------------------------------------------

    async def _dispatch(self, request: dict[str, Any]) -> dict[str, Any] | None:
        action = request.get("a")
        request_check(request)
        handler = HANDLERS.get(action) if isinstance(action, str) else None
        if handler is None:
            raise bad("Invalid or unknown message")
        return await handler(self, request)

    # --- permission -------------------------------------------------------------------------

    async def access(
        self, collection: str, doc_id: str, *, fresh: bool = False
    ) -> DocumentAccess | None:
        """What this user may do with the document (cached; `fresh` asks again)."""
        key = (collection, doc_id)
        now = time.monotonic()
        cached = self._access.get(key)
        if cached is not None and not fresh and now - cached[1] < self._access_ttl:
            return cached[0]
        answer = await self._authorize(collection, doc_id)
        self._access[key] = (answer, now)
        self._access.move_to_end(key)
        while len(self._access) > self.limits.max_permission_cache:
            self._access.popitem(last=False)
        return answer

    async def access_changed(self, collection: str, doc_id: str) -> None:
        """The document's access rules changed (roles, membership): forget the cached answer."""
        self._access.pop((collection, doc_id), None)
        if self._on_access_changed is not None and not self.closed:
            # Off the hub's reader: re-asking takes a database round trip per connection.
            task = asyncio.get_running_loop().create_task(self._on_access_changed())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _require(self, collection: Any, doc_id: Any, *, code: str) -> DocumentAccess:
        if not is_name(collection) or not is_name(doc_id):
            raise bad("Invalid collection or id")
        answer = await self.access(collection, doc_id)
        if answer is None:
            raise OTError(code, "You may not access this document")
        return answer

    async def _open(self, collection: str, doc_id: str) -> DocState:
        state = await self.hub.open(self, collection, doc_id)
        self.opened.add((collection, doc_id))
        return state

    # --- handshake, ping ---------------------------------------------------------------------

    async def handshake(self, request: dict[str, Any]) -> dict[str, Any]:
        major, minor = request.get("protocol"), request.get("protocolMinor")
        for value in (major, minor):
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float | str)
            ):
                raise bad("Invalid protocol")
        try:
            self.protocol = (int(major or 0), int(minor or 0))
        except ValueError:
            self.protocol = (0, 0)
        proposed = request.get("id")
        if isinstance(proposed, str) and proposed and self.src_is_ours(proposed):
            self.src = proposed
        return {
            "a": "hs",
            "protocol": PROTOCOL_MAJOR,
            "protocolMinor": PROTOCOL_MINOR,
            "id": self.src,
            "type": JSON0_URI,
        }

    async def ping(self, request: dict[str, Any]) -> dict[str, Any]:
        return {"a": "pp"}

    # --- fetch / subscribe -------------------------------------------------------------------

    async def fetch(self, request: dict[str, Any]) -> dict[str, Any]:
        collection, doc_id, version = request.get("c"), request.get("d"), request.get("v")
        await self._require(collection, doc_id, code="ERR_SNAPSHOT_READS_REJECTED")
        state = await self._open(collection, doc_id)
        # A fetch answers with what is committed, even if another process committed it and its
        # Redis message has not reached this process yet.
        await state.catch_up()
        reply: dict[str, Any] = {"a": request["a"], "c": collection, "d": doc_id}
        if version is None:
            reply["data"] = state.snapshot.wire()
        else:
            for op in await state.ops_range(version):
                await self.send(op.wire(collection, doc_id))
        return reply

    async def subscribe(self, request: dict[str, Any]) -> dict[str, Any]:
        collection, doc_id, version = request.get("c"), request.get("d"), request.get("v")
        await self._require(collection, doc_id, code="ERR_SNAPSHOT_READS_REJECTED")
        reply: dict[str, Any] = {"a": request["a"], "c": collection, "d": doc_id}
        data = await self._subscribe_one(collection, doc_id, version)
        if data is not None:
            reply["data"] = data
        return reply

    async def _subscribe_one(self, collection: str, doc_id: str, version: int | None) -> Any:
        """Subscribe; ops since `version` are sent at once. Returns the snapshot if version None."""
        state = await self._open(collection, doc_id)
        async with state.lock:
            # Under the state lock no op can be delivered between the catch-up and the join.
            if version is None:
                data = state.snapshot.wire()
            else:
                data = None
                for op in await state.ops_range(version):
                    await self.send(op.wire(collection, doc_id))
            self.subscribed[(collection, doc_id)] = state.v
            state.subscribers.add(self)
        return data

    async def unsubscribe(self, request: dict[str, Any]) -> dict[str, Any]:
        collection, doc_id = request.get("c"), request.get("d")
        if not is_name(collection) or not is_name(doc_id):
            raise bad("Invalid collection or id")
        self._unsubscribe_one(collection, doc_id)
        return {"a": "u", "c": collection, "d": doc_id}

    def _unsubscribe_one(self, collection: str, doc_id: str) -> None:
        self.subscribed.pop((collection, doc_id), None)
        state = self.hub.docs.get((collection, doc_id))
        if state is not None:
            state.subscribers.discard(self)

    # --- bulk forms --------------------------------------------------------------------------

    async def _bulk(self, request: dict[str, Any], *, subscribe: bool) -> dict[str, Any]:
        bulk = bulk_ids(request)
        collection = request["c"]
        reply: dict[str, Any] = {"a": request["a"], "c": collection}
        if isinstance(bulk, list):
            data: dict[str, Any] = {}
            for doc_id in bulk:
                if await self.access(collection, doc_id) is None:
                    error = OTError(
                        "ERR_SNAPSHOT_READS_REJECTED", "You may not access this document"
                    )
                    data[doc_id] = {"error": error.wire()}
                elif subscribe:
                    data[doc_id] = await self._subscribe_one(collection, doc_id, None)
                else:
                    data[doc_id] = (await self._open(collection, doc_id)).snapshot.wire()
            reply["data"] = data
            return reply
        # A version map: ops for every doc, then the echo. One refused doc refuses the request.
        for doc_id in bulk:
            await self._require(collection, doc_id, code="ERR_SNAPSHOT_READS_REJECTED")
        snapshots: dict[str, Any] = {}
        for doc_id, version in bulk.items():
            if subscribe:
                data = await self._subscribe_one(collection, doc_id, version)
                if version is None:
                    snapshots[doc_id] = data
            else:
                state = await self._open(collection, doc_id)
                if version is None:
                    snapshots[doc_id] = state.snapshot.wire()
                    continue
                for op in await state.ops_range(version):
                    await self.send(op.wire(collection, doc_id))
        # As ShareDB's reply: snapshots for the ids without a version, else the echo.
        if snapshots:
            reply["data"] = snapshots
        else:
            reply["b"] = bulk
        return reply

    async def bulk_fetch(self, request: dict[str, Any]) -> dict[str, Any]:
        return await self._bulk(request, subscribe=False)

    async def bulk_subscribe(self, request: dict[str, Any]) -> dict[str, Any]:
        return await self._bulk(request, subscribe=True)

    async def bulk_unsubscribe(self, request: dict[str, Any]) -> dict[str, Any]:
        bulk = bulk_ids(request)
        for doc_id in bulk:
            self._unsubscribe_one(request["c"], doc_id)
        return {"a": "bu", "c": request["c"], "b": bulk}

    # --- snapshots at a version or time ------------------------------------------------------

    async def snapshot_fetch_at_version(self, request: dict[str, Any]) -> dict[str, Any]:
        collection, doc_id = request.get("c"), request.get("d")
        await self._require(collection, doc_id, code="ERR_SNAPSHOT_READS_REJECTED")
        snapshot = await storage.asnapshot_at_version(collection, doc_id, request.get("v"))
        return snapshot_reply(request, snapshot)

    async def snapshot_fetch_at_time(self, request: dict[str, Any]) -> dict[str, Any]:
        collection, doc_id, ts = request.get("c"), request.get("d"), request.get("ts")
        if ts is not None and (isinstance(ts, bool) or not isinstance(ts, int | float)):
            raise bad("Invalid timestamp")
        await self._require(collection, doc_id, code="ERR_SNAPSHOT_READS_REJECTED")
        snapshot = await storage.asnapshot_at_time(collection, doc_id, ts)
        return snapshot_reply(request, snapshot)

    # --- queries: not supported --------------------------------------------------------------

    async def query(self, request: dict[str, Any]) -> dict[str, Any]:
        raise OTError("ERR_DATABASE_METHOD_NOT_IMPLEMENTED", "Queries are not supported")

    async def query_unsubscribe(self, request: dict[str, Any]) -> dict[str, Any]:
        return {"a": "qu", "id": request.get("id")}

    # --- ops ---------------------------------------------------------------------------------

    async def op_submit(self, request: dict[str, Any]) -> dict[str, Any] | None:
        collection, doc_id = request.get("c"), request.get("d")
        access = await self._require(collection, doc_id, code="ERR_OP_SUBMIT_REJECTED")
        if access.edit_refusal is not None:
            raise OTError("ERR_OP_SUBMIT_REJECTED", access.edit_refusal)
        seq = request.get("seq")
        if seq is None:
            raise bad("Invalid op message: seq missing")
        src = request.get("src") or self.src
        if not isinstance(src, str) or not self.src_is_ours(src):
            raise bad("Invalid src")
        body = op_body(request)
        if body.get("del"):
            # ShareDB allows it, but a session's code is the session: it must not vanish.
            raise OTError("ERR_OP_SUBMIT_REJECTED", "A session's code cannot be deleted")
        if body_bytes(body) > self.limits.max_op_bytes:
            raise OTError(
                "ERR_OP_SUBMIT_REJECTED",
                f"An edit may be at most {self.limits.max_op_bytes // 1024} KiB: "
                "paste large text in parts.",
            )
        self._rate.check()
        state = await self._open(collection, doc_id)
        submission = Submission(
            request=request,
            src=src,
            seq=seq,
            body=body,
            user_id=self.user_id,
            max_log_bytes=self.limits.max_session_op_bytes,
        )
        key = (collection, doc_id, src, seq)
        # Registered before the commit: the subscription stream may deliver the op first.
        self._pending.add(key)
        try:
            outcome = await committer_for(state).submit(submission)
        except BaseException:
            self._pending.discard(key)
            raise
        if outcome.duplicate_of is not None:
            # A resend of an op committed earlier: ack it, never apply it twice.
            self._pending.discard(key)
            for op in outcome.missed:
                if op.v < outcome.duplicate_of:
                    await self.send(op.wire(collection, doc_id))
            return ack(collection, doc_id, src, seq, outcome.duplicate_of)
        if key not in self._pending:
            return None  # acked in order through the subscription stream
        self._pending.discard(key)
        assert outcome.op is not None
        if (collection, doc_id) not in self.subscribed:
            for earlier in outcome.missed:
                await self.send(earlier.wire(collection, doc_id))
        return ack(collection, doc_id, src, seq, outcome.op.v)


Handler = Callable[[Agent, dict[str, Any]], Awaitable[dict[str, Any] | None]]

# The wire's action codes and the agent's handler for each.
HANDLERS: dict[str, Handler] = {
    "hs": Agent.handshake,
    "pp": Agent.ping,
    "f": Agent.fetch,
    "s": Agent.subscribe,
    "u": Agent.unsubscribe,
    "bf": Agent.bulk_fetch,
    "bs": Agent.bulk_subscribe,
    "bu": Agent.bulk_unsubscribe,
    "nf": Agent.snapshot_fetch_at_version,
    "nt": Agent.snapshot_fetch_at_time,
    "op": Agent.op_submit,
    "qf": Agent.query,
    "qs": Agent.query,
    "qu": Agent.query_unsubscribe,
    "p": Agent.presence_submit,
    "ps": Agent.presence_subscribe,
    "pu": Agent.presence_unsubscribe,
    "pr": Agent.presence_request,
}
