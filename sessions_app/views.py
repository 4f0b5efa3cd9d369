"""The session room and the invite link."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare

from challenges.models import Language
from challenges.selectors import challenge_statement_html, challenge_visible_test_cases
from sessions_app.permissions import NO_SUCH_SESSION
from sessions_app.selectors import session_get, session_members, session_user_is_member
from sessions_app.services import session_join


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
            "language_label": Language(session.language).label
            if session.language in Language.values
            else session.language,
        },
    )


@login_required
def session_join_by_invite(request: HttpRequest, session_id: str, token: str) -> HttpResponse:
    session = session_get(session_id=session_id)
    if session is None or not constant_time_compare(session.invite_token, token):
        raise Http404("This invite link is not valid.")
    session_join(session=session, user=request.user)
    return redirect(session)
