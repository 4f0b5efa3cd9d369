"""`/ws/ot/`: the collaborative editor's WebSocket, speaking the ShareDB protocol.

The consumer is glue: it authenticates the Django session, answers "what may this user do
with this document?" for the protocol agent (`document_access`: one rule, the session's
`session_code_access`), and moves text frames in and out. Everything else lives in
`protocol.py` (messages), `hub.py` (fan-out), `committer.py` and `storage.py` (the database).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from sessions_app.close_codes import CLOSE_NOT_ALLOWED, CLOSE_UNAUTHENTICATED
from sessions_app.ot.limits import OTLimits
from sessions_app.ot.protocol import Agent
from sessions_app.ot.types import CODE_COLLECTION, DocumentAccess
from sessions_app.roles import session_code_access

# Access answers are reused this long unless the hub announces a change (roles, membership);
# a change made without an announcement still reaches every connection within this time.
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
        self.agent = Agent(
            send=self._send_message,
            authorize=self.document_access,
            user_key=str(user.pk),
            user_id=user.pk,
            secret=settings.SECRET_KEY,
            limits=OTLimits.from_settings(),
            access_ttl=PERMISSION_CACHE_SECONDS,
            on_access_changed=self._close_if_revoked,
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

        Requests are checked as they come, and announced changes at once (`_close_if_revoked`);
        this covers ops pushed to a subscriber whose membership ended unannounced.
        """
        while True:
            await asyncio.sleep(PERMISSION_CACHE_SECONDS)
            if await self._close_if_revoked():
                return

    async def _close_if_revoked(self) -> bool:
        """Re-ask access for every open document; close the socket if one is gone."""
        agent = self.agent
        if agent is None or agent.closed:
            return True
        for collection, doc_id in list(agent.opened):
            if await agent.access(collection, doc_id, fresh=True) is None:
                await agent.close()
                await self.close(code=CLOSE_NOT_ALLOWED)
                return True
        return False

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

    async def document_access(self, collection: str, doc_id: str) -> DocumentAccess | None:
        """The OT permission rule: the session's own answer for its code document."""
        session_id = document_session_id(collection, doc_id)
        if session_id is None:
            return None
        return await database_sync_to_async(session_code_access)(
            session_id=session_id, user=self.scope["user"]
        )
