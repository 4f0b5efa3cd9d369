"""The one rate limiter of the site: shared sliding windows in Redis, token buckets per socket.

Two shapes cover every limit (README "Security" lists them with their settings):

* `rate_limit_hit` / `rate_limit_check`: a sliding-window log in Redis, keyed by a scope
  ("chat", "runs", "login.client", ...) and an identity (a user id, a client address, a
  username). Every process and every socket of a user counts against the same window. Refused
  attempts are not recorded, so a flooder is let through again as soon as it slows down.
* `TokenBucket`: a per-connection flood guard kept in the consumer's memory (no Redis round
  trip per frame): `burst` frames at once, refilled at `rate` frames a second.

`ClientRateThrottle` and `UserRateThrottle` put the shared windows behind DRF's throttle API,
with the scope taken from the view's `throttle_scope` (default "api").
"""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from codepusher.redis import redis_client

PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600,
           "hour": 3600, "d": 86400, "day": 86400}  # fmt: skip

# Drop timestamps older than the window; refuse when the window is full (returning milliseconds
# until its oldest entry leaves), else record this attempt (unless ARGV[4] is empty: only look)
# and return 0.
_SLIDING_WINDOW_LUA = """
local key, now, window, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= limit then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return math.max(1, math.ceil(tonumber(oldest[2]) + window - now))
end
if ARGV[4] ~= '' then
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('PEXPIRE', key, window)
end
return 0
"""


@dataclass(frozen=True)
class Rate:
    """`limit` attempts in any window of `seconds`."""

    limit: int
    seconds: float

    @classmethod
    def parse(cls, text: str) -> Rate:
        """ "30/min", "10/10s", "1000/hour": a count, a slash, an optional number and a unit."""
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([a-z]+)\s*", text.lower())
        if not match or match.group(3) not in PERIODS:
            raise ValueError(f"rate {text!r} is not like '30/min', '10/10s' or '1000/hour'")
        count, multiple, unit = match.groups()
        return cls(int(count), int(multiple or 1) * PERIODS[unit])

    def __str__(self) -> str:
        return f"{self.limit} every {self.seconds:g} s"


class RateLimited(Exception):
    """Over a limit; `wait_seconds` says when the next attempt will be let through."""

    def __init__(self, message: str, wait_seconds: float) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


def rate_get(scope: str) -> Rate | None:
    """The configured rate of a scope (settings.RATE_LIMITS), None when it is not limited."""
    value = settings.RATE_LIMITS.get(scope)
    if not value:
        return None
    return value if isinstance(value, Rate) else Rate.parse(value)


def rate_limit_key(*, scope: str, ident: object) -> str:
    return f"{settings.RATE_LIMIT_KEY_PREFIX}:{scope}:{ident}"


def rate_limit_hit(*, scope: str, ident: object, rate: Rate, record: bool = True) -> float:
    """Count one attempt; 0 when allowed, else the seconds to wait (the attempt is not counted).

    `record=False` only asks whether an attempt would be allowed now: for limits that count
    failures only (log-ins), recorded afterwards with `record=True` when the attempt failed.
    """
    wait_ms = redis_client().eval(
        _SLIDING_WINDOW_LUA,
        1,
        rate_limit_key(scope=scope, ident=ident),
        int(time.time() * 1000),
        int(rate.seconds * 1000),
        rate.limit,
        uuid.uuid4().hex if record else "",
    )
    return int(wait_ms) / 1000


def rate_limit_check(
    *, scope: str, ident: object, rate: Rate | None = None, what: str, record: bool = True
) -> None:
    """Raise RateLimited past the limit; `what` names the attempts in the message ("messages")."""
    rate = rate or rate_get(scope)
    if rate is None:
        return
    wait = rate_limit_hit(scope=scope, ident=ident, rate=rate, record=record)
    if wait:
        raise RateLimited(
            f"Too many {what}: at most {rate.limit} every {rate.seconds:g} seconds. "
            f"Try again in {max(1, round(wait))} s.",
            wait,
        )


class TokenBucket:
    """Per-connection flood guard: `burst` frames at once, refilled at `rate` frames a second."""

    def __init__(self, burst: int, rate: float) -> None:
        self.burst, self.rate = burst, rate
        self.tokens = float(burst)
        self.updated = time.monotonic()

    def _refill(self) -> None:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def take(self) -> bool:
        self._refill()
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    @property
    def recovered(self) -> bool:
        """Half full again: a flood is over (used to report one error per flood)."""
        self._refill()
        return self.tokens >= self.burst / 2


def client_ident(request) -> str:
    """The caller's address, honouring REST_FRAMEWORK["NUM_PROXIES"] behind a proxy."""
    return BaseThrottle().get_ident(request)


class _ScopedThrottle(BaseThrottle):
    """DRF throttle over the shared windows; the scope is `view.throttle_scope` + a suffix."""

    suffix = ""

    def ident(self, request) -> str:
        raise NotImplementedError

    def allow_request(self, request, view) -> bool:
        scope = f"{getattr(view, 'throttle_scope', 'api')}.{self.suffix}"
        rate = rate_get(scope)
        if rate is None:
            return True
        self.wait_seconds = rate_limit_hit(scope=scope, ident=self.ident(request), rate=rate)
        return not self.wait_seconds

    def wait(self) -> float | None:
        return getattr(self, "wait_seconds", None) or None


class ClientRateThrottle(_ScopedThrottle):
    """Per client address, logged in or not."""

    suffix = "client"

    def ident(self, request) -> str:
        return client_ident(request)


class UserRateThrottle(_ScopedThrottle):
    """Per user when logged in (any address, token or cookie); anonymous callers by address."""

    suffix = "user"

    def ident(self, request) -> str:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"u{user.pk}"
        return f"a{client_ident(request)}"
