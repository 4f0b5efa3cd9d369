"""Reads about coding sessions and who may see them."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import QuerySet

from sessions_app.models import CodingSession, Document, DocumentOp, Membership, SessionStatus
from sessions_app.ot.types import CODE_COLLECTION, DocumentAccess

# Why nobody may edit the code of a session in this status (None: open).
SESSION_EDIT_REFUSALS = {
    SessionStatus.READ_ONLY: "The owner made this session read-only.",
    SessionStatus.CLOSED: "This session is closed.",
}


def session_member_access(
    *, session_id: str, user: AbstractBaseUser | AnonymousUser
) -> DocumentAccess | None:
    """What a user may do with the session's code: None for a non-member; otherwise the name
    and colour the editor shows on their caret and, when they may not edit now, why."""
    if not user.is_authenticated:
        return None
    row = (
        Membership.objects.filter(session_id=session_id, user_id=user.pk)
        .values_list("color", "session__status")
        .first()
    )
    if row is None:
        return None
    color, status = row
    return DocumentAccess(
        name=user.get_username(), color=color, edit_refusal=SESSION_EDIT_REFUSALS.get(status)
    )


def session_user_is_member(*, session_id: str, user: AbstractBaseUser | AnonymousUser) -> bool:
    """The one permission rule of a session: only members see or touch anything in it."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(session_id=session_id, user_id=user.pk).exists()


def session_get(*, session_id: str) -> CodingSession | None:
    return (
        CodingSession.objects.select_related("challenge", "challenge__repository", "owner")
        .filter(pk=session_id)
        .first()
    )


def session_list_for_user(*, user: AbstractBaseUser) -> QuerySet[CodingSession]:
    return (
        CodingSession.objects.filter(memberships__user=user)
        .select_related("challenge", "owner")
        .order_by("-created_at")
    )


def session_members(*, session_id: str) -> list[Membership]:
    return list(
        Membership.objects.filter(session_id=session_id)
        .select_related("user")
        .order_by("joined_at")
    )


def session_code_read(*, session_id: str) -> tuple[str, int]:
    """The session's shared code and the document version it is at (what a run judges)."""
    row = (
        Document.objects.filter(collection=CODE_COLLECTION, doc_id=session_id)
        .values_list("data", "version")
        .first()
    )
    if row is None:
        return "", 0
    data, version = row
    return (data if isinstance(data, str) else ""), version


def session_code_ops(*, session_id: str, start: int, end: int) -> list[tuple[int, str, list]]:
    """The edit ops of the session's code from version `start` up to `end`, in order, as
    (version it applied to, member, text op): what changed between two runs, and by whom.

    Read as plain rows (no model instances): blaming two runs 10,000 ops apart reads 10,000.
    """
    rows = (
        DocumentOp.objects.filter(
            collection=CODE_COLLECTION, doc_id=session_id, version__gte=start, version__lt=end
        )
        .order_by("version")
        .values_list("version", "user_id", "op")
    )
    with connection.cursor() as cursor:
        sql, params = rows.query.sql_with_params()
        cursor.execute(sql, params)
        found = cursor.fetchall()
    names = dict(
        get_user_model()
        .objects.filter(pk__in={u for _, u, _ in found})
        .values_list("pk", "username")
    )
    ops = []
    for version, user_id, body in found:
        body = json.loads(body) if isinstance(body, str) else body
        if "op" in body:
            ops.append((version, names.get(user_id, ""), body["op"]))
    return ops
