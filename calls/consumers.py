"""Call signaling: who is in the call, and offers/answers/candidates carried between two peers.

Media never passes through the server (a browser mesh, see docs/calls.md); this consumer only
relays small JSON frames. Frames:

client → server
  {"type": "join", "media": {"audio", "video", "screen"}, "participant": "<id to resume>"?}
  {"type": "leave"}
  {"type": "offer" | "answer", "to": "<participant>", "sdp": "..."}
  {"type": "candidate", "to": "<participant>", "candidate": {...} | null}
  {"type": "media", "media": {"audio"?, "video"?, "screen"?}}
  {"type": "ping"}
server → client
  {"type": "call-state", "participants": [...]}            on connect, before joining
  {"type": "joined", "you", "resumed", "media", "videoAllowed", "notice", "iceServers",
   "peers": [{"id", "username", "color", "media", "videoAllowed", "reconnecting", "role"}]}
  {"type": "peer-joined", "peer": {..., "role"}, "resumed"}   {"type": "peer-left", "id", "reason"}
  {"type": "peer-media", "id", "media"}                    {"type": "media-state", "media", ...}
  {"type": "offer" | "answer" | "candidate", "from": "<participant>", ...}   (server-stamped)
  {"type": "left"}  {"type": "pong"}  {"type": "error", "message"}
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings

from calls.selectors import (
    call_member_profile,
    call_participant,
    call_participants,
    call_public,
    call_role,
)
from calls.services import (
    CallError,
    call_event_record,
    call_expire_stale,
    call_join,
    call_leave,
    call_mark_gone,
    call_set_media,
    call_touch,
    media_clean,
)
from calls.turn import ice_servers_for
from codepusher.ratelimit import TokenBucket
from sessions_app.close_codes import CLOSE_RECONNECTING
from sessions_app.consumers import ClientError, SessionConsumer
from sessions_app.events import session_event_publish_async, session_event_send_async
from sessions_app.models import MembershipEventKind

logger = logging.getLogger(__name__)

# Close codes after which a participant keeps its place for a while: the connection broke, nobody
# said goodbye, or the client closed with CLOSE_RECONNECTING because its socket looked stalled and
# it is about to come back. A normal close (page closed: 1000/1001) or a refusal leaves at once.
RESUMABLE_CLOSE_CODES = {1006, 1011, 1012, 1013, 1014, CLOSE_RECONNECTING}
MAX_SDP_CHARS = 48 * 1024
MAX_CANDIDATE_CHARS = 2048

_expiry_tasks: set[asyncio.Task] = set()


class CallConsumer(SessionConsumer):
    feature = "call"

    async def connect(self) -> None:
        self.participant_id: str | None = None
        self.bucket = TokenBucket(settings.CALL_RATE_BURST, settings.CALL_RATE_PER_SECOND)
        self.flood_reported = False
        await super().connect()

    async def on_connected(self) -> None:
        participants = await call_participants(session_id=self.session_id)
        public = [call_public(p) for p in participants.values()]
        await self.send_json({"type": "call-state", "participants": public})

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if not self.bucket.take():
            if not self.flood_reported:  # one error per flood, not one per dropped frame
                self.flood_reported = True
                await self.send_json(
                    {"type": "error", "message": "Too many messages: slow down (frames dropped)."}
                )
            return
        if self.bucket.recovered:
            self.flood_reported = False
        await super().receive(text_data=text_data, bytes_data=bytes_data)

    async def disconnect(self, code: int) -> None:
        if getattr(self, "participant_id", None):
            if code in RESUMABLE_CLOSE_CODES:
                if await call_mark_gone(
                    session_id=self.session_id,
                    participant_id=self.participant_id,
                    channel_name=self.channel_name,
                ):
                    _expire_after_grace(self.session_id)
            else:
                await self._leave(reason="left")
        await super().disconnect(code)

    # --- frames ---------------------------------------------------------------------------------

    async def on_message(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        handler = {
            "join": self.on_join,
            "leave": self.on_leave,
            "offer": self.on_signal,
            "answer": self.on_signal,
            "candidate": self.on_signal,
            "media": self.on_media,
            "ping": self.on_ping,
        }.get(kind)
        if handler is None:
            raise ClientError(f"Unknown message type {kind!r}.")
        try:
            await handler(message)
        except CallError as exc:
            raise ClientError(str(exc)) from exc

    async def on_join(self, message: dict[str, Any]) -> None:
        if self.participant_id:
            raise ClientError("You are already in the call.")
        media = media_clean(message.get("media"))
        resume_id = message.get("participant")
        profile = await database_sync_to_async(call_member_profile)(
            session_id=self.session_id, user=self.user
        )
        if profile["closed"]:
            raise ClientError("This session is closed: its call cannot be joined.")
        result = await call_join(
            session_id=self.session_id,
            user_id=self.user.pk,
            profile=profile,
            channel_name=self.channel_name,
            media=media,
            resume_id=resume_id if isinstance(resume_id, str) else None,
        )
        me = result.participant
        self.participant_id = me["id"]
        if not result.resumed:
            await _call_event_record(self.session_id, self.user.pk, MembershipEventKind.CALL_JOINED)
        await self._publish_expired(result.expired)
        await self.send_json(
            {
                "type": "joined",
                "you": me["id"],
                "resumed": result.resumed,
                "media": me["media"],
                "videoAllowed": me["video_slot"],
                "notice": result.notice,
                "iceServers": await database_sync_to_async(ice_servers_for)(self.user.pk),
                "peers": [self._with_role(call_public(p)) for p in result.peers],
            }
        )
        await self._publish(
            {"type": "peer-joined", "peer": call_public(me), "resumed": result.resumed}
        )

    async def on_leave(self, message: dict[str, Any]) -> None:
        if self.participant_id:
            await self._leave(reason="left")
        await self.send_json({"type": "left"})

    async def on_signal(self, message: dict[str, Any]) -> None:
        if not self.participant_id:
            raise ClientError("Join the call before signaling.")
        target = message.get("to")
        if not isinstance(target, str) or target == self.participant_id:
            raise ClientError('"to" must be the id of another participant.')
        event: dict[str, Any] = {"type": message["type"], "from": self.participant_id}
        if message["type"] == "candidate":
            event["candidate"] = _candidate_clean(message.get("candidate"))
        else:
            sdp = message.get("sdp")
            if not isinstance(sdp, str) or not sdp or len(sdp) > MAX_SDP_CHARS:
                raise ClientError(f"sdp must be a non-empty string of at most {MAX_SDP_CHARS}.")
            event["sdp"] = sdp
        peer = await call_participant(session_id=self.session_id, participant_id=target)
        if peer is None:
            raise ClientError(f"{target!r} is not in this session's call.")
        if peer.get("gone_at") is None:  # a reconnecting peer restarts ICE when it is back
            await session_event_send_async(channel_name=peer["channel"], event=event)

    async def on_media(self, message: dict[str, Any]) -> None:
        if not self.participant_id:
            raise ClientError("Join the call first.")
        me, changed = await call_set_media(
            session_id=self.session_id,
            participant_id=self.participant_id,
            media=message.get("media"),
        )
        await self.send_json(
            {"type": "media-state", "media": me["media"], "videoAllowed": me["video_slot"]}
        )
        if changed:
            await self._publish({"type": "peer-media", "id": me["id"], "media": me["media"]})

    async def on_ping(self, message: dict[str, Any]) -> None:
        if self.participant_id:
            await call_touch(
                session_id=self.session_id,
                participant_id=self.participant_id,
                channel_name=self.channel_name,
            )
        await self.send_json({"type": "pong"})

    # --- group events ---------------------------------------------------------------------------

    async def session_event(self, message: dict[str, Any]) -> None:
        """Forward call events, minus the ones about oneself; stamp this pair's role on joins."""
        event = message["event"]
        subject = event.get("peer", {}).get("id") if event["type"] == "peer-joined" else None
        subject = subject or (
            event.get("id") if event["type"] in ("peer-left", "peer-media") else None
        )
        if subject is not None and subject == self.participant_id:
            return
        if event["type"] == "peer-joined" and self.participant_id:
            event = {**event, "peer": self._with_role(event["peer"])}
        await self.send_json(event)

    # --- helpers --------------------------------------------------------------------------------

    def _with_role(self, peer: dict[str, Any]) -> dict[str, Any]:
        return {**peer, "role": call_role(me=self.participant_id, peer=peer["id"])}

    async def _publish(self, event: dict[str, Any]) -> None:
        await session_event_publish_async(session_id=self.session_id, feature="call", event=event)

    async def _publish_expired(self, expired: list[dict[str, Any]]) -> None:
        for participant in expired:
            await _call_event_record(
                self.session_id, participant["user_id"], MembershipEventKind.CALL_LEFT
            )
            await self._publish({"type": "peer-left", "id": participant["id"], "reason": "timeout"})

    async def _leave(self, *, reason: str) -> None:
        participant_id, self.participant_id = self.participant_id, None
        left = await call_leave(
            session_id=self.session_id,
            participant_id=participant_id,
            channel_name=self.channel_name,
        )
        if left is not None:
            await _call_event_record(self.session_id, self.user.pk, MembershipEventKind.CALL_LEFT)
            await self._publish({"type": "peer-left", "id": participant_id, "reason": reason})


