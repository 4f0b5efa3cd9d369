"""The chat of a session room at /ws/sessions/<session_id>/chat/.

Client → server frames:
  {"type": "message", "body": "...", "to": "<username>"?}   send (to one member if "to")
  {"type": "typing", "to": "<username>"?}                     "I am typing" (repeat while typing)
  {"type": "history", "before": <message id>}                older messages

Server → client frames:
  {"type": "history", "messages": [...], "has_more": bool, "before": id | null}
      on connect (before = null: the newest page) and in answer to a history request
  {"type": "message", "id", "author", "color", "body", "html", "to", "created_at", "mentions"}
  {"type": "typing", "user": "<username>", "direct"?: true}   receivers expire it themselves
  {"type": "error", "message": "..."}                         the socket stays open
"""

from __future__ import annotations

import time
from typing import Any

from channels.db import database_sync_to_async

from chat.selectors import HISTORY_PAGE_SIZE, message_history_page, session_member_by_username
from chat.serializers import MessageSerializer
from chat.services import FEATURE, MessageError, message_send, typing_announce
from sessions_app.consumers import ClientError, SessionConsumer
from sessions_app.events import session_user_group
from sessions_app.selectors import session_get

TYPING_MIN_INTERVAL_SECONDS = 1.0


class ChatConsumer(SessionConsumer):
    feature = FEATURE

    async def on_connected(self) -> None:
        # The member's own group carries direct messages; joined before history is read so
        # nothing falls between the two (the client drops duplicates by id).
        self.user_group = session_user_group(self.session_id, self.feature, self.user.pk)
        await self.channel_layer.group_add(self.user_group, self.channel_name)
        self.last_typing = 0.0
        self.session = await database_sync_to_async(session_get)(session_id=self.session_id)
        await self.send_history(before=None)

    async def disconnect(self, code: int) -> None:
        await super().disconnect(code)
        if hasattr(self, "user_group"):
            await self.channel_layer.group_discard(self.user_group, self.channel_name)

    async def on_message(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "message":
            await database_sync_to_async(self._send_message)(message.get("body"), message.get("to"))
        elif kind == "typing":
            await self.typing(message.get("to"))
        elif kind == "history":
            before = message.get("before")
            if not isinstance(before, int) or isinstance(before, bool) or before < 1:
                raise ClientError('"before" must be a message id (a positive integer).')
            await self.send_history(before=before)
        else:
            raise ClientError(f"Unknown frame type {kind!r}: use message, typing or history.")

    async def session_event(self, message: dict[str, Any]) -> None:
        event = message["event"]
        if event.get("type") == "typing" and event.get("user") == self.user.get_username():
            return  # one's own typing is news to nobody, not even one's other tabs
        await self.send_json(event)

    async def send_history(self, *, before: int | None) -> None:
        await self.send_json(await database_sync_to_async(self._history)(before))

    def _history(self, before: int | None) -> dict[str, Any]:
        page = message_history_page(
            session_id=self.session_id, user=self.user, before=before, limit=HISTORY_PAGE_SIZE
        )
        messages = MessageSerializer(page.messages, many=True).data
        return {
            "type": "history",
            "messages": messages,
            "has_more": page.has_more,
            "before": before,
        }

    async def typing(self, to: Any) -> None:
        now = time.monotonic()
        if now - self.last_typing < TYPING_MIN_INTERVAL_SECONDS:
            return  # clients repeat "typing" every few seconds; more often adds nothing
        self.last_typing = now
        recipient_id = None
        if to:
            recipient = await database_sync_to_async(self._recipient)(to)
            recipient_id = recipient.pk
        await typing_announce(session_id=self.session_id, user=self.user, recipient_id=recipient_id)

    def _recipient(self, to: Any):
        if not isinstance(to, str):
            raise ClientError('"to" must be the username of a member.')
        recipient = session_member_by_username(session_id=self.session_id, username=to)
        if recipient is None:
            raise ClientError(f"{to} is not a member of this session.")
        return recipient

    def _send_message(self, body: Any, to: Any) -> None:
        recipient = self._recipient(to) if to is not None and to != "" else None
        try:
            message_send(session=self.session, author=self.user, body=body, recipient=recipient)
        except MessageError as exc:
            raise ClientError(str(exc)) from exc
