"""Reads of the chat: which messages a member may see, and paging back through them."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from chat.models import Message
from sessions_app.models import Membership

HISTORY_PAGE_SIZE = 50


@dataclass(frozen=True)
class HistoryPage:
    messages: list[Message]  # oldest first, newest last
    has_more: bool  # whether older messages exist before messages[0]


def messages_visible(*, session_id: str, user: AbstractBaseUser) -> QuerySet[Message]:
    """Everything of a session `user` may read: public messages and their own direct messages.

    The caller must have checked membership; this only filters out other people's DMs.
    """
    color = Membership.objects.filter(
        session_id=OuterRef("session_id"), user_id=OuterRef("author_id")
    ).values("color")[:1]
    return (
        Message.objects.filter(session_id=session_id)
        .filter(Q(recipient__isnull=True) | Q(author_id=user.pk) | Q(recipient_id=user.pk))
        .select_related("author", "recipient")
        .prefetch_related(
            Prefetch("mentions", queryset=get_user_model().objects.only("id", "username"))
        )
        .annotate(author_color=Subquery(color))
    )


def message_history_page(
    *,
    session_id: str,
    user: AbstractBaseUser,
    before: int | None = None,
    limit: int = HISTORY_PAGE_SIZE,
) -> HistoryPage:
    """The `limit` newest visible messages older than message id `before` (or the newest ones)."""
    messages = messages_visible(session_id=session_id, user=user)
    if before is not None:
        messages = messages.filter(id__lt=before)
    newest_first = list(messages.order_by("-id")[: limit + 1])
    return HistoryPage(messages=newest_first[:limit][::-1], has_more=len(newest_first) > limit)


def session_member_by_username(*, session_id: str, username: str) -> AbstractBaseUser | None:
    """The member of the session called `username`, or None if there is no such member."""
    membership = (
        Membership.objects.filter(session_id=session_id, user__username=username)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None
