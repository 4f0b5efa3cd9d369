"""Sign up, log in, log out, profile, tokens for scripts."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.authtoken.models import Token

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
