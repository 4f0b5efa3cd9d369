"""Checks on what a client sends, before any of it reaches a document.

Everything here is pure: a request is validated or turned into an `OTError` with ShareDB's
code, so the agent replies with the request echoed and the connection stays up. The limits
bound what one frame can make the server hold or store.
"""

from __future__ import annotations

from typing import Any

from sessions_app.ot.types import TYPES, OTError, Snapshot

PROTOCOL_MAJOR = 1
PROTOCOL_MINOR = 2
# The client insists on ShareDB's default type in the handshake, even if no doc uses json0.
JSON0_URI = "http://sharejs.org/types/JSONv0"

# Limits on untrusted input.
MAX_MESSAGE_BYTES = 256 * 1024  # one WebSocket frame
MAX_DOCUMENT_BYTES = 1024 * 1024  # a document's text, UTF-8 encoded
MAX_BULK_IDS = 100  # ids in one bf/bs/bu
MAX_NAME_LENGTH = 100  # collection, doc id, presence channel/id (the model's column width)
MAX_SEQ = 2**53 - 1


def is_version(value: Any) -> bool:
    return value is None or (type(value) is int and value >= 0)


def is_name(value: Any) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_NAME_LENGTH
        and value not in ("__proto__", "constructor", "prototype")
    )


def bad(message: str) -> OTError:
    return OTError("ERR_MESSAGE_BADLY_FORMED", message)


def text_byte_length_over(text: str, limit: int) -> bool:
    """True if `text` encodes to more than `limit` UTF-8 bytes (encoding only when it may)."""
    if len(text) * 4 <= limit:
        return False
    return len(text) > limit or len(text.encode("utf-8", "replace")) > limit


def text_too_large(data: Any) -> bool:
    return isinstance(data, str) and text_byte_length_over(data, MAX_DOCUMENT_BYTES)


def has_lone_surrogate(message: Any) -> bool:
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


def scrub(message: Any) -> Any:
    """A copy with lone surrogates replaced, so an echoed bad request can be encoded."""
    if isinstance(message, str):
        return message.encode("utf-8", "replace").decode("utf-8")
    if isinstance(message, dict):
        return {scrub(k): scrub(v) for k, v in message.items()}
    if isinstance(message, list):
        return [scrub(v) for v in message]
    return message


def request_check(request: dict[str, Any]) -> None:
    """The fields every action shares: names, version and seq, when present."""
    for key in ("c", "ch"):
        if key in request and request[key] is not None and not is_name(request[key]):
            raise bad("Invalid collection" if key == "c" else "Invalid presence channel")
    if "d" in request and request["d"] is not None and not is_name(request["d"]):
        raise bad("Invalid id")
    if "v" in request and not is_version(request["v"]):
        raise bad("Invalid version")
    seq = request.get("seq")
    if seq is not None and (type(seq) is not int or not 0 <= seq <= MAX_SEQ):
        raise bad("Invalid seq")


def bulk_ids(request: dict[str, Any]) -> list[str] | dict[str, int | None]:
    """The ids of a bf/bs/bu: a list, or a map of id to the version the client has."""
    if not is_name(request.get("c")):
        raise bad("Invalid collection")
    bulk = request.get("b")
    if isinstance(bulk, list):
        if not all(is_name(i) for i in bulk):
            raise bad("Invalid id")
    elif isinstance(bulk, dict):
        if not all(is_name(i) for i in bulk):
            raise bad("Invalid id")
        if not all(is_version(v) for v in bulk.values()):
            raise bad("Invalid version")
    else:
        raise bad("Invalid bulk subscribe data")
    if len(bulk) > MAX_BULK_IDS:
        raise bad("Too many ids in one bulk request")
    return bulk


def op_body(request: dict[str, Any]) -> dict[str, Any]:
    """The body of a submitted op: exactly one of {op}, {create} (type known, data valid), {del}."""
    present = [key for key in ("op", "create", "del") if key in request]
    if len(present) != 1:
        raise bad("Invalid op message")
    key = present[0]
    if key == "del":
        if request["del"] is not True:
            raise bad("del value must be true")
        return {"del": True}
    if key == "create":
        create = request["create"]
        if not isinstance(create, dict):
            raise bad("create must be an object")
        ot_type = TYPES.get(create.get("type"))
        if ot_type is None:
            raise OTError("ERR_DOC_TYPE_NOT_RECOGNIZED", "Unknown type")
        try:
            data = ot_type.create(create.get("data"))
        except Exception as exc:
            raise OTError("ERR_OT_OP_BADLY_FORMED", str(exc)) from exc
        if text_too_large(data):
            raise OTError("ERR_OT_OP_NOT_APPLIED", "The document would exceed 1 MiB")
        return {"create": {"type": ot_type.uri, "data": data}}
    return {"op": request["op"]}


def presence_channel_doc(ch: Any) -> tuple[str, str]:
    """Presence channels are `<collection>.<doc id>` (DocPresence): the doc's permission."""
    if not is_name(ch) or "." not in ch:
        raise bad("Invalid presence channel")
    collection, doc_id = ch.split(".", 1)
    return collection, doc_id


def ack(collection: str, doc_id: str, src: str, seq: int, v: int) -> dict[str, Any]:
    """The reply to a committed op: the submitter learns its version."""
    return {"a": "op", "c": collection, "d": doc_id, "src": src, "seq": seq, "v": v}


def snapshot_reply(request: dict[str, Any], snapshot: Snapshot) -> dict[str, Any]:
    """The reply to `nf`/`nt`: the snapshot, addressed by request id or by document."""
    reply: dict[str, Any] = {"a": request["a"], **snapshot.wire(), "m": None}
    if request.get("id"):
        reply["id"] = request["id"]
    else:
        reply.update(c=request["c"], d=request["d"])
    return reply
