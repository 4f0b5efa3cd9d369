"""Sign up, log in, log out, profile, tokens for scripts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from execution.models import Run, RunMode, RunStatus
from sessions_app.models import Membership
from sessions_app.services import session_join
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_signup_logs_the_new_user_in(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newbie",
            "password1": "a-long-pass-phrase-42",
            "password2": "a-long-pass-phrase-42",
        },
    )
    assert response.status_code == 302
    assert client.get("/accounts/profile/").status_code == 200


def test_signup_rejects_mismatched_passwords(client):
    response = client.post(
        "/accounts/signup/", {"username": "x", "password1": "a-long-pass-1", "password2": "nope-2"}
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="x").exists()


def test_login_and_logout(client, user, password):
    response = client.post("/accounts/login/", {"username": user.username, "password": password})
    assert response.status_code == 302
    assert client.get("/accounts/profile/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/accounts/profile/").status_code == 302


def test_profile_lists_sessions(client, user, session_factory):
    session = session_factory(owner=user)
    client.force_login(user)
    html = client.get("/accounts/profile/").content.decode()
    assert session.get_absolute_url() in html


def test_drf_token_authenticates_scripts(client, user):
    call_command("drf_create_token", user.username)
    token = Token.objects.get(user=user)
    response = client.post(
        "/api/sessions/",
        {"challenge": 0, "language": "python"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 400  # authenticated: the body is judged, not the caller


def test_api_refuses_anonymous_writes(api_client):
    assert api_client.post("/api/sessions/", {}, format="json").status_code in (401, 403)


def _push(session, user, verdict):
    return Run.objects.create(
        session=session,
        user=user,
        mode=RunMode.PUSH,
        language="python",
        code="print(1)",
        status=RunStatus.DONE,
        verdict=verdict,
    )


def test_an_accepted_push_counts_as_solved_for_every_member_present(
    client, user, other_user, session_factory
):
    """The partner who did not press Submit solved it too; someone joining later did not."""
    session = session_factory(owner=user)
    session_join(session=session, user=other_user)
    _push(session, user, "WRONG_ANSWER")
    run = _push(session, user, "ACCEPTED")
    late = UserFactory()
    session_join(session=session, user=late)
    Membership.objects.filter(user=late).update(joined_at=run.created_at + timedelta(seconds=5))

    title = session.challenge.title
    for member, solved in ((user, True), (other_user, True), (late, False)):
        client.force_login(member)
        html = client.get("/accounts/profile/").content.decode()
        solved_panel = html.split("Solved challenges", 1)[1]
        assert (title in solved_panel) is solved, member.username
        assert ("Nothing solved yet" in solved_panel) is not solved


def test_a_failed_push_solves_nothing(client, user, session_factory):
    session = session_factory(owner=user)
    _push(session, user, "WRONG_ANSWER")
    client.force_login(user)
    assert "Nothing solved yet" in client.get("/accounts/profile/").content.decode()
