"""Chat fixtures: a session with three members and an outsider, and a clean rate limit."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from codepusher.redis import redis_client
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 takes seconds per user on a busy machine; these tests never check passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_chat_rate_limits():
    """User ids repeat between test databases; start every test with no messages counted."""
    client = redis_client()
    keys = list(client.scan_iter(match="codepusher:chat:rate:*", count=1000))
    if keys:
        client.delete(*keys)
    yield


@dataclass
class Room:
    session: object
    alice: object
    bob: object
    carol: object
    outsider: object


@pytest.fixture
def room(db, session_factory) -> Room:
    """alice owns the session, bob and carol joined it, the outsider did not."""
    from sessions_app.services import session_join

    alice, bob, carol, outsider = (
        UserFactory(username=name) for name in ("alice", "bob", "carol", "outsider")
    )
    session = session_factory(owner=alice)
    session_join(session=session, user=bob)
    session_join(session=session, user=carol)
    return Room(session, alice, bob, carol, outsider)
