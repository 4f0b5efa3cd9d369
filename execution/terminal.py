"""A session's shared terminal: the events of a run, live to every member and kept as a backlog.

Redis keys (per session): ``codepusher:terminal:<session>:backlog`` holds the latest run's events
for an hour, so a member who joins or reloads mid-run or after it sees what it printed and how it
ended. Every event carries the run id and a per-run ``seq``.
"""

from __future__ import annotations

import codecs
import json
import logging
import threading

from django.conf import settings

from codepusher.redis import redis_client
from execution.models import Run
from sessions_app.events import session_event_publish

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 0.05
BACKLOG_TTL_SECONDS = 3600


def terminal_backlog_key(session_id: str) -> str:
    return f"codepusher:terminal:{session_id}:backlog"


class Terminal:
    """Publishes a run's events to its session and keeps them as the backlog for late joiners.

    Output is buffered and flushed by a background thread every FLUSH_SECONDS, so a program that
    prints a line and then thinks is seen at once, and a flood costs one message per interval.
    """

    def __init__(self, run: Run):
        self.run = run
        self.lock = threading.RLock()
        self.buffered: dict[str, list[str]] = {"stdout": [], "stderr": []}
        self.decoders = {
            stream: codecs.getincrementaldecoder("utf-8")("replace") for stream in self.buffered
        }
        self.shown: list[str] = []
        self.shown_chars = 0
        self.seq = 0
        self.stopped = threading.Event()
        self.flusher = threading.Thread(target=self._flush_periodically, daemon=True)

    def publish(self, event: dict) -> None:
        """Send an event of the run to the session and keep it for members who connect later.

        `seq` numbers the run's events, so a terminal that gets one twice (the backlog of a
        reconnect overlapping the live stream) shows it once.
        """
        with self.lock:
            event = {"run": self.run.pk, "seq": self.seq, **event}
            self.seq += 1
            key = terminal_backlog_key(self.run.session_id)
            pipe = redis_client().pipeline()
            pipe.rpush(key, json.dumps(event))
            pipe.expire(key, BACKLOG_TTL_SECONDS)
            pipe.execute()
            session_event_publish(session_id=self.run.session_id, feature="terminal", event=event)

    def start(self, event: dict) -> None:
        """A new run owns the backlog: drop the previous run's events, then announce this one."""
        redis_client().delete(terminal_backlog_key(self.run.session_id))
        self.publish(event)
        self.flusher.start()

    def stop(self) -> None:
        self.stopped.set()
        if self.flusher.is_alive():
            self.flusher.join()
        self.flush()

    def output(self, stream: str, chunk: bytes) -> None:
        text = self.decoders[stream].decode(chunk)
        if not text:
            return
        with self.lock:
            room = settings.RUNNER_TERMINAL_OUTPUT_CHARS - self.shown_chars
            if room <= 0:
                return
            if len(text) > room:
                text = (
                    text[:room] + "\n[output truncated in the terminal; judging uses all of it]\n"
                )
            self.buffered[stream].append(text)
            self.shown.append(text)
            self.shown_chars += len(text)

    def flush(self) -> None:
        with self.lock:
            for stream, parts in self.buffered.items():
                if parts:
                    data = "".join(parts)
                    parts.clear()
                    self.publish({"type": "output", "stream": stream, "data": data})

    def _flush_periodically(self) -> None:
        while not self.stopped.wait(FLUSH_SECONDS):
            try:
                self.flush()
            except Exception:  # a hiccup of Redis must not kill the run
                logger.exception("flushing the output of run %s failed", self.run.pk)

    @property
    def text(self) -> str:
        return "".join(self.shown)
