"""A run's heartbeat: proof that a worker is judging it right now.

The launcher refreshes ``codepusher:runs:<site>:<run>:alive`` every HEARTBEAT_EVERY seconds with
a HEARTBEAT_TTL expiry, and deletes it when the run ends. A run ``running`` without the key lost
its worker; the reaper never removes the containers of a run whose key is there.
"""

from __future__ import annotations

import logging
import threading

import redis

from codepusher.redis import redis_client
from execution.containers import site_namespace

logger = logging.getLogger(__name__)

HEARTBEAT_TTL = 10
HEARTBEAT_EVERY = 2.0


def _alive_key(run_id: int) -> str:
    return f"codepusher:runs:{site_namespace()}:{run_id}:alive"


def run_is_alive(*, run_id: int) -> bool:
    """Whether a worker is judging the run right now (its heartbeat is fresh)."""
    return bool(redis_client().exists(_alive_key(run_id)))


class Heartbeat:
    """Keeps `run_is_alive` true while the launcher works on a run."""

    def __init__(self, run_id: int) -> None:
        self.key = _alive_key(run_id)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True)

    def start(self) -> None:
        redis_client().set(self.key, "1", ex=HEARTBEAT_TTL)
        self.thread.start()

    def _beat(self) -> None:
        while not self.stopped.wait(HEARTBEAT_EVERY):
            try:
                redis_client().set(self.key, "1", ex=HEARTBEAT_TTL)
            except redis.RedisError:
                logger.warning("heartbeat of %s failed", self.key, exc_info=True)

    def stop(self) -> None:
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join()
        redis_client().delete(self.key)
