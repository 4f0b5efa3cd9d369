"""WebSocket connections to the site's routes for the consumer tests (the `session_socket` fixture).

A socket is opened as a given user (put in the scope, as AuthMiddleware would) or, with `user=None`,
authenticated from a session cookie through the real AuthMiddlewareStack, as daphne does.
"""

from __future__ import annotations

import contextlib

from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from codepusher.routing import websocket_urlpatterns

ROUTER = URLRouter(websocket_urlpatterns)
COOKIE_APP = AuthMiddlewareStack(ROUTER)
TIMEOUT = 15  # seconds to wait for the handshake; a hang guard, not a speed check


class SessionSockets:
    """Opens communicators and remembers them so the fixture closes every one at teardown."""

    def __init__(self) -> None:
        self.opened: list[WebsocketCommunicator] = []

    async def __call__(
        self, user, path: str, *, cookie: str | None = None
    ) -> WebsocketCommunicator:
        """A connected communicator; fails the test when the server refuses it."""
        communicator, connected, code = await self.attempt(user, path, cookie=cookie)
        assert connected, (path, code)
        return communicator

    async def attempt(
        self, user, path: str, *, cookie: str | None = None
    ) -> tuple[WebsocketCommunicator, bool, int | None]:
        """Try to connect; the communicator, whether it was accepted and the close code if not."""
        if user is None:
            headers = [(b"cookie", cookie.encode())] if cookie else []
            communicator = WebsocketCommunicator(COOKIE_APP, path, headers=headers)
        else:
            communicator = WebsocketCommunicator(ROUTER, path)
            communicator.scope["user"] = user
        self.opened.append(communicator)
        connected, code = await communicator.connect(timeout=TIMEOUT)
        return communicator, connected, code

    async def close_all(self) -> None:
        for communicator in self.opened:
            with contextlib.suppress(Exception):  # already closed by the test or the server
                await communicator.disconnect()
        self.opened.clear()
