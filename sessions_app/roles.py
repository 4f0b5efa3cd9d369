"""Pair-programming roles: who may edit a session's code now, and how that changes.

A session is in `free` mode (every member edits) or `driver` mode (one member, the driver,
edits; the others navigate and may ask for the keyboard). The owner switches modes, picks the
driver and sets a rotation period; the driver hands over. With a rotation period the keyboard
passes to the next member (in joining order) every period: `session_roles_rotate_due` stores
the rotations (a Celery beat task runs it every few seconds), and every read computes them
as well, so the OT server enforces the right driver even before the task has run.

Every change is stored, recorded in `RoleChange` (for the stats), and announced after its
commit: members get a `roles.changed` event on the room's presence socket, and the OT servers
forget their cached access to the session's code (`document_access_changed_publish`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from sessions_app.events import session_event_publish
from sessions_app.models import (
    CodingSession,
    KeyboardRequest,
    Membership,
    RoleChange,
    SessionMode,
    SessionRoles,
)
from sessions_app.ot.hub import document_access_changed_publish
from sessions_app.ot.types import CODE_COLLECTION, DocumentAccess
from sessions_app.selectors import session_member_access

ROTATION_MINUTES_MAX = 240
DRIVER_ONLY = "only the driver edits now"
# Sentinel for "not in the request" (None means "clear it").
UNSET: Any = object()


class RolesError(Exception):
    """A role change that cannot be made; the message is shown to the user."""


class RolesForbidden(RolesError):
    """A role change this member may not make."""


# --- reads -----------------------------------------------------------------------------------


def roles_member_order(*, session_id: str) -> list[int]:
    """Member ids in joining order: the order the keyboard rotates in."""
    return list(
        Membership.objects.filter(session_id=session_id)
        .order_by("joined_at", "id")
        .values_list("user_id", flat=True)
    )


def roles_rotated(
    *,
    driver_id: int | None,
    rotation_minutes: int | None,
    next_rotation_at: dt.datetime | None,
    order: list[int],
    now: dt.datetime,
) -> list[tuple[dt.datetime, int]]:
    """The rotations due by `now` from the stored state: (when, new driver id), in order."""
    if not rotation_minutes or next_rotation_at is None or not order or now < next_rotation_at:
        return []
    period = dt.timedelta(minutes=rotation_minutes)
    steps = 1 + int((now - next_rotation_at) / period)
    index = order.index(driver_id) if driver_id in order else -1
    # Whole cycles add nothing but time: keep the last few, enough to record every member once.
    skipped = max(0, steps - len(order))
    return [
        (next_rotation_at + step * period, order[(index + step + 1) % len(order)])
        for step in range(skipped, steps)
    ]


def roles_effective_driver(
    *,
    session_id: str,
    mode: str | None,
    driver_id: int | None,
    rotation_minutes: int | None,
    next_rotation_at: dt.datetime | None,
    now: dt.datetime | None = None,
) -> int | None:
    """The driver now, counting rotations that are due but not stored yet; None in free mode."""
    if mode != SessionMode.DRIVER:
        return None
    now = now or timezone.now()
    if not rotation_minutes or next_rotation_at is None or now < next_rotation_at:
        return driver_id
    rotations = roles_rotated(
        driver_id=driver_id,
        rotation_minutes=rotation_minutes,
        next_rotation_at=next_rotation_at,
        order=roles_member_order(session_id=session_id),
        now=now,
    )
    return rotations[-1][1] if rotations else driver_id


def session_roles_get(*, session_id: str) -> dict[str, Any]:
    """The roles as the API and the `roles.changed` event show them (rotations applied)."""
    roles = SessionRoles.objects.filter(session_id=session_id).first()
    members = list(
        Membership.objects.filter(session_id=session_id)
        .order_by("joined_at", "id")
        .values_list("user_id", "user__username")
    )
    names = dict(members)
    requests = KeyboardRequest.objects.filter(session_id=session_id).values_list(
        "user__username", flat=True
    )
    if roles is None or roles.mode != SessionMode.DRIVER:
        return {
            "mode": SessionMode.FREE.value,
            "driver": None,
            "rotation_minutes": roles.rotation_minutes if roles else None,
            "next_rotation_at": None,
            "requests": [],
            "members": [name for _, name in members],
        }
    driver_id, next_at = roles.driver_id, roles.next_rotation_at
    rotations = roles_rotated(
        driver_id=driver_id,
        rotation_minutes=roles.rotation_minutes,
        next_rotation_at=next_at,
        order=[user_id for user_id, _ in members],
        now=timezone.now(),
    )
    if rotations:
        driver_id = rotations[-1][1]
        next_at = rotations[-1][0] + dt.timedelta(minutes=roles.rotation_minutes or 0)
    return {
        "mode": roles.mode,
        "driver": names.get(driver_id) if driver_id is not None else None,
        "rotation_minutes": roles.rotation_minutes,
        "next_rotation_at": next_at.isoformat() if next_at else None,
        "requests": list(requests),
        "members": [name for _, name in members],
    }


def session_code_access(
    *, session_id: str, user: AbstractBaseUser | AnonymousUser
) -> DocumentAccess | None:
    """What a user may do with the session's code now: membership and the session's status
    (`session_member_access`), then the roles: in driver mode only the driver edits."""
    access = session_member_access(session_id=session_id, user=user)
    if access is None or access.edit_refusal is not None:
        return access
    roles = (
        SessionRoles.objects.filter(session_id=session_id)
        .values_list("mode", "driver_id", "rotation_minutes", "next_rotation_at")
        .first()
    )
    if roles is None or roles[0] != SessionMode.DRIVER:
        return access
    mode, driver_id, rotation_minutes, next_rotation_at = roles
    driver = roles_effective_driver(
        session_id=session_id,
        mode=mode,
        driver_id=driver_id,
        rotation_minutes=rotation_minutes,
        next_rotation_at=next_rotation_at,
    )
    if driver == user.pk:
        return access
    return dataclasses.replace(access, edit_refusal=DRIVER_ONLY)


# --- writes ----------------------------------------------------------------------------------


def _announce(session_id: str, *, reason: str, by: str | None) -> None:
    """After the commit: OT servers forget cached access, members learn the new roles."""

    def publish() -> None:
        document_access_changed_publish(collection=CODE_COLLECTION, doc_id=session_id)
        event = {
            "type": "roles.changed",
            "reason": reason,
            "by": by,
            "roles": session_roles_get(session_id=session_id),
        }
        session_event_publish(session_id=session_id, feature="presence", event=event)

    transaction.on_commit(publish)


def _record(
    roles: SessionRoles, *, reason: str, by: AbstractBaseUser | None, at: dt.datetime
) -> None:
    RoleChange.objects.create(
        session_id=roles.session_id,
        mode=roles.mode,
        driver_id=roles.driver_id if roles.mode == SessionMode.DRIVER else None,
        reason=reason,
        by=by,
        created_at=at,
    )


def _apply_due_rotations(roles: SessionRoles, now: dt.datetime) -> bool:
    """Store the rotations due by `now` on a locked row; True if the driver moved."""
    if roles.mode != SessionMode.DRIVER:
        return False
    rotations = roles_rotated(
        driver_id=roles.driver_id,
        rotation_minutes=roles.rotation_minutes,
        next_rotation_at=roles.next_rotation_at,
        order=roles_member_order(session_id=roles.session_id),
        now=now,
    )
    for at, driver_id in rotations:
        roles.driver_id = driver_id
        _record(roles, reason=RoleChange.Reason.ROTATION, by=None, at=at)
    if rotations:
        roles.next_rotation_at = rotations[-1][0] + dt.timedelta(
            minutes=roles.rotation_minutes or 0
        )
        KeyboardRequest.objects.filter(
            session_id=roles.session_id, user_id=roles.driver_id
        ).delete()
        roles.save()
    return bool(rotations)


def _locked_roles(session: CodingSession) -> SessionRoles:
    SessionRoles.objects.get_or_create(session=session)
    return SessionRoles.objects.select_for_update().get(session=session)


@transaction.atomic
def session_roles_update(
    *,
    session: CodingSession,
    user: AbstractBaseUser,
    mode: str = UNSET,
    driver: str | None = UNSET,
    rotation_minutes: int | None = UNSET,
    request_keyboard: bool | None = None,
) -> None:
    """One member's change to the roles; raises RolesForbidden/RolesError when not allowed.

    The owner switches modes, sets the rotation and picks any member as driver; the driver
    hands the keyboard to another member; any navigator asks for (or withdraws) the keyboard.
    """
    now = timezone.now()
    roles = _locked_roles(session)
    rotated = _apply_due_rotations(roles, now)
    is_owner = session.owner_id == user.pk
    reason = RoleChange.Reason.ROTATION if rotated else None
    if (mode is not UNSET or rotation_minutes is not UNSET) and not is_owner:
        raise RolesForbidden("Only the session's owner switches modes and sets the rotation.")
    if rotation_minutes is not UNSET:
        if rotation_minutes is not None and not 1 <= rotation_minutes <= ROTATION_MINUTES_MAX:
            raise RolesError(f"The rotation is 1 to {ROTATION_MINUTES_MAX} minutes, or none.")
        roles.rotation_minutes = rotation_minutes
        reason = reason or RoleChange.Reason.MODE
    if mode is not UNSET and mode != roles.mode:
        if mode not in SessionMode.values:
            raise RolesError(f"Unknown mode {mode!r}: use 'free' or 'driver'.")
        roles.mode = mode
        roles.driver_id = (roles.driver_id or session.owner_id) if mode == "driver" else None
        if mode == SessionMode.FREE:
            KeyboardRequest.objects.filter(session=session).delete()
        reason = RoleChange.Reason.MODE
    if driver is not UNSET:
        _driver_set(session, roles, user, driver, is_owner=is_owner)
        if reason != RoleChange.Reason.MODE:
            reason = RoleChange.Reason.DRIVER if is_owner else RoleChange.Reason.HANDOVER
    if request_keyboard is not None:
        _keyboard_request(session, roles, user, request_keyboard)
    if reason is None and request_keyboard is None:
        return
    if reason in (RoleChange.Reason.MODE, RoleChange.Reason.DRIVER, RoleChange.Reason.HANDOVER):
        period = roles.rotation_minutes
        driving = roles.mode == SessionMode.DRIVER and period
        roles.next_rotation_at = now + dt.timedelta(minutes=period) if driving else None
        _record(roles, reason=reason, by=user, at=now)
    roles.save()
    _announce(session.id, reason=reason or "request", by=user.get_username())


def _driver_set(
    session: CodingSession,
    roles: SessionRoles,
    user: AbstractBaseUser,
    username: str | None,
    *,
    is_owner: bool,
) -> None:
    if roles.mode != SessionMode.DRIVER:
        raise RolesError("Choose a driver in driver mode (set mode to 'driver').")
    if not is_owner and roles.driver_id != user.pk:
        raise RolesForbidden("Only the owner or the driver hands the keyboard over.")
    member = (
        Membership.objects.filter(session=session, user__username=username)
        .values_list("user_id", flat=True)
        .first()
    )
    if member is None:
        raise RolesError(f"{username!r} is not a member of this session.")
    roles.driver_id = member
    KeyboardRequest.objects.filter(session=session, user_id=member).delete()


def _keyboard_request(
    session: CodingSession, roles: SessionRoles, user: AbstractBaseUser, wanted: bool
) -> None:
    if not wanted:
        KeyboardRequest.objects.filter(session=session, user=user).delete()
        return
    if roles.mode != SessionMode.DRIVER:
        raise RolesError("Everyone edits in free mode: there is no keyboard to ask for.")
    if roles.driver_id == user.pk:
        raise RolesError("You have the keyboard already.")
    KeyboardRequest.objects.get_or_create(session=session, user=user)


def session_roles_rotate_due(*, now: dt.datetime | None = None) -> int:
    """Store every rotation that is due, and announce it; returns how many sessions rotated."""
    now = now or timezone.now()
    due = SessionRoles.objects.filter(
        mode=SessionMode.DRIVER, rotation_minutes__isnull=False, next_rotation_at__lte=now
    ).values_list("session_id", flat=True)
    rotated = 0
    for session_id in list(due):
        with transaction.atomic():
            roles = SessionRoles.objects.select_for_update().get(session_id=session_id)
            if _apply_due_rotations(roles, now):
                _announce(session_id, reason=RoleChange.Reason.ROTATION, by=None)
                rotated += 1
    return rotated
