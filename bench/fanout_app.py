"""The transport floor: a Channels consumer on daphne that only relays frames, no OT, no DB.

Every text frame a client sends is sent on to every connected client, the sender included (its
copy plays the part of the ack), in one loop of `send` calls, as the OT hub fans an op out to
its local subscribers. `bench/run_fanout_bench.py` serves it with daphne and compares it with the
same relay on Node's `ws` (ShareDB's transport), to show what the fixed stack costs per frame
before any editing work.

    python -m daphne -b 127.0.0.1 -p 9000 bench.fanout_app:application
"""

from __future__ import annotations

import django
from django.conf import settings

if not settings.configured:
    settings.configure(CHANNEL_LAYERS={})
    django.setup()

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
