"""Every WebSocket route of the site."""

from django.urls import path

from calls.consumers import CallConsumer
from chat.consumers import ChatConsumer
from execution.consumers import TerminalConsumer
from sessions_app.ot.consumer import OTConsumer
from sessions_app.presence import PresenceConsumer

websocket_urlpatterns: list = [
    path("ws/ot/", OTConsumer.as_asgi()),
    path("ws/sessions/<str:session_id>/terminal/", TerminalConsumer.as_asgi()),
    path("ws/sessions/<str:session_id>/chat/", ChatConsumer.as_asgi()),
    path("ws/sessions/<str:session_id>/call/", CallConsumer.as_asgi()),
    path("ws/sessions/<str:session_id>/presence/", PresenceConsumer.as_asgi()),
]
