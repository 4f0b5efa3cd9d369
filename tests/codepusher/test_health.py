from __future__ import annotations

import pytest

from codepusher import health


@pytest.mark.django_db
def test_healthz_reports_each_service(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert set(checks) == {"database", "redis", "docker", "search"}
    assert checks["database"]["ok"] and checks["redis"]["ok"]


@pytest.mark.django_db
def test_healthz_says_which_service_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    data = client.get("/healthz").json()
    assert data["ok"] is False
    assert data["checks"]["redis"]["ok"] is False
    assert "Connection" in data["checks"]["redis"]["detail"]


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
