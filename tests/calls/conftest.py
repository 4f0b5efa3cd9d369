"""Fixtures for the call tests: communicators on the real Redis channel layer."""

from __future__ import annotations

import pytest


@pytest.fixture
async def call_redis():
    """Close this event loop's Redis client after the test (each test has its own loop)."""
    from calls.store import _clients

    yield
    for client in list(_clients.values()):
        await client.aclose()
    _clients.clear()


@pytest.fixture
async def call_connect(call_redis, session_socket):
    """Open call sockets as given users (closed by `session_socket` at the end)."""

    async def connect(user, session_id: str, *, expect_state: bool = True):
        communicator, connected, code = await session_socket.attempt(
            user, f"/ws/sessions/{session_id}/call/"
        )
        if connected and expect_state:
            state = await communicator.receive_json_from()
            assert state["type"] == "call-state"
        return communicator, connected, code

    return connect
