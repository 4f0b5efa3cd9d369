"""Writes of the call state: join, resume, leave, media changes and the expiry of stale places.

Every change is a Redis WATCH/MULTI transaction on the session's hash, so two daphne processes
joining people at once still count video places right. The consumer publishes the events.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from redis.exceptions import WatchError

from calls.selectors import Participant
from calls.store import KEY_TTL_SECONDS, call_key, redis_client
from sessions_app.models import MembershipEvent

MEDIA_KINDS = ("audio", "video", "screen")
VIDEO_KINDS = ("video", "screen")
# A participant whose socket is alive pings at least this often; older ones are presumed dead
# (a crashed server process never runs its disconnect handler).
STALE_AFTER_SECONDS = 90


class CallError(Exception):
    """A request the call cannot honour; the message is shown to the user."""


@dataclass
class JoinResult:
    participant: Participant
    peers: list[Participant]
    resumed: bool
    expired: list[Participant] = field(default_factory=list)
    notice: str = ""


def participant_id_new() -> str:
    return "p" + secrets.token_hex(8)


def media_clean(value: Any, *, base: dict[str, bool] | None = None) -> dict[str, bool]:
    """Validate a media state object ({audio, video, screen} booleans; missing keys unchanged)."""
    media = dict(base or {"audio": True, "video": False, "screen": False})
    if value is None:
        return media
    if not isinstance(value, dict):
        raise CallError("media must be an object of booleans {audio, video, screen}.")
    for kind, flag in value.items():
        if kind not in MEDIA_KINDS:
            raise CallError(f"Unknown media kind {kind!r}.")
        if not isinstance(flag, bool):
            raise CallError(f"media.{kind} must be true or false.")
        media[kind] = flag
    return media


def _is_stale(participant: Participant, now: float, grace: float) -> bool:
    gone_at = participant.get("gone_at")
    if gone_at is not None and now - gone_at > grace:
        return True
    return now - participant.get("seen_at", now) > STALE_AFTER_SECONDS


async def _transact(session_id: str, change) -> Any:
    """Run `change(participants, pipe) -> result` atomically against the session's hash."""
    key = call_key(session_id)
    client = redis_client()
    async with client.pipeline(transaction=True) as pipe:
        while True:
            try:
                await pipe.watch(key)
                raw = await pipe.hgetall(key)
                participants = {pid: json.loads(v) for pid, v in raw.items()}
                pipe.multi()
                result = change(participants, pipe)
                pipe.expire(key, KEY_TTL_SECONDS)
                await pipe.execute()
                return result
            except WatchError:
                continue


def _write(pipe, session_id: str, participant: Participant) -> None:
    pipe.hset(call_key(session_id), participant["id"], json.dumps(participant))


def _sweep(session_id: str, participants: dict[str, Participant], pipe, now: float) -> list:
    grace = settings.CALL_RECONNECT_GRACE_SECONDS
    expired = [p for p in participants.values() if _is_stale(p, now, grace)]
    for participant in expired:
        del participants[participant["id"]]
        pipe.hdel(call_key(session_id), participant["id"])
    return expired


async def call_join(
    *,
    session_id: str,
    user_id: int,
    profile: dict[str, str],
    channel_name: str,
    media: dict[str, bool],
    resume_id: str | None = None,
) -> JoinResult:
    """Join the call, or take back one's own place (same user, within the grace) after a drop.

    Beyond CALL_VIDEO_MEMBER_LIMIT video places a joiner is audio-only: its camera and screen flags
    are turned off and it gets a notice. A resumed participant keeps its place and its video slot.
    """
    limit = settings.CALL_VIDEO_MEMBER_LIMIT

    def change(participants: dict[str, Participant], pipe) -> JoinResult:
        now = time.time()
        expired = _sweep(session_id, participants, pipe, now)
        mine = participants.get(resume_id) if isinstance(resume_id, str) else None
        if mine is not None and mine["user_id"] == user_id:
            mine.update(channel=channel_name, gone_at=None, seen_at=now)
            _write(pipe, session_id, mine)
            peers = [p for p in participants.values() if p["id"] != mine["id"]]
            return JoinResult(mine, peers, resumed=True, expired=expired)
        slots = sum(1 for p in participants.values() if p["video_slot"])
        video_slot = slots < limit
        notice = ""
        wanted = dict(media)
        if not video_slot:
            wanted.update(video=False, screen=False)
            notice = (
                f"This call already has {limit} people with video, the most it allows: "
                "you joined with audio only. Video becomes available when someone leaves."
            )
        participant = {
            "id": participant_id_new(),
            "user_id": user_id,
            "username": profile["username"],
            "color": profile["color"],
            "media": wanted,
            "video_slot": video_slot,
            "channel": channel_name,
            "joined_at": now,
            "seen_at": now,
            "gone_at": None,
        }
        _write(pipe, session_id, participant)
        return JoinResult(
            participant, list(participants.values()), resumed=False, expired=expired, notice=notice
        )

    return await _transact(session_id, change)


