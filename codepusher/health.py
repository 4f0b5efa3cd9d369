"""Reachability checks of every backing service, for GET /healthz."""

from __future__ import annotations

from collections.abc import Callable

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare


def database_check() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return connection.vendor


def redis_check() -> str:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    client.ping()
    return "pong"


def docker_check() -> str:
    from execution.engine import docker_client

    client = docker_client(timeout=3)
    try:
        return client.version().get("Version", "unknown")
    finally:
        client.close()


def search_check() -> str:
    from haystack import connections

    backend = connections["default"].get_backend()
    backend.search("*", end_offset=1)
    return connections["default"].options["ENGINE"].rsplit(".", 1)[-1]


CHECKS: dict[str, Callable[[], str]] = {
    "database": database_check,
    "redis": redis_check,
    "docker": docker_check,
    "search": search_check,
}


def health_details_allowed(request: HttpRequest) -> bool:
    """Staff, or a monitor sending `Authorization: Bearer <HEALTH_TOKEN>`; versions and error
    texts tell an attacker too much to show to anyone else."""
    if getattr(request.user, "is_staff", False):
        return True
    token = settings.HEALTH_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(token) and constant_time_compare(given, token)


def health_report() -> dict:
    """Run every check; one failing service is reported, never raised."""
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = {"ok": True, "detail": check()}
        except Exception as exc:  # noqa: BLE001 - any failure means "unreachable"
            results[name] = {"ok": False, "detail": f"{type(exc).__name__}: {exc}"[:300]}
    return {"ok": all(r["ok"] for r in results.values()), "checks": results}
