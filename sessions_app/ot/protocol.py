"""The ShareDB wire protocol (major 1, minor 2), one `Agent` per client connection.

The agent is transport-agnostic: it takes each client frame (`handle_text`) and emits reply
frames through the `send` coroutine it was given; the WebSocket consumer only glues the two.
Documents, ops and presence flow through the process-wide `Hub` (see `hub.py`), which keeps
every subscriber's stream in version order, so an op's ack always follows every earlier op.
The message shapes, error codes and ordering rules are those of the `sharedb` npm package
(see the research note `sharedb-protocol.md`): the unmodified client must work against us.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sessions_app.ot import storage
from sessions_app.ot.hub import DocState, Hub, get_hub
from sessions_app.ot.storage import TYPES, CommittedOp, OTError, Snapshot

log = logging.getLogger(__name__)

PROTOCOL_MAJOR = 1
PROTOCOL_MINOR = 2
# The client insists on ShareDB's default type in the handshake, even if no doc uses json0.
JSON0_URI = "http://sharejs.org/types/JSONv0"

# Limits on untrusted input.
MAX_MESSAGE_BYTES = 256 * 1024  # one WebSocket frame
MAX_DOCUMENT_BYTES = 1024 * 1024  # a document's text, UTF-8 encoded
MAX_BULK_IDS = 100  # ids in one bf/bs/bu
MAX_NAME_LENGTH = 100  # collection, doc id, presence channel/id (the model's column width)
MAX_SUBMIT_RETRIES = 50  # commit attempts lost to other processes before giving up
# Commit attempts before a batch that lost its version takes the document's lock.
OPTIMISTIC_COMMIT_ATTEMPTS = 2
MAX_SEQ = 2**53 - 1

# Sends one frame: a message, or a message already encoded as JSON text.
Send = Callable[[dict[str, Any] | str], Awaitable[None]]
Authorize = Callable[[str, str], Awaitable[bool]]


def _is_version(value: Any) -> bool:
    return value is None or (type(value) is int and value >= 0)


def _is_name(value: Any) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_NAME_LENGTH
        and value not in ("__proto__", "constructor", "prototype")
    )


def _has_lone_surrogate(message: Any) -> bool:
    """True if any string (key or value) in a parsed message holds a lone surrogate."""
    stack = [message]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _scrub(message: Any) -> Any:
    """A copy with lone surrogates replaced, so an echoed bad request can be encoded."""
    if isinstance(message, str):
        return message.encode("utf-8", "replace").decode("utf-8")
    if isinstance(message, dict):
        return {_scrub(k): _scrub(v) for k, v in message.items()}
    if isinstance(message, list):
        return [_scrub(v) for v in message]
    return message


def _text_too_large(data: Any) -> bool:
    if not isinstance(data, str) or len(data) * 4 <= MAX_DOCUMENT_BYTES:
        return False
    return len(data) > MAX_DOCUMENT_BYTES or len(data.encode("utf-8")) > MAX_DOCUMENT_BYTES


def _bad(message: str) -> OTError:
    return OTError("ERR_MESSAGE_BADLY_FORMED", message)


class Agent:
    """One client connection speaking the ShareDB protocol.

    `authorize(collection, doc_id)` decides, for every request that touches a document,
    whether this connection's user may see and edit it. `user_key` ties connection ids to the
    user, so one user cannot claim another's `src` and have their ops taken for duplicates.
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
    ) -> None:
        self._send = send
        self._authorize = authorize
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
        if len(text) > MAX_MESSAGE_BYTES or (
            len(text) * 4 > MAX_MESSAGE_BYTES
            and len(text.encode("utf-8", "replace")) > MAX_MESSAGE_BYTES
        ):
            await self.send({"error": _bad("Message too large").wire()})
            return
        try:
            message = json.loads(text)
        except (ValueError, RecursionError):
            await self.send({"error": _bad("Malformed JSON").wire()})
            return
        if not isinstance(message, dict):
            await self.send({"error": _bad("Received non-object message").wire()})
            return
        if ("\\u" in text or "\\U" in text) and _has_lone_surrogate(message):
            code = (
                "ERR_OT_OP_BADLY_FORMED" if message.get("a") == "op" else "ERR_MESSAGE_BADLY_FORMED"
            )
            error = OTError(code, "Text contains a lone surrogate")
            await self.send({**_scrub(message), "error": error.wire()})
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
            await self.send(self._ack(collection, doc_id, op.src, op.seq, op.v))
        elif op.src != self.src:
            await self.send(op.wire_text(collection, doc_id))

    async def deliver_presence(self, message: dict[str, Any]) -> None:
        if message.get("src") == self.src:
            return
        if message.get("r"):
            await self.send({"a": "pr", "ch": message["ch"]})
        else:
            await self.send(message)

    # --- dispatch ----------------------------------------------------------------------------

    async def _dispatch(self, request: dict[str, Any]) -> dict[str, Any] | None:
        action = request.get("a")
        self._check_common(request)
        handler = self._HANDLERS.get(action) if isinstance(action, str) else None
        if handler is None:
            raise _bad("Invalid or unknown message")
        return await handler(self, request)

    @staticmethod
    def _check_common(request: dict[str, Any]) -> None:
        for key in ("c", "ch"):
            if key in request and request[key] is not None and not _is_name(request[key]):
                raise _bad("Invalid collection" if key == "c" else "Invalid presence channel")
        if "d" in request and request["d"] is not None and not _is_name(request["d"]):
            raise _bad("Invalid id")
        if "v" in request and not _is_version(request["v"]):
            raise _bad("Invalid version")
        seq = request.get("seq")
        if seq is not None and (type(seq) is not int or not 0 <= seq <= MAX_SEQ):
            raise _bad("Invalid seq")

    async def _require(self, collection: Any, doc_id: Any, *, code: str) -> None:
        if not _is_name(collection) or not _is_name(doc_id):
            raise _bad("Invalid collection or id")
        if not await self._authorize(collection, doc_id):
            raise OTError(code, "You may not access this document")

    async def _open(self, collection: str, doc_id: str) -> DocState:
        state = await self.hub.open(self, collection, doc_id)
        self.opened.add((collection, doc_id))
        return state

    # --- handshake, ping ---------------------------------------------------------------------

    async def _hs(self, request: dict[str, Any]) -> dict[str, Any]:
        major, minor = request.get("protocol"), request.get("protocolMinor")
        for value in (major, minor):
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float | str)
            ):
                raise _bad("Invalid protocol")
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

    async def _pp(self, request: dict[str, Any]) -> dict[str, Any]:
        return {"a": "pp"}

    # --- fetch / subscribe -------------------------------------------------------------------

    async def _f(self, request: dict[str, Any]) -> dict[str, Any]:
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

    async def _s(self, request: dict[str, Any]) -> dict[str, Any]:
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

    async def _u(self, request: dict[str, Any]) -> dict[str, Any]:
        collection, doc_id = request.get("c"), request.get("d")
        if not _is_name(collection) or not _is_name(doc_id):
            raise _bad("Invalid collection or id")
        self._unsubscribe_one(collection, doc_id)
        return {"a": "u", "c": collection, "d": doc_id}

    def _unsubscribe_one(self, collection: str, doc_id: str) -> None:
        self.subscribed.pop((collection, doc_id), None)
        state = self.hub.docs.get((collection, doc_id))
        if state is not None:
            state.subscribers.discard(self)

    # --- bulk forms --------------------------------------------------------------------------

    @staticmethod
    def _bulk_ids(request: dict[str, Any]) -> list[str] | dict[str, int | None]:
        if not _is_name(request.get("c")):
            raise _bad("Invalid collection")
        bulk = request.get("b")
        if isinstance(bulk, list):
            if not all(_is_name(i) for i in bulk):
                raise _bad("Invalid id")
        elif isinstance(bulk, dict):
            if not all(_is_name(i) for i in bulk):
                raise _bad("Invalid id")
            if not all(_is_version(v) for v in bulk.values()):
                raise _bad("Invalid version")
        else:
            raise _bad("Invalid bulk subscribe data")
        if len(bulk) > MAX_BULK_IDS:
            raise _bad("Too many ids in one bulk request")
        return bulk

    async def _bulk(self, request: dict[str, Any], *, subscribe: bool) -> dict[str, Any]:
        bulk = self._bulk_ids(request)
        collection = request["c"]
        reply: dict[str, Any] = {"a": request["a"], "c": collection}
        if isinstance(bulk, list):
            data: dict[str, Any] = {}
            for doc_id in bulk:
                if not await self._authorize(collection, doc_id):
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

    async def _bf(self, request: dict[str, Any]) -> dict[str, Any]:
        return await self._bulk(request, subscribe=False)

    async def _bs(self, request: dict[str, Any]) -> dict[str, Any]:
        return await self._bulk(request, subscribe=True)

    async def _bu(self, request: dict[str, Any]) -> dict[str, Any]:
        bulk = self._bulk_ids(request)
        for doc_id in bulk:
            self._unsubscribe_one(request["c"], doc_id)
        return {"a": "bu", "c": request["c"], "b": bulk}

    # --- snapshots at a version or time ------------------------------------------------------

    async def _nf(self, request: dict[str, Any]) -> dict[str, Any]:
        collection, doc_id = request.get("c"), request.get("d")
        await self._require(collection, doc_id, code="ERR_SNAPSHOT_READS_REJECTED")
        snapshot = await storage.asnapshot_at_version(collection, doc_id, request.get("v"))
        return self._snapshot_reply(request, snapshot)

    async def _nt(self, request: dict[str, Any]) -> dict[str, Any]:
        collection, doc_id, ts = request.get("c"), request.get("d"), request.get("ts")
        if ts is not None and (isinstance(ts, bool) or not isinstance(ts, int | float)):
            raise _bad("Invalid timestamp")
        await self._require(collection, doc_id, code="ERR_SNAPSHOT_READS_REJECTED")
        snapshot = await storage.asnapshot_at_time(collection, doc_id, ts)
        return self._snapshot_reply(request, snapshot)

    @staticmethod
    def _snapshot_reply(request: dict[str, Any], snapshot: Snapshot) -> dict[str, Any]:
        reply: dict[str, Any] = {"a": request["a"], **snapshot.wire(), "m": None}
        if request.get("id"):
            reply["id"] = request["id"]
        else:
            reply.update(c=request["c"], d=request["d"])
        return reply

    # --- queries: not supported --------------------------------------------------------------

    async def _q(self, request: dict[str, Any]) -> dict[str, Any]:
        raise OTError("ERR_DATABASE_METHOD_NOT_IMPLEMENTED", "Queries are not supported")

    async def _qu(self, request: dict[str, Any]) -> dict[str, Any]:
        return {"a": "qu", "id": request.get("id")}

    # --- ops ---------------------------------------------------------------------------------

    @staticmethod
    def _ack(collection: str, doc_id: str, src: str, seq: int, v: int) -> dict[str, Any]:
        return {"a": "op", "c": collection, "d": doc_id, "src": src, "seq": seq, "v": v}

    @staticmethod
    def _op_body(request: dict[str, Any]) -> dict[str, Any]:
        present = [key for key in ("op", "create", "del") if key in request]
        if len(present) != 1:
            raise _bad("Invalid op message")
        key = present[0]
        if key == "del":
            if request["del"] is not True:
                raise _bad("del value must be true")
            return {"del": True}
        if key == "create":
            create = request["create"]
            if not isinstance(create, dict):
                raise _bad("create must be an object")
            ot_type = TYPES.get(create.get("type"))
            if ot_type is None:
                raise OTError("ERR_DOC_TYPE_NOT_RECOGNIZED", "Unknown type")
            body = {"create": {"type": ot_type.uri, "data": create.get("data")}}
            try:
                data = ot_type.create(create.get("data"))
            except Exception as exc:
                raise OTError("ERR_OT_OP_BADLY_FORMED", str(exc)) from exc
            if _text_too_large(data):
                raise OTError("ERR_OT_OP_NOT_APPLIED", "The document would exceed 1 MiB")
            body["create"]["data"] = data
            return body
        return {"op": request["op"]}

    async def _op(self, request: dict[str, Any]) -> dict[str, Any] | None:
        collection, doc_id = request.get("c"), request.get("d")
        await self._require(collection, doc_id, code="ERR_OP_SUBMIT_REJECTED")
        seq = request.get("seq")
        if seq is None:
            raise _bad("Invalid op message: seq missing")
        src = request.get("src") or self.src
        if not isinstance(src, str) or not self.src_is_ours(src):
            raise _bad("Invalid src")
        body = self._op_body(request)
        if body.get("del"):
            # ShareDB allows it, but a session's code is the session: it must not vanish.
            raise OTError("ERR_OP_SUBMIT_REJECTED", "A session's code cannot be deleted")
        state = await self._open(collection, doc_id)
        submission = _Submission(request=request, src=src, seq=seq, body=body, agent=self)
        key = (collection, doc_id, src, seq)
        # Registered before the commit: the subscription stream may deliver the op first.
        self._pending.add(key)
        try:
            outcome = await _committer(state).submit(submission)
        except BaseException:
            self._pending.discard(key)
            raise
        if outcome.duplicate_of is not None:
            # A resend of an op committed earlier: ack it, never apply it twice.
            self._pending.discard(key)
            for op in outcome.missed:
                if op.v < outcome.duplicate_of:
                    await self.send(op.wire(collection, doc_id))
            return self._ack(collection, doc_id, src, seq, outcome.duplicate_of)
        if key not in self._pending:
            return None  # acked in order through the subscription stream
        self._pending.discard(key)
        assert outcome.op is not None
        if (collection, doc_id) not in self.subscribed:
            for earlier in outcome.missed:
                await self.send(earlier.wire(collection, doc_id))
        return self._ack(collection, doc_id, src, seq, outcome.op.v)

    @staticmethod
    def _transform(
        body: dict[str, Any], committed: CommittedOp, type_uri: str | None
    ) -> dict[str, Any]:
        """ShareDB's `ot.transform`: the incoming op against one committed op, side 'left'."""
        kind = committed.kind
        if kind == "del":
            if "create" in body or "op" in body:
                raise OTError("ERR_DOC_WAS_DELETED", "Document was deleted")
            return body
        if kind == "create" or "create" in body:
            raise OTError("ERR_DOC_ALREADY_CREATED", "Document was created remotely")
        if "op" in body:
            ot_type = TYPES.get(type_uri or "")
            if ot_type is None:
                raise OTError("ERR_DOC_DOES_NOT_EXIST", "Document does not exist")
            try:
                return {"op": ot_type.transform(body["op"], committed.body["op"], "left")}
            except Exception as exc:
                raise OTError("ERR_OT_OP_BADLY_FORMED", str(exc)) from exc
        return body

    # --- presence ----------------------------------------------------------------------------

    @staticmethod
    def _channel_doc(ch: Any) -> tuple[str, str]:
        """Presence channels are `<collection>.<doc id>` (DocPresence): the doc's permission."""
        if not _is_name(ch) or "." not in ch:
            raise _bad("Invalid presence channel")
        collection, doc_id = ch.split(".", 1)
        return collection, doc_id

    async def _ps(self, request: dict[str, Any]) -> dict[str, Any]:
        ch = request.get("ch")
        collection, doc_id = self._channel_doc(ch)
        await self._require(collection, doc_id, code="ERR_SNAPSHOT_READS_REJECTED")
        state = await self._open(collection, doc_id)
        self.presence_channels[ch] = (collection, doc_id)
        state.presence_subscribers.add(self)
        await self.send({"ch": ch, "seq": request.get("seq"), "a": "ps"})
        await self.hub.publish_presence(state, {"ch": ch, "r": True, "src": self.src})
        return None

    async def _pu(self, request: dict[str, Any]) -> dict[str, Any]:
        ch = request.get("ch")
        if not _is_name(ch):
            raise _bad("Invalid presence channel")
        if ch in self.presence_channels:
            await self._withdraw_presence(ch)
        return {"ch": ch, "seq": request.get("seq"), "a": "pu"}

    async def _withdraw_presence(self, ch: str) -> None:
        """Leave a channel: every presence we sent there is broadcast as gone (`p: null`)."""
        key = self.presence_channels.pop(ch, None) or self._channel_doc(ch)
        state = self.hub.docs.get(key)
        if state is None:
            return
        state.presence_subscribers.discard(self)
        for presence in self.presences.pop(ch, {}).values():
            if presence.get("p") is not None:
                await self.hub.publish_presence(state, {**presence, "p": None, "seq": None})

    async def _pr(self, request: dict[str, Any]) -> dict[str, Any]:
        ch = request.get("ch")
        collection, doc_id = self._channel_doc(ch)
        await self._require(collection, doc_id, code="ERR_SNAPSHOT_READS_REJECTED")
        state = await self._open(collection, doc_id)
        await self.hub.publish_presence(state, {"ch": ch, "r": True, "src": self.src})
        return {"a": "pr"}

    async def _p(self, request: dict[str, Any]) -> dict[str, Any]:
        ch = request.get("ch")
        collection, doc_id = self._channel_doc(ch)
        if request.get("c") is not None and (request.get("c"), request.get("d")) != (
            collection,
            doc_id,
        ):
            raise _bad("Presence channel does not match the document")
        if not _is_name(request.get("id")):
            raise _bad("Invalid presence ID")
        if not _is_version(request.get("pv")):
            raise _bad("Invalid presence version")
        await self._require(collection, doc_id, code="ERR_OP_SUBMIT_REJECTED")
        type_uri = request.get("t")
        ot_type = TYPES.get(type_uri) if type_uri is not None else None
        if type_uri is not None and (ot_type is None or not hasattr(ot_type, "transform_presence")):
            raise OTError(
                "ERR_TYPE_DOES_NOT_SUPPORT_PRESENCE", f"Type does not support presence: {type_uri}"
            )
        presence: dict[str, Any] = {"a": "p", "ch": ch, "src": self.src}
        for key in ("id", "p", "pv", "c", "d", "v", "t"):
            if key in request:
                presence[key] = request[key]
        state = await self._open(collection, doc_id)
        if request.get("c") is not None and type(presence.get("v")) is int:
            async with state.lock:
                presence = await self._transform_presence(state, presence, ot_type)
                self._remember_presence(ch, presence)
                await state.deliver_presence(presence, exclude_src=self.src)
        else:
            self._remember_presence(ch, presence)
            await self.hub.publish_presence_local(state, presence)
        await self.hub.group_send(
            state.group,
            {
                "type": "ot.presence",
                "origin": self.hub.origin,
                "c": collection,
                "d": doc_id,
                "message": presence,
            },
        )
        return presence

    def _remember_presence(self, ch: str, presence: dict[str, Any]) -> None:
        by_id = self.presences.setdefault(ch, {})
        previous = by_id.get(presence["id"])
        if previous is None or (presence.get("pv") or 0) >= (previous.get("pv") or 0):
            by_id[presence["id"]] = presence

    async def _transform_presence(
        self, state: DocState, presence: dict[str, Any], ot_type: Any
    ) -> dict[str, Any]:
        """Move a presence sent at an older version through the ops since (ShareDB does too)."""
        version = presence["v"]
        if version >= state.v:
            return presence
        value = presence.get("p")
        for op in await state.ops_range(version, state.v):
            if op.kind != "op":
                value = None
            elif value is not None and ot_type is not None:
                try:
                    value = ot_type.transform_presence(
                        value, op.body["op"], op.src == presence["src"]
                    )
                except Exception as exc:
                    raise OTError("ERR_PRESENCE_TRANSFORM_FAILED", str(exc)) from exc
        return {**presence, "p": value, "v": state.v}

    _HANDLERS: dict[str, Callable[[Agent, dict[str, Any]], Awaitable[dict[str, Any] | None]]] = {
        "hs": _hs,
        "pp": _pp,
        "f": _f,
        "s": _s,
        "u": _u,
        "bf": _bf,
        "bs": _bs,
        "bu": _bu,
        "nf": _nf,
        "nt": _nt,
        "op": _op,
        "qf": _q,
        "qs": _q,
        "qu": _qu,
        "p": _p,
        "ps": _ps,
        "pu": _pu,
        "pr": _pr,
    }


