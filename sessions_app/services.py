"""Writes to coding sessions: creating them, joining by invite."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from challenges.models import Challenge
from codepusher.ratelimit import RateLimited, rate_limit_check
from sessions_app.events import session_event_publish_on_commit
from sessions_app.models import CodingSession, Membership
from sessions_app.ot import text_unicode
from sessions_app.ot.hub import document_created_publish
from sessions_app.ot.storage import document_create
from sessions_app.ot.types import CODE_COLLECTION

MEMBER_COLORS = (
    "#e06c75", "#61afef", "#98c379", "#e5c07b", "#c678dd", "#56b6c2", "#d19a66", "#be5046",
)  # fmt: skip


class SessionError(Exception):
    """A request about a session that cannot be honoured; the message is shown to the user."""


class SessionRateLimited(SessionError):
    """The user opened too many sessions lately (RATE_LIMITS["session_create.user"])."""


def session_create(
    *, challenge: Challenge, owner: AbstractBaseUser, language: str
) -> CodingSession:
    """Open a room on a challenge, seeded with the starter code of the chosen language."""
    try:
        rate_limit_check(scope="session_create.user", ident=owner.pk, what="new sessions")
    except RateLimited as exc:
        raise SessionRateLimited(str(exc)) from exc
    starter = challenge.languages.filter(language=language).first()
    if starter is None:
        allowed = ", ".join(challenge.languages.values_list("language", flat=True))
        raise SessionError(
            f"'{language}' is not a language of this challenge (use one of: {allowed})"
        )
    with transaction.atomic():
        session = CodingSession.objects.create(challenge=challenge, owner=owner, language=language)
        Membership.objects.create(session=session, user=owner, color=MEMBER_COLORS[0])
        snapshot = document_create(
            collection=CODE_COLLECTION,
            doc_id=session.id,
            type_name=text_unicode.uri,
            data=starter.starter_code,
            user=owner,
        )
        transaction.on_commit(
            lambda: document_created_publish(
                collection=CODE_COLLECTION, doc_id=session.id, snapshot=snapshot
            )
        )
    return session


def session_join(*, session: CodingSession, user: AbstractBaseUser) -> Membership:
    """Anyone logged in who has the invite link becomes a member; joining twice is harmless."""
    with transaction.atomic():
        membership = Membership.objects.filter(session=session, user=user).first()
        if membership:
            return membership
        count = Membership.objects.filter(session=session).count()
        membership = Membership.objects.create(
            session=session, user=user, color=MEMBER_COLORS[count % len(MEMBER_COLORS)]
        )
        # The members panel of everyone in the room shows the newcomer (sessions_app/presence.py).
        session_event_publish_on_commit(
            session_id=session.id,
            feature="presence",
            event={"type": "member.joined", "user": user.get_username(), "color": membership.color},
        )
        return membership
