"""Chat fixtures: a session with three members and an outsider."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.factories import UserFactory


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
