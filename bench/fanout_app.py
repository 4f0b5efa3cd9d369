"""The transport floor: a Channels consumer on daphne that only relays frames, no OT, no DB.

Every text frame a client sends is sent on to every connected client, the sender included (its
copy plays the part of the ack), in one loop of `send` calls, as the OT hub fans an op out to
its local subscribers. `raw_application` is the same relay as a bare ASGI callable, without
Channels. `bench/run_fanout_bench.py` serves both with daphne and compares them with the same
relay on Node's `ws` (ShareDB's transport), to show what the fixed stack costs per frame before
any editing work.

    python -m daphne -b 127.0.0.1 -p 9000 bench.fanout_app:application
    python -m daphne -b 127.0.0.1 -p 9000 bench.fanout_app:raw_application
"""

from __future__ import annotations

import django
from django.conf import settings

if not settings.configured:
    settings.configure(CHANNEL_LAYERS={})
    django.setup()

from collections.abc import Awaitable, Callable  # noqa: E402
from typing import Any  # noqa: E402

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

PEERS: set[AsyncWebsocketConsumer] = set()


class RelayConsumer(AsyncWebsocketConsumer):
    """Relays each frame to every connection of the process."""

    channel_layer_alias = "__relay_no_channel_layer__"

    async def connect(self) -> None:
        await self.accept()
        PEERS.add(self)

    async def disconnect(self, code: int) -> None:
        PEERS.discard(self)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        for peer in list(PEERS):
            await peer.send(text_data=text_data)


application = ProtocolTypeRouter(
    {"websocket": URLRouter([path("ws/relay/", RelayConsumer.as_asgi())])}
)


RAW_PEERS: set[Callable[[dict[str, Any]], Awaitable[None]]] = set()


async def raw_application(
    scope: dict[str, Any],
    receive: Callable[[], Awaitable[dict[str, Any]]],
    send: Callable[[dict[str, Any]], Awaitable[None]],
) -> None:
    """The relay straight on daphne's ASGI interface: the floor below Channels' consumers."""
    if scope["type"] != "websocket":
        return
    while True:
        message = await receive()
        if message["type"] == "websocket.connect":
            await send({"type": "websocket.accept"})
            RAW_PEERS.add(send)
        elif message["type"] == "websocket.receive":
            frame = {"type": "websocket.send", "text": message.get("text")}
            for peer in list(RAW_PEERS):
                await peer(frame)
        elif message["type"] == "websocket.disconnect":
            RAW_PEERS.discard(send)
            return
