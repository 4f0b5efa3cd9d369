"""Shared fixtures for the whole test suite; factories live in tests/factories.py."""

from __future__ import annotations

import functools
import time
import uuid

import pytest
from django.core.management.base import CommandError
from django.test.testcases import TransactionTestCase
from rest_framework.test import APIClient

from tests.factories import PASSWORD, ChallengeFactory, UserFactory
from tests.live import LIVE_RUNS_QUEUE, LIVE_SEARCH_QUEUE, task_queues_delete
from tests.sockets import SessionSockets


def _flush_retried_on_deadlock(teardown):
    """The live daphne and Celery worker share the test database and may still write a moment
    after a test ends (a member's delayed "left", a run's last rows); PostgreSQL can then pick
    the end-of-test TRUNCATE as a deadlock victim. Trying the flush again once they are done
    keeps the next test's database empty instead of failing it."""

    @functools.wraps(teardown)
    def flush(self):
        for attempt in range(4):
            try:
                return teardown(self)
            except CommandError as exc:
                if attempt == 3 or "deadlock detected" not in str(exc.__cause__):
                    raise
                time.sleep(0.5)

    return flush


TransactionTestCase._fixture_teardown = _flush_retried_on_deadlock(  # type: ignore[method-assign]
    TransactionTestCase._fixture_teardown
)

# Fixtures that start daphne or a Celery worker in subprocesses (tests/live.py).
LIVE_FIXTURES = frozenset({"live_server_url", "live_celery_worker"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs the live servers `live`, however it reaches them, so the fast
    loop (`make test-fast`) can leave them out without each file having to remember to."""
    for item in items:
        if LIVE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.live)


@pytest.fixture(autouse=True)
def _own_task_queues(settings):
    """Runs and index updates go to queues only this test session's worker reads."""
    settings.RUNNER_TASK_QUEUE = LIVE_RUNS_QUEUE
    settings.SEARCH_TASK_QUEUE = LIVE_SEARCH_QUEUE


@pytest.fixture(scope="session", autouse=True)
def _drop_own_task_queues():
    yield
    task_queues_delete()


@pytest.fixture(autouse=True)
def _isolated_search_index(settings, tmp_path):
    """Each test gets its own Whoosh index directory so tests never share search state."""
    settings.HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
            "PATH": str(tmp_path / "whoosh"),
        }
    }


@pytest.fixture(autouse=True)
def _own_rate_limit_windows(settings):
    """Ids and addresses repeat between tests and test databases sharing one Redis: each test
    counts its rate limits under a key prefix of its own."""
    settings.RATE_LIMIT_KEY_PREFIX = f"codepusher:test:{uuid.uuid4().hex}:rate"


@pytest.fixture
def fresh_chat_rate_limits():
    """For live servers (their own key prefix): start with no chat messages counted."""
    from codepusher.redis import redis_client

    client = redis_client()
    keys = list(client.scan_iter(match="codepusher:rate:chat:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def challenge(db):
    return ChallengeFactory()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def session_factory(db):
    """Create a coding session through the real service (it seeds the shared document)."""
    from sessions_app.services import session_create

    def make(*, owner, challenge=None, language="python"):
        return session_create(
            challenge=challenge or ChallengeFactory(), owner=owner, language=language
        )

    return make


@pytest.fixture(scope="session")
def live_logs(tmp_path_factory):
    return tmp_path_factory.mktemp("live-logs")


@pytest.fixture(scope="session")
def live_server_url(django_db_setup, django_db_blocker, live_logs):
    """A real daphne (HTTP + WebSockets) on the test database. Use with transactional_db."""
    from tests.live import daphne_server

    with daphne_server(live_logs) as url:
        yield url


@pytest.fixture(scope="session")
def live_celery_worker(django_db_setup, django_db_blocker, live_logs):
    """A real Celery worker (launcher and indexer queues) on the test database and Redis."""
    from tests.live import celery_worker

    with celery_worker(live_logs) as process:
        yield process


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """A channel layer per test: each async test runs in its own event loop."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing passwords for real costs seconds per user on a loaded machine; tests need none."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """After the server subprocesses stop, drop any connection they left so the test DB can go."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
async def session_socket():
    """`await session_socket(user, path)`: a connected WebSocket communicator on the site's routes.

    `session_socket.attempt(...)` returns (communicator, accepted, close code) for refusals;
    `user=None, cookie=...` authenticates through the session cookie. All are closed at teardown.
    """
    sockets = SessionSockets()
    yield sockets
    await sockets.close_all()
