"""Who is in the room right now: the members panel's live data, on /ws/sessions/<id>/presence/.

Each open presence socket is an entry in a Redis sorted set per session, scored by when it last
spoke; a socket says what its member is doing (`activity`) when that changes and at least every
`HEARTBEAT_SECONDS`. A member is online while one of their entries is fresher than `STALE_SECONDS`,
so a server that dies without closing its sockets leaves no one online for long; clients apply the
same rule to the heartbeats they receive.

Frames, server → client: `presence` (snapshot on connect: `members` [{user, color, owner}],
`online` [user], `activity` {user: {editing, running, call}}), `member.joined` (user, color; published by `session_join`),
`member.online`, `member.offline` (user), `member.activity` (user, activity).
`language.changed` (language, label, by, starter; published by `session_language_set`).
Client → server: `{"type": "activity", "editing": bool, "running": bool, "call": bool}`,
`{"type": "language", "language": key}` (switch the session's language),
`{"type": "follow.me"}` (the owner asks everyone to follow them: `follow.request` with `user`).
"""

from __future__ import annotations

import json
import time
from typing import Any

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async

from codepusher.ratelimit import TokenBucket
from codepusher.redis import redis_client
from sessions_app.consumers import ClientError, SessionConsumer
from sessions_app.events import session_event_publish_async
from sessions_app.selectors import session_get, session_members
from sessions_app.services import SessionError, session_language_set

HEARTBEAT_SECONDS = 25
STALE_SECONDS = 70
ACTIVITY_KEYS = ("editing", "running", "call")


def presence_key(session_id: str) -> str:
    return f"codepusher:presence:{session_id}"


def presence_activity_key(session_id: str) -> str:
    return f"codepusher:presence:{session_id}:activity"


def presence_touch(*, session_id: str, user: str, channel: str) -> bool:
    """Mark the socket alive; True when it made its member online (no other fresh entry)."""
    client = redis_client()
    key = presence_key(session_id)
    now = time.time()
    was_online = user in presence_online(session_id=session_id)
    pipe = client.pipeline()
    pipe.zadd(key, {f"{user}\n{channel}": now})
    pipe.zremrangebyscore(key, 0, now - STALE_SECONDS)
    pipe.expire(key, STALE_SECONDS * 2)
    pipe.execute()
    return not was_online


def presence_leave(*, session_id: str, user: str, channel: str) -> bool:
    """Drop the socket's entry; True when its member has no other fresh socket left."""
    redis_client().zrem(presence_key(session_id), f"{user}\n{channel}")
    if user in presence_online(session_id=session_id):
        return False
    redis_client().hdel(presence_activity_key(session_id), user)
    return True


def presence_online(*, session_id: str) -> set[str]:
    entries = redis_client().zrangebyscore(
        presence_key(session_id), time.time() - STALE_SECONDS, "+inf"
    )
    return {entry.decode().split("\n", 1)[0] for entry in entries}


def presence_activity_set(*, session_id: str, user: str, activity: dict[str, bool]) -> None:
    client = redis_client()
    client.hset(presence_activity_key(session_id), user, json.dumps(activity))
    client.expire(presence_activity_key(session_id), STALE_SECONDS * 2)


def presence_snapshot(*, session_id: str) -> dict[str, Any]:
    """Everything the members panel shows, for a socket that just connected."""
    session = session_get(session_id=session_id)
    owner_id = session.owner_id if session else None
    online = presence_online(session_id=session_id)
    raw = redis_client().hgetall(presence_activity_key(session_id))
    activity = {k.decode(): json.loads(v) for k, v in raw.items() if k.decode() in online}
    members = [
        {"user": m.user.get_username(), "color": m.color, "owner": m.user_id == owner_id}
        for m in session_members(session_id=session_id)
    ]
    return {"type": "presence", "members": members, "online": sorted(online), "activity": activity}


def _activity_from(message: dict[str, Any]) -> dict[str, bool]:
    activity = {}
    for key in ACTIVITY_KEYS:
        value = message.get(key, False)
        if not isinstance(value, bool):
            raise ClientError(f'"{key}" must be true or false.')
        activity[key] = value
    return activity


class PresenceConsumer(SessionConsumer):
    feature = "presence"

    async def on_connected(self) -> None:
        self.username = self.user.get_username()
        self.flood = TokenBucket(burst=10, rate=1.0)
        came_online = await sync_to_async(presence_touch, thread_sensitive=False)(
            session_id=self.session_id, user=self.username, channel=self.channel_name
        )
        snapshot = await database_sync_to_async(presence_snapshot)(session_id=self.session_id)
        await self.send_json(snapshot)
        if came_online:
            await self._publish({"type": "member.online", "user": self.username})

    async def disconnect(self, code: int) -> None:
        await super().disconnect(code)
        if not hasattr(self, "username"):
            return
        went_offline = await sync_to_async(presence_leave, thread_sensitive=False)(
            session_id=self.session_id, user=self.username, channel=self.channel_name
        )
        if went_offline:
            await self._publish({"type": "member.offline", "user": self.username})

    async def on_message(self, message: dict[str, Any]) -> None:
        if message["type"] not in ("activity", "language", "follow.me"):
            raise ClientError(f"Unknown message type {message['type']!r}.")
        if not self.flood.take():
            raise ClientError("Too many frames; slow down.")
        if message["type"] == "language":
            await database_sync_to_async(self._language_set)(message.get("language"))
            return
        if message["type"] == "follow.me":
            session = await database_sync_to_async(session_get)(session_id=self.session_id)
            if session is None or session.owner_id != self.user.pk:
                raise ClientError("Only the session's owner can ask everyone to follow them.")
            await self._publish({"type": "follow.request", "user": self.username})
            return
        activity = _activity_from(message)
        await sync_to_async(presence_touch, thread_sensitive=False)(
            session_id=self.session_id, user=self.username, channel=self.channel_name
        )
        await sync_to_async(presence_activity_set, thread_sensitive=False)(
            session_id=self.session_id, user=self.username, activity=activity
        )
        await self._publish(
            {"type": "member.activity", "user": self.username, "activity": activity}
        )

    def _language_set(self, language: Any) -> None:
        if not isinstance(language, str):
            raise ClientError('"language" must be a language key, e.g. "python".')
        session = session_get(session_id=self.session_id)
        try:
            session_language_set(session=session, by=self.user, language=language)
        except SessionError as exc:
            raise ClientError(str(exc)) from exc

    async def _publish(self, event: dict[str, Any]) -> None:
        await session_event_publish_async(
            session_id=self.session_id, feature="presence", event=event
        )
