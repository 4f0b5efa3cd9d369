"""Fixtures for the call tests: communicators on the real Redis channel layer."""

from __future__ import annotations

import contextlib

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from codepusher.routing import websocket_urlpatterns


@pytest.fixture
async def call_redis():
    """Close this event loop's Redis client after the test (each test has its own loop)."""
    from calls.store import _clients

    yield
    for client in list(_clients.values()):
        await client.aclose()
    _clients.clear()


@pytest.fixture
async def call_connect(call_redis):
    """Open call sockets as given users; closes whatever is left open at the end."""
    opened: list[WebsocketCommunicator] = []

    async def connect(user, session_id: str, *, expect_state: bool = True):
        communicator = WebsocketCommunicator(
            URLRouter(websocket_urlpatterns), f"/ws/sessions/{session_id}/call/"
        )
        communicator.scope["user"] = user
        connected, code = await communicator.connect()
        opened.append(communicator)
        if connected and expect_state:
            state = await communicator.receive_json_from()
            assert state["type"] == "call-state"
        return communicator, connected, code

    yield connect
    for communicator in opened:
        with contextlib.suppress(Exception):  # already closed by the test or the server
            await communicator.disconnect()