def _candidate_clean(candidate: Any) -> dict[str, Any] | None:
    """An RTCIceCandidateInit, or null for end-of-candidates; anything else is refused."""
    if candidate is None:
        return None
    if not isinstance(candidate, dict) or not isinstance(candidate.get("candidate"), str):
        raise ClientError("candidate must be an RTCIceCandidateInit object or null.")
    if len(candidate["candidate"]) > MAX_CANDIDATE_CHARS:
        raise ClientError("candidate too long.")
    mid, index = candidate.get("sdpMid"), candidate.get("sdpMLineIndex")
    if mid is not None and not isinstance(mid, str):
        raise ClientError("sdpMid must be a string or null.")
    if index is not None and (not isinstance(index, int) or isinstance(index, bool) or index < 0):
        raise ClientError("sdpMLineIndex must be a non-negative integer or null.")
    clean = {"candidate": candidate["candidate"], "sdpMid": mid, "sdpMLineIndex": index}
    fragment = candidate.get("usernameFragment")
    if isinstance(fragment, str) and len(fragment) <= 256:
        clean["usernameFragment"] = fragment
    return clean


async def _call_event_record(session_id: str, user_id: int, kind: str) -> None:
    """Who joined and left the call, for the session's replay (never fatal to signaling)."""
    try:
        await database_sync_to_async(call_event_record)(
            session_id=session_id, user_id=user_id, kind=kind
        )
    except Exception:  # noqa: BLE001 - e.g. the session was deleted meanwhile
        logger.exception("recording %s of user %s in %s failed", kind, user_id, session_id)


def _expire_after_grace(session_id: str) -> None:
    """Once the reconnect grace is over, drop places nobody came back for and tell the peers."""

    async def run() -> None:
        await asyncio.sleep(settings.CALL_RECONNECT_GRACE_SECONDS + 0.5)
        for participant in await call_expire_stale(session_id=session_id):
            await _call_event_record(
                session_id, participant["user_id"], MembershipEventKind.CALL_LEFT
            )
            await session_event_publish_async(
                session_id=session_id,
                feature="call",
                event={"type": "peer-left", "id": participant["id"], "reason": "timeout"},
            )

    task = asyncio.get_running_loop().create_task(run())
    _expiry_tasks.add(task)
    task.add_done_callback(_expiry_tasks.discard)
