"""The shared terminal of a session: run requests in, every member's run events out."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from execution.interactive import InteractiveError, interactive_input_send
from execution.selectors import run_recent_list, terminal_backlog
from execution.services import RunError, run_create
from sessions_app.consumers import ClientError, SessionConsumer
from sessions_app.selectors import session_get


class TerminalConsumer(SessionConsumer):
    feature = "terminal"

    async def on_connected(self) -> None:
        runs = await database_sync_to_async(run_recent_list)(session_id=self.session_id)
        events = await database_sync_to_async(terminal_backlog)(session_id=self.session_id)
        await self.send_json({"type": "backlog", "runs": runs, "output": ""})
        for event in events:
            await self.send_json(event)

    async def on_message(self, message: dict[str, Any]) -> None:
        if message["type"] in ("stdin", "kill"):
            await database_sync_to_async(self._relay_input)(message)
            return
        if message["type"] != "run":
            raise ClientError(f"Unknown message type {message['type']!r}.")
        stdin = message.get("stdin", "")
        if not isinstance(stdin, str):
            raise ClientError("stdin must be text.")
        await database_sync_to_async(self._create_run)(message.get("mode"), stdin)

    def _relay_input(self, message: dict[str, Any]) -> None:
        """A typed line, end of input or a kill for the session's interactive run."""
        try:
            interactive_input_send(session_id=self.session_id, user=self.user, message=message)
        except InteractiveError as exc:
            raise ClientError(str(exc)) from exc

    def _create_run(self, mode: Any, stdin: str) -> None:
        session = session_get(session_id=self.session_id)
        try:
            run_create(session=session, user=self.user, mode=mode, stdin=stdin)
        except RunError as exc:
            raise ClientError(str(exc)) from exc
