"""The values every OT layer shares: errors, snapshots, committed ops and the OT types.

Nothing here touches the database or the network, so the wire layer, the committer, the hub
and the storage can all build on it without importing one another.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sessions_app.ot import text_unicode

# The only collection clients may touch: `code/<session_id>` is a session's code.
CODE_COLLECTION = "code"

# Types the server can apply, by name and by URI. json0 is deliberately absent: no document
# uses it, and the client only names it in the handshake (see docs/ot.md).
TYPES: dict[str, Any] = {text_unicode.name: text_unicode, text_unicode.uri: text_unicode}


class OTError(Exception):
    """A ShareDB error: `code` is one of ShareDB's ERR_* codes and goes on the wire."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def wire(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass
class Snapshot:
    """A document at one version; `type` is the type URI, None when not created or deleted."""

    v: int
    type: str | None = None
    data: Any = None

    def wire(self) -> dict[str, Any]:
        """The snapshot as ShareDB sends it: `type` always present (null when missing)."""
        out: dict[str, Any] = {"v": self.v, "type": self.type}
        if self.type is not None:
            out["data"] = self.data
        return out


@dataclass
class CommittedOp:
    """One entry of the op log; `body` is exactly one of {op}, {create}, {del: True}."""

    v: int
    src: str
    seq: int | None
    body: dict[str, Any]
    ts: float = field(default=0.0)
    _text: str | None = field(default=None, repr=False, compare=False)
    _nbytes: int | None = field(default=None, repr=False, compare=False)

    @property
    def nbytes(self) -> int:
        """What the op costs the op log: its body as compact UTF-8 JSON."""
        if self._nbytes is None:
            self._nbytes = body_bytes(self.body)
        return self._nbytes

    @property
    def kind(self) -> str:
        if "create" in self.body:
            return "create"
        if self.body.get("del"):
            return "del"
        return "op"

    def wire_text(self, collection: str, doc_id: str) -> str:
        """`wire()` as JSON, encoded once however many subscribers receive it."""
        if self._text is None:
            self._text = json.dumps(
                self.wire(collection, doc_id), ensure_ascii=False, separators=(",", ":")
            )
        return self._text

    def wire(self, collection: str, doc_id: str) -> dict[str, Any]:
        """The op as broadcast to subscribers (`a: "op"` with src, seq and the body)."""
        return {
            "a": "op",
            "c": collection,
            "d": doc_id,
            "v": self.v,
            "src": self.src,
            "seq": self.seq,
            **self.body,
        }


def body_bytes(body: dict[str, Any]) -> int:
    """The size of an op body as stored: compact JSON, UTF-8 encoded."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return len(text.encode("utf-8", "replace"))


@dataclass(frozen=True)
class DocumentAccess:
    """What one user may do with one document; `authorize` answers None for "nothing".

    `name` and `color` are what the server writes into the user's presence (clients cannot
    choose them); `edit_refusal` says why ops are refused now (None: the user may edit).
    """

    name: str = ""
    color: str = ""
    edit_refusal: str | None = None


def snapshot_apply(snapshot: Snapshot, op: CommittedOp) -> Snapshot:
    """The snapshot after one committed (already validated) op; ShareDB's `ot.apply`."""
    kind = op.kind
    if kind == "create":
        create = op.body["create"]
        if snapshot.type is not None:
            raise OTError("ERR_DOC_ALREADY_CREATED", "Document already exists")
        ot_type = TYPES.get(create.get("type"))
        if ot_type is None:
            raise OTError("ERR_DOC_TYPE_NOT_RECOGNIZED", "Unknown type")
        try:
            data = ot_type.create(create.get("data"))
        except Exception as exc:  # the type's own validation of the initial data
            raise OTError("ERR_OT_OP_BADLY_FORMED", str(exc)) from exc
        return Snapshot(v=snapshot.v + 1, type=ot_type.uri, data=data)
    if kind == "del":
        return Snapshot(v=snapshot.v + 1, type=None, data=None)
    if snapshot.type is None:
        raise OTError("ERR_DOC_DOES_NOT_EXIST", "Document does not exist")
    ot_type = TYPES[snapshot.type]
    try:
        data = ot_type.apply(snapshot.data, op.body["op"])
    except Exception as exc:
        raise OTError("ERR_OT_OP_NOT_APPLIED", str(exc)) from exc
    return Snapshot(v=snapshot.v + 1, type=snapshot.type, data=data)


def op_transform(
    body: dict[str, Any], committed: CommittedOp, type_uri: str | None
) -> dict[str, Any]:
    """ShareDB's `ot.transform`: an incoming op body against one committed op, side 'left'."""
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
