"""How much one connection and one user may write to `/ws/ot/`, and hold in its memory.

Ops are limited twice, with the shared limiter's token bucket (`codepusher.ratelimit`): per
connection, and per user across all their connections in this server process (so opening more
tabs does not buy a faster flood). The buckets live in memory: an op's path gets no Redis round
trip. Honest typing sends at most one op per keystroke (the client composes keystrokes while an
op is in flight), far below the limits; a flood gets `ERR_OP_SUBMIT_REJECTED`, which the client
answers by rolling the op back, and the connection stays usable once the flood stops.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from django.conf import settings

from codepusher.ratelimit import TokenBucket
from sessions_app.ot.types import OTError


@dataclass(frozen=True)
class OTLimits:
    """The limits of one server process, read from the settings (see the README's table)."""

    op_burst: int = 60
    op_rate: float = 30.0
    user_op_burst: int = 120
    user_op_rate: float = 50.0
    max_op_bytes: int = 64 * 1024
    max_session_op_bytes: int = 64 * 1024 * 1024
    max_presence_ids: int = 16
    max_permission_cache: int = 64

    @classmethod
    def from_settings(cls) -> OTLimits:
        return cls(
            op_burst=settings.OT_OP_BURST,
            op_rate=settings.OT_OP_RATE_PER_SECOND,
            user_op_burst=settings.OT_USER_OP_BURST,
            user_op_rate=settings.OT_USER_OP_RATE_PER_SECOND,
            max_op_bytes=settings.OT_MAX_OP_BYTES,
            max_session_op_bytes=settings.OT_MAX_SESSION_OP_BYTES,
            max_presence_ids=settings.OT_MAX_PRESENCE_IDS,
            max_permission_cache=settings.OT_MAX_PERMISSION_CACHE,
        )


# One bucket per user with a connection in this process; gone with their last connection.
_user_buckets: weakref.WeakValueDictionary[object, TokenBucket] = weakref.WeakValueDictionary()


class OpRateLimiter:
    """The two buckets an op must pass: this connection's and its user's."""

    def __init__(self, limits: OTLimits, user_key: object) -> None:
        self.limits = limits
        self.connection = TokenBucket(limits.op_burst, limits.op_rate)
        bucket = _user_buckets.get(user_key)
        if bucket is None:
            bucket = TokenBucket(limits.user_op_burst, limits.user_op_rate)
            _user_buckets[user_key] = bucket
        self.user = bucket  # held, so the shared bucket lives as long as a connection does

    def check(self) -> None:
        """Count one op, or raise the ShareDB rejection (nothing is counted then)."""
        if not self.connection.take():
            raise _too_many(self.limits.op_rate, "on this connection")
        if not self.user.take():
            self.connection.tokens += 1  # refused ops are not counted
            raise _too_many(self.limits.user_op_rate, "for your account")


def _too_many(rate: float, where: str) -> OTError:
    return OTError(
        "ERR_OP_SUBMIT_REJECTED",
        f"Too many edits {where}: at most {rate:g} a second. Slow down and try again.",
    )
