"""The base of every session WebSocket: members only, JSON frames, errors that keep the socket."""

from __future__ import annotations

import json
import logging
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from sessions_app.close_codes import CLOSE_NOT_ALLOWED
from sessions_app.events import session_group
from sessions_app.selectors import session_user_is_member

logger = logging.getLogger(__name__)

MAX_FRAME_BYTES = 64 * 1024


class ClientError(Exception):
    """Bad input from the client; answered with an error frame, the socket stays open."""


class SessionConsumer(AsyncWebsocketConsumer):
    """Subclasses set `feature` and implement `on_message(message)`.

    Membership is checked when connecting and again before every message is acted on, so a member
    removed from a session loses access at once.
    """

    feature = ""
    max_frame_bytes = MAX_FRAME_BYTES

    async def connect(self) -> None:
        self.session_id: str = self.scope["url_route"]["kwargs"]["session_id"]
        self.user = self.scope.get("user")
        self.group = session_group(self.session_id, self.feature)
        if not await self.is_member():
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.on_connected()

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def is_member(self) -> bool:
        if self.user is None or not self.user.is_authenticated:
            return False
        return await database_sync_to_async(session_user_is_member)(
            session_id=self.session_id, user=self.user
        )

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            if text_data is None:
                raise ClientError("Frames must be JSON text.")
            if len(text_data.encode("utf-8", errors="surrogatepass")) > self.max_frame_bytes:
                raise ClientError(f"Frame too large (limit {self.max_frame_bytes} bytes).")
            try:
                message = json.loads(text_data)
            except ValueError:
                raise ClientError("Malformed JSON.") from None
            if not isinstance(message, dict) or not isinstance(message.get("type"), str):
                raise ClientError('Each frame must be a JSON object with a "type".')
            if not await self.is_member():
                await self.send_json({"type": "error", "message": "You are no longer a member."})
                await self.close(code=CLOSE_NOT_ALLOWED)
                return
            await self.on_message(message)
        except ClientError as exc:
            await self.send_json({"type": "error", "message": str(exc)})

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Forward group events without Channels' per-event `close_old_connections`.

        `AsyncConsumer.dispatch` runs that on the one thread-sensitive sync thread before every
        handler; for an event fanned out to 50 members that is 50 hops through the thread the
        sender's database work also needs, which dominated fan-out latency. Forwarding an event
        touches no database, so it skips the hop; frames from the client still take it.
        """
        if message["type"] == "session.event":
            await self.session_event(message)
        else:
            await super().dispatch(message)

    async def session_event(self, message: dict[str, Any]) -> None:
        await self.send_json(message["event"])

    async def session_revoke(self, message: dict[str, Any]) -> None:
        """The member was removed (or left): this socket closes now, not at its next frame."""
        if self.user is not None and self.user.pk == message["user_id"]:
            await self.send_json(
                {"type": "error", "message": "You are no longer a member of this session."}
            )
            await self.close(code=CLOSE_NOT_ALLOWED)

    async def send_json(self, data: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(data))

    async def on_connected(self) -> None:
        """Hook: send the newcomer what it needs to catch up."""

    async def on_message(self, message: dict[str, Any]) -> None:
        raise NotImplementedError
