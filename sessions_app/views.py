"""The session room and the invite link's landing page."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import urlencode

from challenges.models import Language
from challenges.selectors import challenge_statement_html, challenge_visible_test_cases
from codepusher.markdown import markdown_render
from sessions_app.models import CodingSession, SessionStatus
from sessions_app.permissions import NO_SUCH_SESSION
from sessions_app.selectors import session_get, session_members, session_user_is_member
from sessions_app.services import SessionError, session_join_by_invite
from sessions_app.timeline import timeline_page


@login_required
def session_room(request: HttpRequest, session_id: str) -> HttpResponse:
    session = session_get(session_id=session_id)
    # A non-member gets the very answer a missing session gets: ids cannot be probed.
    if session is None or not session_user_is_member(session_id=session_id, user=request.user):
        raise Http404(NO_SUCH_SESSION + " Ask its owner for the invite link.")
    members = session_members(session_id=session_id)
    me = next(m for m in members if m.user_id == request.user.pk)
    challenge = session.challenge
    config = {
        "sessionId": session.id,
        "language": session.language,
        "username": request.user.username,
        "color": me.color,
        "members": [{"username": m.user.username, "color": m.color} for m in members],
        "owner": session.owner.username,
        "status": session.status,
        "api": reverse("session-detail", kwargs={"session_id": session.id}),
        "languages": [
            {"key": entry.language, "label": entry.get_language_display()}
            for entry in challenge.languages.all()
        ],
    }
    return render(
        request,
        "sessions_app/room.html",
        {
            "session": session,
            "challenge": challenge,
            "statement_html": challenge_statement_html(challenge=challenge),
            "sample_tests": challenge_visible_test_cases(challenge=challenge, user=request.user),
            "members": members,
            "me": me,
            "invite_url": request.build_absolute_uri(session.get_invite_path()),
            "room_config": config,
            "language_label": _language_label(session.language),
        },
    )


REPLAY_FIRST_PAGE = 500


def _code_html(code: str, language: str) -> str:
    """Highlighted, sanitised HTML of `code` (a fence longer than any backtick run inside)."""
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", code)), default=0))
    return markdown_render(f"{fence}{language}\n{code}\n{fence}")


def _language_label(language: str) -> str:
    return Language(language).label if language in Language.values else language


def session_invite(request: HttpRequest, session_id: str, token: str) -> HttpResponse:
    """The invite link: a page saying who invites you to which challenge; joining is a POST.

    Logged-out visitors get sign-up and log-in links that both come back here. A GET never
    changes anything, so a link preview or a prefetch cannot make anyone join.
    """
    session = session_get(session_id=session_id)
    if session is None or not constant_time_compare(session.invite_token, token):
        raise Http404("This invite link is not valid (the owner may have replaced it).")
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            session_join_by_invite(session=session, user=request.user, token=token)
        except SessionError as exc:
            return _invite_page(request, session, error=str(exc), status=403)
        return redirect(session)
    if session_user_is_member(session_id=session.id, user=request.user):
        return redirect(session)
    return _invite_page(request, session)


def _invite_page(
    request: HttpRequest, session: CodingSession, *, error: str = "", status: int = 200
) -> HttpResponse:
    here = request.path
    return render(
        request,
        "sessions_app/invite.html",
        {
            "session": session,
            "challenge": session.challenge,
            "member_count": len(session_members(session_id=session.id)),
            "closed": session.status == SessionStatus.CLOSED,
            "error": error,
            "login_url": f"{reverse('login')}?{urlencode({'next': here})}",
            "signup_url": f"{reverse('signup')}?{urlencode({'next': here})}",
        },
        status=status,
    )


@login_required
def session_replay(request: HttpRequest, session_id: str) -> HttpResponse:
    """The whole session on one timeline: members and staff (others: the 404 of no session)."""
    session = session_get(session_id=session_id)
    is_member = session is not None and session_user_is_member(
        session_id=session_id, user=request.user
    )
    if session is None or not (is_member or request.user.is_staff):
        raise Http404(NO_SUCH_SESSION)
    api = {
        name: reverse(f"session-{name}", kwargs={"session_id": session.id})
        for name in ("timeline", "restore", "export")
    }
    config = {
        "sessionId": session.id,
        "language": session.language,
        "username": request.user.username,
        "colors": {m.user.username: m.color for m in session_members(session_id=session.id)},
        "pasteChars": settings.REPLAY_PASTE_CHARS,
        "api": api,
    }
    # The first page travels in the page itself: the first frame needs no extra round trip,
    # and the code as created is drawn by the server until the code view takes over.
    first = timeline_page(session_id=session.id, user=request.user, limit=REPLAY_FIRST_PAGE)
    config["firstPage"] = {"events": first.events, "next": first.next}
    created: dict = next((e["create"] for e in first.events if "create" in e), {})
    initial_html = _code_html(str(created.get("data") or ""), session.language)
    return render(
        request,
        "sessions_app/replay.html",
        {
            "session": session,
            "challenge": session.challenge,
            "is_member": is_member,
            "export_url": api["export"],
            "replay_config": config,
            "initial_html": initial_html,
            "language_label": _language_label(session.language),
        },
    )
