"""`/ws/ot/`: the collaborative editor's WebSocket, speaking the ShareDB protocol.

The consumer is glue: it authenticates the Django session, answers "may this user see this
document?" for the protocol agent, and moves text frames in and out. Everything else lives in
`protocol.py` (messages), `hub.py` (fan-out), `committer.py` and `storage.py` (the database).
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from sessions_app.close_codes import CLOSE_NOT_ALLOWED, CLOSE_UNAUTHENTICATED
from sessions_app.ot.protocol import Agent
from sessions_app.ot.types import CODE_COLLECTION
from sessions_app.selectors import session_user_is_member

# Membership answers are reused this long, so a removed member loses access within seconds.
PERMISSION_CACHE_SECONDS = 10.0


def document_session_id(collection: str, doc_id: str) -> str | None:
    """The session a document belongs to, or None if no user may open it."""
    return doc_id if collection == CODE_COLLECTION else None


class OTConsumer(AsyncWebsocketConsumer):
    """One ShareDB connection; refuses anonymous users and, per document, non-members."""

    agent: Agent | None = None
    # No channel-layer channel per connection: the process-wide hub holds one subscription
    # per open document and hands ops to the connections itself.
    channel_layer_alias = "__ot_no_channel_layer__"

    async def connect(self) -> None:
        user = self.scope.get("user")
        await self.accept()
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self._permissions: dict[str, tuple[bool, float]] = {}
        self.agent = Agent(
            send=self._send_message,
            authorize=self._authorize,
            user_key=str(user.pk),
            user_id=user.pk,
            secret=settings.SECRET_KEY,
        )
        self._recheck = asyncio.get_running_loop().create_task(self._recheck_permissions())

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Dispatch without Channels' per-message `aclose_old_connections` thread hop.

        This consumer touches the database only through `database_sync_to_async`, which
        closes stale connections around each call already.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def disconnect(self, code: int) -> None:
        if self.agent is not None:
            self._recheck.cancel()
            await self.agent.close()

    async def _recheck_permissions(self) -> None:
        """Close the socket once the user may no longer see a document it has open.

        Requests are checked as they come; this covers ops pushed to a subscriber whose
        membership ended meanwhile.
        """
        assert self.agent is not None
        while True:
            await asyncio.sleep(PERMISSION_CACHE_SECONDS)
            for collection, doc_id in list(self.agent.opened):
                if not await self._authorize(collection, doc_id):
                    await self.agent.close()
                    await self.close(code=CLOSE_NOT_ALLOWED)
                    return

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.agent is None:
            return
        if text_data is None:
            await self.agent.send(
                {
                    "error": {
                        "code": "ERR_MESSAGE_BADLY_FORMED",
                        "message": "Binary frames are not supported",
                    }
                }
            )
            return
        await self.agent.handle_text(text_data)

    async def _send_message(self, message: dict[str, Any] | str) -> None:
        if not isinstance(message, str):
            message = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
        await self.send(text_data=message)

    async def _authorize(self, collection: str, doc_id: str) -> bool:
        session_id = document_session_id(collection, doc_id)
        if session_id is None:
            return False
        cached = self._permissions.get(session_id)
        now = time.monotonic()
        if cached is not None and now - cached[1] < PERMISSION_CACHE_SECONDS:
            return cached[0]
        allowed = await database_sync_to_async(session_user_is_member)(
            session_id=session_id, user=self.scope["user"]
        )
        self._permissions[session_id] = (allowed, now)
        return allowed
