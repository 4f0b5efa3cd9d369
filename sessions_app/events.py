"""The one place that pushes events to the members of a session over the channel layer.

Each live feature of the room (terminal, chat, call, presence) has its own group per session, so a
consumer only receives what it renders. Writes publish after their database commit
(`session_event_publish_on_commit`); streamed output, which is not stored first, publishes directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

FEATURES = ("terminal", "chat", "call", "presence")


def session_group(session_id: str, feature: str) -> str:
    if feature not in FEATURES:
        raise ValueError(f"unknown session feature {feature!r}")
    return f"session.{session_id}.{feature}"


def session_event_publish(*, session_id: str, feature: str, event: dict[str, Any]) -> None:
    """Send `event` (a JSON-able dict with a "type") to every consumer of the feature's group."""
    layer = get_channel_layer()
    async_to_sync(layer.group_send)(
        session_group(session_id, feature), {"type": "session.event", "event": event}
    )


async def session_event_publish_async(
    *, session_id: str, feature: str, event: dict[str, Any]
) -> None:
    layer = get_channel_layer()
    await layer.group_send(
        session_group(session_id, feature), {"type": "session.event", "event": event}
    )


def session_event_publish_on_commit(
    *, session_id: str, feature: str, event: dict[str, Any]
) -> None:
    # robust: the write is committed; a failed announcement is logged, it does not undo it or
    # turn the caller's request into an error (e.g. no Redis, or a caller inside an event loop).
    transaction.on_commit(
        lambda: session_event_publish(session_id=session_id, feature=feature, event=event),
        robust=True,
    )


# --- Events addressed to one member (direct chat messages, typing in a direct message) ----------


def session_user_group(session_id: str, feature: str, user_id: int) -> str:
    """A member's own group within a feature: what only that member may receive."""
    return f"{session_group(session_id, feature)}.user.{user_id}"


async def session_user_event_publish_async(
    *, session_id: str, feature: str, user_ids: Iterable[int], event: dict[str, Any]
) -> None:
    layer = get_channel_layer()
    for user_id in dict.fromkeys(user_ids):
        await layer.group_send(
            session_user_group(session_id, feature, user_id),
            {"type": "session.event", "event": event},
        )


def session_user_event_publish_on_commit(
    *, session_id: str, feature: str, user_ids: Iterable[int], event: dict[str, Any]
) -> None:
    """Like `session_event_publish_on_commit`, but only to the named members' own groups."""
    user_ids = list(dict.fromkeys(user_ids))
    transaction.on_commit(
        lambda: async_to_sync(session_user_event_publish_async)(
            session_id=session_id, feature=feature, user_ids=user_ids, event=event
        )
    )


async def session_event_send_async(*, channel_name: str, event: dict[str, Any]) -> None:
    """Send `event` to one consumer (its channel name), e.g. a call offer addressed to one peer."""
    layer = get_channel_layer()
    await layer.send(channel_name, {"type": "session.event", "event": event})


# --- Membership and status changes reach every socket of the session -------------------------


def _all_features_send(session_id: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    for feature in FEATURES:
        async_to_sync(layer.group_send)(session_group(session_id, feature), message)
    # The editor's sockets are not in these groups: its hub re-asks the access rule at once.
    from sessions_app.ot.hub import document_access_changed_publish
    from sessions_app.ot.types import CODE_COLLECTION

    document_access_changed_publish(collection=CODE_COLLECTION, doc_id=session_id)


def session_access_revoke_publish_on_commit(*, session_id: str, user_id: int) -> None:
    """After commit, close every socket the user has in the session (terminal, chat, call,
    presence, editor): `SessionConsumer.session_revoke` closes with 4403."""
    transaction.on_commit(
        lambda: _all_features_send(session_id, {"type": "session.revoke", "user_id": user_id})
    )


def session_status_publish_on_commit(*, session_id: str, status: str) -> None:
    """After commit, tell every socket of the session its new status (open, read_only, closed)."""
    event = {"type": "session.status", "status": status}
    transaction.on_commit(
        lambda: _all_features_send(session_id, {"type": "session.event", "event": event})
    )
