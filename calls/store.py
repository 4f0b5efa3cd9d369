"""Where the participants of a call live: one Redis hash per session, shared by every daphne.

The call is live state, not history, so it is not in the database: a hash field per participant
(JSON), refreshed on every write and expiring on its own when a call is abandoned.
"""

from __future__ import annotations

import asyncio
import weakref

import redis.asyncio as aioredis
from django.conf import settings

KEY_TTL_SECONDS = 24 * 3600

_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aioredis.Redis] = (
    weakref.WeakKeyDictionary()
)


def redis_client() -> aioredis.Redis:
    """One client per event loop (tests run each in its own loop; a client is bound to one)."""
    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is None:
        client = aioredis.from_url(settings.REDIS_URL, decode_responses=True)
        _clients[loop] = client
    return client


def call_key(session_id: str) -> str:
    return f"codepusher:call:{session_id}:participants"
