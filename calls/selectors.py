"""Reads about calls: who is in a session's call, and how a member shows up in it."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from calls.store import call_key, redis_client
from sessions_app.models import Membership, SessionStatus

Participant = dict[str, Any]


async def call_participants(*, session_id: str) -> dict[str, Participant]:
    """Every participant of the session's call (including ones inside their reconnect grace)."""
    raw = await redis_client().hgetall(call_key(session_id))
    return {pid: json.loads(value) for pid, value in raw.items()}


async def call_participant(*, session_id: str, participant_id: str) -> Participant | None:
    raw = await redis_client().hget(call_key(session_id), participant_id)
    return json.loads(raw) if raw else None


def call_public(participant: Participant) -> Participant:
    """What peers may see of a participant: never its channel name or user id."""
    return {
        "id": participant["id"],
        "username": participant["username"],
        "color": participant["color"],
        "media": participant["media"],
        "videoAllowed": participant["video_slot"],
        "reconnecting": participant.get("gone_at") is not None,
    }


def call_role(*, me: str, peer: str) -> str:
    """Fixed perfect-negotiation role per pair: the smaller participant id is the polite one."""
    return "polite" if me < peer else "impolite"


def call_member_profile(*, session_id: str, user: AbstractBaseUser) -> dict[str, Any]:
    """The name and colour a member shows with in the call (the colour of the room), and
    whether the session is closed (no call then)."""
    membership = (
        Membership.objects.filter(session_id=session_id, user_id=user.pk)
        .select_related("session")
        .first()
    )
    return {
        "username": user.get_username(),
        "color": membership.color if membership else "#4f7cff",
        "closed": membership is not None and membership.session.status == SessionStatus.CLOSED,
    }