async def call_leave(
    *, session_id: str, participant_id: str, channel_name: str | None = None
) -> Participant | None:
    """Remove a participant; with `channel_name`, only if that connection still owns the place."""

    def change(participants: dict[str, Participant], pipe) -> Participant | None:
        participant = participants.get(participant_id)
        if participant is None:
            return None
        if channel_name is not None and participant["channel"] != channel_name:
            return None  # already resumed from another connection
        pipe.hdel(call_key(session_id), participant_id)
        return participant

    return await _transact(session_id, change)


async def call_mark_gone(*, session_id: str, participant_id: str, channel_name: str) -> bool:
    """The socket dropped without a goodbye: keep the place for the reconnect grace."""

    def change(participants: dict[str, Participant], pipe) -> bool:
        participant = participants.get(participant_id)
        if participant is None or participant["channel"] != channel_name:
            return False
        participant["gone_at"] = time.time()
        _write(pipe, session_id, participant)
        return True

    return await _transact(session_id, change)


async def call_expire_stale(*, session_id: str) -> list[Participant]:
    """Drop the places whose grace ran out (or whose server died); returns them."""

    def change(participants: dict[str, Participant], pipe) -> list[Participant]:
        return _sweep(session_id, participants, pipe, time.time())

    return await _transact(session_id, change)


async def call_set_media(
    *, session_id: str, participant_id: str, media: Any
) -> tuple[Participant, bool]:
    """Change the mute/camera/screen state; returns (participant, changed).

    Turning video or screen on needs a video place: kept from joining, or taken now if one is free.
    """
    limit = settings.CALL_VIDEO_MEMBER_LIMIT

    def change(participants: dict[str, Participant], pipe) -> tuple[Participant, bool]:
        participant = participants.get(participant_id)
        if participant is None:
            raise CallError("You are not in the call.")
        wanted = media_clean(media, base=participant["media"])
        if any(wanted[k] for k in VIDEO_KINDS) and not participant["video_slot"]:
            slots = sum(1 for p in participants.values() if p["video_slot"])
            if slots >= limit:
                raise CallError(
                    f"Video is limited to {limit} people in a call; you can talk and listen, "
                    "and turn video on when someone with video leaves."
                )
            participant["video_slot"] = True
        changed = wanted != participant["media"]
        participant["media"] = wanted
        participant["seen_at"] = time.time()
        _write(pipe, session_id, participant)
        return participant, changed

    return await _transact(session_id, change)


async def call_touch(*, session_id: str, participant_id: str, channel_name: str) -> None:
    """A ping: the connection owning this place is alive."""

    def change(participants: dict[str, Participant], pipe) -> None:
        participant = participants.get(participant_id)
        if participant is not None and participant["channel"] == channel_name:
            participant["seen_at"] = time.time()
            _write(pipe, session_id, participant)

    await _transact(session_id, change)


def call_event_record(*, session_id: str, user_id: int, kind: str) -> None:
    """Store that a member joined or left the call (MembershipEvent, shown by the replay)."""
    MembershipEvent.objects.create(session_id=session_id, user_id=user_id, kind=kind)