@dataclass
class _Submission:
    """One op waiting for the document's next group commit, and what became of it."""

    request: dict[str, Any]
    src: str
    seq: int
    body: dict[str, Any]
    agent: Agent
    future: asyncio.Future[_Submission] | None = None
    op: CommittedOp | None = None
    missed: list[CommittedOp] = field(default_factory=list)
    duplicate_of: int | None = None
    error: OTError | None = None


class _Committer:
    """Group commit for one document.

    Ops that arrive while a commit is in flight are transformed one after the other (each
    against every op committed or batched before it, side 'left', exactly as if committed one
    by one) and stored by the next commit in one statement. One database round trip then
    serves many typists instead of queueing them behind each other.
    """

    def __init__(self, state: DocState) -> None:
        self.state = state
        self.queue: list[_Submission] = []
        self.running = False

    async def submit(self, submission: _Submission) -> _Submission:
        submission.future = asyncio.get_running_loop().create_future()
        self.queue.append(submission)
        if not self.running:
            self.running = True
            asyncio.get_running_loop().create_task(self._run())
        return await submission.future

    async def _run(self) -> None:
        batch: list[_Submission] = []
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
    def _resolve(batch: list[_Submission]) -> None:
        for submission in batch:
            future = submission.future
            if future is None or future.done():
                continue
            if submission.error is not None:
                future.set_exception(submission.error)
            else:
                future.set_result(submission)

    async def _commit_attempt(
        self, batch: list[_Submission], attempt: int
    ) -> tuple[list[CommittedOp], list[CommittedOp]] | None:
        """Optimistically (one round trip) at first; after losing the version to other
        processes, with the document locked, which cannot lose on PostgreSQL."""
        key = self.state.key
        if attempt < OPTIMISTIC_COMMIT_ATTEMPTS:
            return await self._commit(batch, storage.DocumentStore(*key), reread=attempt > 0)
        async with storage.LockedDocument(*key) as locked:
            return await self._commit(batch, locked, reread=True)

    async def _commit(
        self, batch: list[_Submission], store: storage.DocumentStore, *, reread: bool
    ) -> tuple[list[CommittedOp], list[CommittedOp]] | None:
        """Transform and commit the batch; None if another process took the version first.

        Returns the ops to publish: those this process had not received yet (`reread` reads
        them from the database first, and the batch is transformed past them too), then the
        batch's own.
        """
        history = _History(self.state, store)
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
            users.append(submission.agent.user_id)
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
        submission: _Submission,
        history: _History,
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
            body = Agent._transform(body, committed, snapshot.type)
        op = CommittedOp(v=snapshot.v, src=src, seq=seq, body=body)
        after = storage.snapshot_apply(snapshot, op)
        if _text_too_large(after.data):
            raise OTError("ERR_OT_OP_NOT_APPLIED", "The document would exceed 1 MiB")
        submission.op = op
        submission.missed = missed
        return after


class _History:
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
            snapshot = storage.snapshot_apply(snapshot, op)
        return snapshot

    async def ops(self, start: int) -> list[CommittedOp]:
        """Ops [start, end): from the state's cache or the store, then the unseen ones."""
        seen = []
        if start < self.seen_v:
            seen = await self.state.ops_range(start, self.seen_v, fetch=self.store.ops_get)
        return seen + self.unseen[max(0, start - self.seen_v) :]


def _committer(state: DocState) -> _Committer:
    committer = getattr(state, "committer", None)
    if committer is None:
        committer = state.committer = _Committer(state)
    return committer
