from __future__ import annotations

import pytest

from codepusher import health


@pytest.mark.django_db
def test_healthz_reports_each_service_to_staff(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/healthz")
    checks = response.json()["checks"]
    assert set(checks) == {"database", "redis", "docker", "search"}
    assert checks["database"]["ok"] and checks["redis"]["ok"]
    assert response.status_code == (200 if response.json()["ok"] else 503)


@pytest.mark.django_db
def test_healthz_says_which_service_is_down_to_a_token(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.HEALTH_TOKEN = "monitor-secret"
    response = client.get("/healthz", HTTP_AUTHORIZATION="Bearer monitor-secret")
    assert response.status_code == 503
    data = response.json()
    assert data["ok"] is False
    assert data["checks"]["redis"]["ok"] is False
    assert "Connection" in data["checks"]["redis"]["detail"]


@pytest.mark.django_db
def test_healthz_shows_anonymous_callers_only_ok(client, user, settings, monkeypatch):
    monkeypatch.setattr(health, "CHECKS", {"database": health.database_check})
    settings.HEALTH_TOKEN = "monitor-secret"
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer wrong"}):
        response = client.get("/healthz", **headers)
        assert (response.status_code, response.json()) == (200, {"ok": True})
    client.force_login(user)  # logged in, not staff
    assert client.get("/healthz").json() == {"ok": True}
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    monkeypatch.setattr(health, "CHECKS", {"redis": health.redis_check})
    client.logout()
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (503, {"ok": False})


def test_a_failing_check_never_raises(monkeypatch):
    def boom() -> str:
        raise RuntimeError("engine on fire")

    monkeypatch.setattr(health, "CHECKS", {"docker": boom})
    assert health.health_report() == {
        "ok": False,
        "checks": {"docker": {"ok": False, "detail": "RuntimeError: engine on fire"}},
    }


@pytest.mark.django_db
def test_pages_render(client, challenge):
    for path in [
        "/",
        "/challenges/",
        challenge.get_absolute_url(),
        "/accounts/login/",
        "/accounts/signup/",
    ]:
        assert client.get(path).status_code == 200, path
