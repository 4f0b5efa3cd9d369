"""Writes of the chat: sending a message (stored, then pushed to who may see it) and typing.

Every check lives here so the WebSocket and the API refuse the same things with the same words.
Direct messages are published only to the two members' own groups
(`sessions_app.events.session_user_group`), never to the session's chat group, so no other
member's socket ever receives them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from chat.mentions import mentions_mark
from chat.models import MESSAGE_MAX_LENGTH, Message
from chat.serializers import MessageSerializer
from codepusher.markdown import markdown_render
from codepusher.ratelimit import Rate, RateLimited, rate_limit_check
from sessions_app.events import (
    session_event_publish_async,
    session_event_publish_on_commit,
    session_user_event_publish_async,
    session_user_event_publish_on_commit,
)
from sessions_app.models import CodingSession, Membership, SessionStatus

FEATURE = "chat"


class MessageError(Exception):
    """A message that cannot be sent; the text is shown to the sender as is."""


class MessageRateLimited(MessageError):
    """The sender is over the per-user rate limit."""


def message_rate_limit_check(*, user: AbstractBaseUser) -> None:
    """Refuse a user's message past the limit; per user, so nobody else is slowed down."""
    rate = Rate(settings.CHAT_RATE_LIMIT_MESSAGES, settings.CHAT_RATE_LIMIT_SECONDS)
    try:
        rate_limit_check(scope=FEATURE, ident=user.pk, rate=rate, what="messages")
    except RateLimited as exc:
        raise MessageRateLimited(str(exc)) from exc


def message_body_validate(body: object) -> str:
    if not isinstance(body, str):
        raise MessageError("The message must be text.")
    if not body.strip():
        raise MessageError("The message is empty.")
    if len(body) > MESSAGE_MAX_LENGTH:
        raise MessageError(
            f"The message is too long: {len(body)} characters, the limit is {MESSAGE_MAX_LENGTH}."
        )
    return body


def message_send(
    *,
    session: CodingSession,
    author: AbstractBaseUser,
    body: str,
    recipient: AbstractBaseUser | None = None,
) -> Message:
    """Store a message and, once committed, push it to every member (or only to the two of a DM).

    The body is rendered to sanitised HTML once here, with @mentions of the members who can see
    the message marked, so history and live frames show exactly the same thing.
    """
    body = message_body_validate(body)
    if session.status == SessionStatus.CLOSED:
        raise MessageError("This session is closed: no new messages.")
    # user id -> (username, colour): plain tuples, as this runs for every message sent
    members = {
        user_id: (username, color)
        for user_id, username, color in Membership.objects.filter(session=session).values_list(
            "user_id", "user__username", "color"
        )
    }
    if author.pk not in members:
        raise MessageError("You are not a member of this session.")
    if recipient is not None:
        if recipient.pk == author.pk:
            raise MessageError("You cannot send a direct message to yourself.")
        if recipient.pk not in members:
            raise MessageError(f"{recipient.get_username()} is not a member of this session.")
    message_rate_limit_check(user=author)

    readers = {recipient.pk: members[recipient.pk]} if recipient is not None else members
    reader_ids = {username: user_id for user_id, (username, _) in readers.items()}
    html, mentioned = mentions_mark(markdown_render(body, chat=True), reader_ids)
    with transaction.atomic():
        message = Message.objects.create(
            session=session, author=author, recipient=recipient, body=body, html=html
        )
        if mentioned:
            Message.mentions.through.objects.bulk_create(
                Message.mentions.through(message_id=message.pk, user_id=reader_ids[name])
                for name in mentioned
            )
        # What the serializer otherwise reads from the selectors' annotation and prefetch.
        message.author_color = members[author.pk][1]
        message.mentioned_usernames = mentioned
        event = {"type": "message", **MessageSerializer(message).data}
        if recipient is None:
            session_event_publish_on_commit(session_id=session.pk, feature=FEATURE, event=event)
        else:
            session_user_event_publish_on_commit(
                session_id=session.pk,
                feature=FEATURE,
                user_ids=[author.pk, recipient.pk],
                event=event,
            )
    return message


async def typing_announce(
    *, session_id: str, user: AbstractBaseUser, recipient_id: int | None = None
) -> None:
    """Tell the others that `user` is typing: not stored; receivers expire it on their own.

    While writing a direct message only its recipient is told.
    """
    event = {"type": "typing", "user": user.get_username()}
    if recipient_id is None:
        await session_event_publish_async(session_id=session_id, feature=FEATURE, event=event)
    else:
        event["direct"] = True
        await session_user_event_publish_async(
            session_id=session_id, feature=FEATURE, user_ids=[recipient_id], event=event
        )
