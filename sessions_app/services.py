"""Writes to coding sessions: creating, joining by invite, and what the owner controls."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from challenges.models import Challenge
from codepusher.ratelimit import RateLimited, rate_limit_check
from sessions_app.events import (
    session_access_revoke_publish_on_commit,
    session_event_publish_on_commit,
    session_status_publish_on_commit,
)
from sessions_app.models import (
    CodingSession,
    Membership,
    MembershipEvent,
    MembershipEventKind,
    SessionStatus,
    invite_token_new,
)
from sessions_app.ot import storage, text_unicode
from sessions_app.ot.hub import document_created_publish, op_publish
from sessions_app.ot.limits import OTLimits
from sessions_app.ot.storage import document_create
from sessions_app.ot.types import CODE_COLLECTION, CommittedOp, body_bytes, snapshot_apply
from sessions_app.roles import session_code_access

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
        MembershipEvent.objects.create(session=session, user=owner, kind=MembershipEventKind.JOINED)
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
        MembershipEvent.objects.create(session=session, user=user, kind=MembershipEventKind.JOINED)
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


# --- Ownership: the owner controls who is in and what may change ------------------------------


class SessionForbidden(SessionError):
    """Only the owner may do this."""


def _owner_check(session: CodingSession, user: AbstractBaseUser) -> None:
    if session.owner_id != user.pk:
        raise SessionForbidden("Only the session's owner can do that.")


def session_join_by_invite(
    *, session: CodingSession, user: AbstractBaseUser, token: str
) -> Membership:
    """Join through the invite link: the current token, an open session, and not someone the
    owner removed since the link was last replaced."""
    if not constant_time_compare(session.invite_token, token):
        raise SessionError("This invite link is not valid (the owner may have replaced it).")
    membership = Membership.objects.filter(session=session, user=user).first()
    if membership is not None:
        return membership
    if session.status == SessionStatus.CLOSED:
        raise SessionError("This session is closed; it takes no new members.")
    removed_at = (
        MembershipEvent.objects.filter(session=session, user=user, kind=MembershipEventKind.REMOVED)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if removed_at and (session.invite_rotated_at is None or session.invite_rotated_at < removed_at):
        raise SessionError("The owner removed you from this session; ask them for a new link.")
    return session_join(session=session, user=user)


def session_invite_rotate(*, session: CodingSession, by: AbstractBaseUser) -> CodingSession:
    """A new invite link; the old one stops working at once (members stay members)."""
    _owner_check(session, by)
    session.invite_token = invite_token_new()
    session.invite_rotated_at = timezone.now()
    session.save(update_fields=["invite_token", "invite_rotated_at"])
    for feature in ("presence", "terminal"):  # every open room hears it (frontend/owner.js)
        session_event_publish_on_commit(
            session_id=session.id,
            feature=feature,
            event={"type": "session.invite", "invite_path": session.get_invite_path()},
        )
    return session


def _membership_end(
    *, session: CodingSession, user: AbstractBaseUser, kind: str, by: AbstractBaseUser | None
) -> None:
    """Delete the membership, record why, then close every socket of the member (after commit)."""
    with transaction.atomic():
        deleted, _ = Membership.objects.filter(session=session, user=user).delete()
        if not deleted:
            raise SessionError(f"{user.get_username()} is not a member of this session.")
        MembershipEvent.objects.create(session=session, user=user, kind=kind, by=by)
        session_access_revoke_publish_on_commit(session_id=session.id, user_id=user.pk)
        session_event_publish_on_commit(
            session_id=session.id,
            feature="presence",
            event={"type": f"member.{kind}", "user": user.get_username()},
        )


def session_member_remove(
    *, session: CodingSession, by: AbstractBaseUser, user: AbstractBaseUser
) -> None:
    """The owner removes a member: their editor, terminal, chat and call sockets close at once
    and the room, API and invite link are closed to them (until the link is replaced)."""
    _owner_check(session, by)
    if user.pk == session.owner_id:
        raise SessionError("The owner cannot be removed from their own session.")
    _membership_end(session=session, user=user, kind=MembershipEventKind.REMOVED, by=by)


def session_leave(*, session: CodingSession, user: AbstractBaseUser) -> None:
    if user.pk == session.owner_id:
        raise SessionError("The owner cannot leave their own session; close it instead.")
    _membership_end(session=session, user=user, kind=MembershipEventKind.LEFT, by=None)


def session_status_set(
    *, session: CodingSession, by: AbstractBaseUser, status: str
) -> CodingSession:
    """Open, read-only (the code is frozen) or closed (nothing changes); every socket is told."""
    _owner_check(session, by)
    if status not in SessionStatus.values:
        raise SessionError(f"Unknown status {status!r}: use {', '.join(SessionStatus.values)}.")
    with transaction.atomic():
        session.status = status
        session.save(update_fields=["status"])
        session_status_publish_on_commit(session_id=session.id, status=status)
    return session


# --- Replay: bring an old version back ---------------------------------------------------------

RESTORE_ATTEMPTS = 20


def text_replace_op(old: str, new: str) -> list:
    """The smallest text-unicode op turning `old` into `new`: keep the common ends, replace the
    middle (positions count code points, as Python strings do)."""
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    removed, inserted = len(old) - prefix - suffix, new[prefix : len(new) - suffix]
    op: list = [prefix] if prefix else []
    if inserted:
        op.append(inserted)
    if removed:
        op.append({"d": removed})
    return text_unicode.normalize(op)


def session_version_restore(*, session: CodingSession, user: AbstractBaseUser, version: int) -> int:
    """Write the code of `version` into the live document as ONE new op by `user`.

    The op is committed like any editor op (conditional on the document version, retried on a
    lost race against the then-current text, so nobody's concurrent edit is overwritten by a
    stale diff) and published on the editor's channel, so every open editor shows it and it can
    be undone. Returns the version the op produced (the current version when nothing changes).
    """
    if session.status != SessionStatus.OPEN:
        raise SessionError("The session is not open for edits; its owner can reopen it.")
    # In driver mode a restore is an edit like any other: the driver's alone.
    access = session_code_access(session_id=session.id, user=user)
    refusal = "you are not a member" if access is None else access.edit_refusal
    if refusal is not None:
        raise SessionError(f"You cannot edit the code now: {refusal}.")
    target = storage.snapshot_at_version(CODE_COLLECTION, session.id, version).data or ""
    limits = OTLimits.from_settings()
    for _ in range(RESTORE_ATTEMPTS):
        current, stored_bytes = storage.snapshot_and_ops_bytes_get(CODE_COLLECTION, session.id)
        op = text_replace_op(current.data or "", target)
        if not op:
            return current.v
        # The editor's limits hold for a restore too: it is one more op in the same log.
        size = body_bytes({"op": op})
        if size > limits.max_op_bytes:
            raise SessionError(
                "That version differs too much from the code to restore in one edit."
            )
        if stored_bytes + size > limits.max_session_op_bytes:
            raise SessionError("The session's edit history is full: nothing more can be stored.")
        committed = CommittedOp(
            v=current.v, src=f"restore-{secrets.token_hex(8)}", seq=1, body={"op": op}
        )
        after = snapshot_apply(current, committed)
        if storage.op_commit(CODE_COLLECTION, session.id, committed, after, user_id=user.pk):
            op_publish(collection=CODE_COLLECTION, doc_id=session.id, op=committed)
            return after.v
    raise SessionError("The code is changing too fast to restore now; try again.")


# --- Language: the room can switch; the starter code is offered, never forced -----------------


def session_language_set(
    *, session: CodingSession, by: AbstractBaseUser, language: str
) -> CodingSession:
    """Switch the session to another language of its challenge (any member, while it is open).

    The code is left as it is: every room is told (`language.changed` on the presence socket,
    with the new language's starter code) and offers the starter code to whoever switched.
    """
    if not Membership.objects.filter(session=session, user=by).exists():
        raise SessionForbidden("Only the session's members can change its language.")
    if session.status != SessionStatus.OPEN:
        raise SessionError("The session is not open: its language cannot change now.")
    entry = session.challenge.languages.filter(language=language).first()
    if entry is None:
        allowed = ", ".join(session.challenge.languages.values_list("language", flat=True))
        raise SessionError(
            f"'{language}' is not a language of this challenge (use one of: {allowed})"
        )
    if session.language == language:
        return session
    with transaction.atomic():
        session.language = language
        session.save(update_fields=["language"])
        session_event_publish_on_commit(
            session_id=session.id,
            feature="presence",
            event={
                "type": "language.changed",
                "language": language,
                "label": entry.get_language_display(),
                "by": by.get_username(),
                "starter": entry.starter_code,
            },
        )
    return session
