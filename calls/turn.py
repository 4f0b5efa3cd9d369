"""ICE servers for a call: STUN/TURN URLs from settings, TURN credentials minted per join.

coturn's "TURN REST API" (`use-auth-secret` + `static-auth-secret`) accepts any username of the form
`<expiry-unix>:<user>` whose password is base64(HMAC-SHA1(secret, username)); the server checks the
expiry itself, so Django never stores a credential and a leaked one stops working on its own.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

from django.conf import settings


def turn_credentials(
    *, secret: str, user_id: int | str, ttl_seconds: int, now: float | None = None
) -> dict[str, str]:
    """A time-limited TURN username/credential pair in coturn's shared-secret scheme."""
    expiry = int(now if now is not None else time.time()) + int(ttl_seconds)
    username = f"{expiry}:{user_id}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return {"username": username, "credential": base64.b64encode(digest).decode("ascii")}


def turn_credentials_valid(
    *, secret: str, username: str, credential: str, now: float | None = None
) -> bool:
    """What coturn does with a REST credential: recompute the HMAC and check the expiry."""
    expiry, _, _user = username.partition(":")
    if not expiry.isdigit() or int(expiry) < int(now if now is not None else time.time()):
        return False
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return hmac.compare_digest(base64.b64encode(digest).decode("ascii"), credential)


def ice_servers_for(user_id: int | str) -> list[dict[str, Any]]:
    """The RTCPeerConnection `iceServers` for one joiner (empty by default: host candidates only).

    CALL_ICE_SERVERS holds credential-less URLs (STUN); CALL_TURN_URLS get fresh credentials when
    CALL_TURN_SECRET is set. aiortc uses only one STUN and one TURN server, browsers use them all.
    """
    servers: list[dict[str, Any]] = []
    if settings.CALL_ICE_SERVERS:
        servers.append({"urls": list(settings.CALL_ICE_SERVERS)})
    if settings.CALL_TURN_URLS and settings.CALL_TURN_SECRET:
        creds = turn_credentials(
            secret=settings.CALL_TURN_SECRET,
            user_id=user_id,
            ttl_seconds=settings.CALL_TURN_TTL_SECONDS,
        )
        servers.append({"urls": list(settings.CALL_TURN_URLS), **creds})
    return servers
