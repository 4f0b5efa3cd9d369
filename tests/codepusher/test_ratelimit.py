"""The shared limiter and what it guards: log-in, sign-up, session creation, API calls."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from codepusher.ratelimit import Rate, RateLimited, TokenBucket, rate_limit_check, rate_limit_hit


def test_rate_parse():
    assert Rate.parse("30/min") == Rate(30, 60)
    assert Rate.parse("10/10s") == Rate(10, 10)
    assert Rate.parse("20 / hour") == Rate(20, 3600)
    with pytest.raises(ValueError, match="like '30/min'"):
        Rate.parse("often")


def test_sliding_window_refuses_past_the_limit_per_identity():
    rate = Rate(3, 60)
    assert [rate_limit_hit(scope="t", ident=1, rate=rate) for _ in range(3)] == [0, 0, 0]
    wait = rate_limit_hit(scope="t", ident=1, rate=rate)
    assert 0 < wait <= 60
    assert rate_limit_hit(scope="t", ident=2, rate=rate) == 0  # someone else is not slowed
    with pytest.raises(RateLimited, match="Too many tries: at most 3 every 60 seconds"):
        rate_limit_check(scope="t", ident=1, rate=rate, what="tries")


def test_refused_attempts_are_not_counted():
    rate = Rate(1, 0.3)
    assert rate_limit_hit(scope="r", ident=1, rate=rate) == 0
    for _ in range(5):
        assert rate_limit_hit(scope="r", ident=1, rate=rate) > 0
    import time

    time.sleep(0.35)
    assert rate_limit_hit(scope="r", ident=1, rate=rate) == 0


def test_token_bucket_burst_then_refill(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr("codepusher.ratelimit.time.monotonic", lambda: clock[0])
    bucket = TokenBucket(burst=3, rate=2)
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]
    assert not bucket.recovered
    clock[0] += 1.0  # two tokens back
    assert bucket.take() and bucket.recovered is False
    clock[0] += 10
    assert bucket.recovered


@pytest.mark.django_db
def test_failed_log_ins_are_limited_per_username(client, user, settings, password):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login.username": "3/min"}
    for _ in range(3):
        response = client.post("/accounts/login/", {"username": user.username, "password": "no"})
        assert response.status_code == 200
    # Even the right password is not checked while the username is limited.
    response = client.post("/accounts/login/", {"username": user.username, "password": password})
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    assert client.get("/accounts/profile/").status_code == 302


@pytest.mark.django_db
def test_failed_log_ins_are_limited_per_client_and_successes_do_not_count(
    client, user, password, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login.client": "2/min"}
    for _ in range(4):  # a classroom behind one address logs in for real
        ok = client.post("/accounts/login/", {"username": user.username, "password": password})
        assert ok.status_code == 302
        client.logout()
    for name in ("a", "b"):
        assert (
            client.post("/accounts/login/", {"username": name, "password": "x"}).status_code == 200
        )
    response = client.post("/accounts/login/", {"username": "c", "password": "x"})
    assert response.status_code == 429
    other = client.post(
        "/accounts/login/", {"username": "c", "password": "x"}, REMOTE_ADDR="10.1.2.3"
    )
    assert other.status_code == 200


@pytest.mark.django_db
def test_signups_are_limited_per_client(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup.client": "1/hour"}
    form = {"password1": "a-long-pass-phrase-42", "password2": "a-long-pass-phrase-42"}
    assert client.post("/accounts/signup/", {**form, "username": "one"}).status_code == 302
    client.logout()
    response = client.post("/accounts/signup/", {**form, "username": "two"})
    assert response.status_code == 429 and "Too many sign-ups" in response.content.decode()


@pytest.mark.django_db
def test_session_creation_is_limited_per_user_and_per_client(
    api_client, user, other_user, challenge, settings
):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "session_create.user": "2/hour",
        "session_create.client": "4/hour",
    }
    body = {"challenge": challenge.pk, "language": "python"}
    api_client.force_authenticate(user)
    assert [api_client.post("/api/sessions/", body).status_code for _ in range(3)] == [
        201, 201, 429,
    ]  # fmt: skip
    api_client.force_authenticate(other_user)  # same address: its 5th creation in the hour
    assert [api_client.post("/api/sessions/", body).status_code for _ in range(2)] == [201, 429]


@pytest.mark.django_db
def test_session_form_is_limited_per_user(client, user, challenge, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "session_create.user": "1/hour"}
    client.force_login(user)
    url = f"/challenges/{challenge.slug}/start/"
    first = client.post(url, {"language": "python"})
    assert first.status_code == 302 and first["Location"].startswith("/s/")
    second = client.post(url, {"language": "python"}, follow=True)
    assert "Too many new sessions" in second.content.decode()


@pytest.mark.django_db
def test_api_calls_are_limited_per_user_across_clients(api_client, user, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api.user": "2/min"}
    token = Token.objects.create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    codes = [
        api_client.get("/api/challenges/", REMOTE_ADDR=f"10.0.0.{n}").status_code for n in range(3)
    ]
    assert codes == [200, 200, 429]


@pytest.mark.django_db
def test_api_calls_are_limited_per_client_across_users(api_client, user, other_user, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api.client": "2/min"}
    codes = []
    for member in (user, other_user, user):
        api_client.force_authenticate(member)
        codes.append(api_client.get("/api/challenges/").status_code)
    assert codes == [200, 200, 429]
