"""Reads about coding sessions and who may see them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from sessions_app.models import CodingSession, Membership


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
