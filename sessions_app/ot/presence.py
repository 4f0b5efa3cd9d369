"""Presence on `/ws/ot/`: carets and selections relayed between a document's connections.

The server stays a relay: it checks, transforms a presence sent at an older version through
the ops since (as ShareDB does) and forwards it; nothing is stored. It writes the member's
real name and colour (`u`, `c`) into every caret it relays, so nobody can wear another's
name. What a connection keeps is what it must withdraw when it leaves, at most
`max_presence_ids` presences per channel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sessions_app.ot.types import TYPES, DocumentAccess, OTError
from sessions_app.ot.wire import bad, is_name, is_version, presence_channel_doc

if TYPE_CHECKING:
    from sessions_app.ot.hub import DocState, Hub
    from sessions_app.ot.limits import OTLimits


class PresenceMixin:
    """The presence half of the protocol agent (`Agent` supplies the connection)."""

    hub: Hub
    src: str
    limits: OTLimits
    presence_channels: dict[str, tuple[str, str]]
    presences: dict[str, dict[str, dict[str, Any]]]

    if TYPE_CHECKING:

        async def send(self, message: dict[str, Any] | str) -> None: ...

        async def _require(self, collection: Any, doc_id: Any, *, code: str) -> DocumentAccess: ...

        async def _open(self, collection: str, doc_id: str) -> DocState: ...

    async def deliver_presence(self, message: dict[str, Any]) -> None:
        """Presence from another connection, or its request (`r`) for ours."""
        if message.get("src") == self.src:
            return
        if message.get("r"):
            await self.send({"a": "pr", "ch": message["ch"]})
        else:
            await self.send(message)

    async def presence_subscribe(self, request: dict[str, Any]) -> dict[str, Any]:
        ch = request.get("ch")
        collection, doc_id = presence_channel_doc(ch)
        await self._require(collection, doc_id, code="ERR_SNAPSHOT_READS_REJECTED")
        state = await self._open(collection, doc_id)
        self.presence_channels[ch] = (collection, doc_id)
        state.presence_subscribers.add(self)
        await self.send({"ch": ch, "seq": request.get("seq"), "a": "ps"})
        await self.hub.publish_presence(state, {"ch": ch, "r": True, "src": self.src})
        return None

    async def presence_unsubscribe(self, request: dict[str, Any]) -> dict[str, Any]:
        ch = request.get("ch")
        if not is_name(ch):
            raise bad("Invalid presence channel")
        if ch in self.presence_channels:
            await self._withdraw_presence(ch)
        return {"ch": ch, "seq": request.get("seq"), "a": "pu"}

    async def _withdraw_presence(self, ch: str) -> None:
        """Leave a channel: every presence we sent there is broadcast as gone (`p: null`)."""
        key = self.presence_channels.pop(ch, None) or presence_channel_doc(ch)
        state = self.hub.docs.get(key)
        if state is None:
            return
        state.presence_subscribers.discard(self)
        for presence in self.presences.pop(ch, {}).values():
            if presence.get("p") is not None:
                await self.hub.publish_presence(state, {**presence, "p": None, "seq": None})

    async def presence_request(self, request: dict[str, Any]) -> dict[str, Any]:
        ch = request.get("ch")
        collection, doc_id = presence_channel_doc(ch)
        await self._require(collection, doc_id, code="ERR_SNAPSHOT_READS_REJECTED")
        state = await self._open(collection, doc_id)
        await self.hub.publish_presence(state, {"ch": ch, "r": True, "src": self.src})
        return {"a": "pr"}

    async def presence_submit(self, request: dict[str, Any]) -> dict[str, Any]:
        ch = request.get("ch")
        collection, doc_id = presence_channel_doc(ch)
        if request.get("c") is not None and (request.get("c"), request.get("d")) != (
            collection,
            doc_id,
        ):
            raise bad("Presence channel does not match the document")
        if not is_name(request.get("id")):
            raise bad("Invalid presence ID")
        if not is_version(request.get("pv")):
            raise bad("Invalid presence version")
        access = await self._require(collection, doc_id, code="ERR_OP_SUBMIT_REJECTED")
        known = self.presences.get(ch, {})
        if request["id"] not in known and len(known) >= self.limits.max_presence_ids:
            raise bad(f"Too many presences on one connection (at most {len(known)})")
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
        if isinstance(presence.get("p"), dict) and access.name:
            # Who the caret belongs to is the server's word, never the client's.
            presence["p"] = {**presence["p"], "u": access.name, "c": access.color}
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
