"""Every WebSocket route of the site; each app contributes its own patterns."""

from django.urls import path  # noqa: F401

websocket_urlpatterns: list = []
