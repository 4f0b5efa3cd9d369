"""Real aiortc peers hold a call through a running daphne, over the site's call WebSocket.

Media flows peer to peer on 127.0.0.1 only; the test checks what arrives: the mean colour of each
video track and the dominant frequency of each audio track. The newcomer also sends a second video
(a "screen"), which aiortc drops without max-bundle (aiortc#1414).
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlparse

import pytest
import websockets
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from sessions_app.services import session_create, session_join
from tests.calls.aiortc_peer import (
    CallPeer,
    SolidColorTrack,
    ToneTrack,
    dominant_frequency,
    left_channel,
    loopback_only,
    mean_rgb,
)
from tests.factories import ChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

HANG_GUARD = 30  # seconds; only stops a broken test from hanging, never a speed check
RED, BLUE, GREEN = (220, 30, 30), (30, 60, 200), (40, 200, 60)
ADA_TONE, BEN_TONE = 440, 660


@sync_to_async
def session_with_two_members():
    ada, ben = UserFactory(), UserFactory()
    session = session_create(challenge=ChallengeFactory(), owner=ada, language="python")
    session_join(session=session, user=ben)
    return session.id, ada, ben


@sync_to_async
def session_cookie(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


async def open_call_socket(base_url: str, session_id: str, user):
    host = urlparse(base_url).netloc
    return await websockets.connect(
        f"ws://{host}/ws/sessions/{session_id}/call/",
        additional_headers={"Cookie": await session_cookie(user)},
        origin=base_url,
    )


async def collect(peer: CallPeer, wanted: dict[tuple[str, int], int]) -> dict:
    """Frames per (sender, track index) until each has `wanted` of them."""
    got: dict[tuple[str, int], list] = {key: [] for key in wanted}
    firsts: dict[tuple[str, int], float] = {}
    async with asyncio.timeout(HANG_GUARD):
        while any(len(got[key]) < count for key, count in wanted.items()):
            sender, index, _kind, at, frame = await peer.frames.get()
            key = (sender, index)
            if key in got:
                firsts.setdefault(key, at)
                got[key].append(frame)
    return {"frames": got, "first": firsts}


def track_index(peer: CallPeer, sender: str, kind: str, nth: int = 0) -> int:
    tracks = [i for i, t in enumerate(peer.received[sender]) if t.kind == kind]
    return tracks[nth]


async def test_two_aiortc_peers_exchange_audio_and_video_through_the_signaling(live_server_url):
    session_id, ada_user, ben_user = await session_with_two_members()
    ada_ws = await open_call_socket(live_server_url, session_id, ada_user)
    ben_ws = await open_call_socket(live_server_url, session_id, ben_user)
    ada = CallPeer(ada_ws, "ada", [ToneTrack(ADA_TONE), SolidColorTrack(RED)])
    ben = CallPeer(
        ben_ws, "ben", [ToneTrack(BEN_TONE), SolidColorTrack(BLUE), SolidColorTrack(GREEN)]
    )
    try:
        with loopback_only():
            await ada.join({"audio": True, "video": True})
            joined = await ben.join({"audio": True, "video": True})
            assert [p["id"] for p in joined["peers"]] == [ada.me]
            await ben.call(ada.me)  # the newcomer offers
            async with asyncio.timeout(HANG_GUARD):
                while len(ada.received.get(ben.me, [])) < 3 or not ben.received.get(ada.me):
                    await asyncio.sleep(0.05)
                while len(ben.received[ada.me]) < 2:
                    await asyncio.sleep(0.05)
            ada_hears = track_index(ada, ben.me, "audio")
            ben_hears = track_index(ben, ada.me, "audio")
            at_ada = {
                (ben.me, ada_hears): 40,
                (ben.me, track_index(ada, ben.me, "video", 0)): 20,
                (ben.me, track_index(ada, ben.me, "video", 1)): 20,
            }
            at_ben = {
                (ada.me, ben_hears): 40,
                (ada.me, track_index(ben, ada.me, "video")): 20,
            }
            from_ben, from_ada = await asyncio.gather(collect(ada, at_ada), collect(ben, at_ben))
    finally:
        await ada.close()
        await ben.close()
        await ada_ws.close()
        await ben_ws.close()

    # The signaling carried the server-stamped sender, offers one way and answers the other.
    assert {(s["type"], s["from"]) for s in ada.signals} >= {("offer", ben.me)}
    assert ("answer", ada.me) in {(s["type"], s["from"]) for s in ben.signals}
    assert any(s["type"] == "candidate" and s["candidate"] is None for s in ada.signals)

    def colour(frames):
        means = [mean_rgb(f) for f in frames[-5:]]
        return tuple(sum(m[c] for m in means) / len(means) for c in range(3))

    def close_to(actual, expected, tolerance=25):
        return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))

    colours = [colour(v) for k, v in from_ben["frames"].items() if k[1] != ada_hears]
    assert any(close_to(c, BLUE) for c in colours), colours  # the camera
    assert any(close_to(c, GREEN) for c in colours), colours  # the second video arrived too
    (ada_video,) = [v for k, v in from_ada["frames"].items() if k[1] != ben_hears]
    assert close_to(colour(ada_video), RED), colour(ada_video)
    assert ada_video[-1].width == 320 and ada_video[-1].height == 240

    def tone(frames):
        samples = [s for f in frames[-15:] for s in left_channel(f)]
        return dominant_frequency(samples[:4800], low=200, high=1200)

    assert abs(tone(from_ben["frames"][(ben.me, ada_hears)]) - BEN_TONE) <= 20
    assert abs(tone(from_ada["frames"][(ada.me, ben_hears)]) - ADA_TONE) <= 20
    # Not an assertion, a figure for docs/benchmarks.md.
    first = min(from_ada["first"].values()) - ben.joined_at
    print(f"\naiortc: newcomer join -> first remote frame {first * 1000:.0f} ms")


async def test_an_aiortc_peer_cannot_signal_to_a_participant_of_another_session(live_server_url):
    session_id, ada_user, _ = await session_with_two_members()
    other_id, zed_user, _ = await session_with_two_members()
    ada_ws = await open_call_socket(live_server_url, session_id, ada_user)
    zed_ws = await open_call_socket(live_server_url, other_id, zed_user)
    ada = CallPeer(ada_ws, "ada", [])
    zed = CallPeer(zed_ws, "zed", [])
    try:
        await ada.join({"audio": True})
        await zed.join({"audio": True})
        await ada.send({"type": "offer", "to": zed.me, "sdp": "v=0"})
        async with asyncio.timeout(HANG_GUARD):
            event = await ada.events.get()
            while event["type"] != "error":
                event = await ada.events.get()
        assert "not in this session" in event["message"]
        await asyncio.sleep(0.3)
        assert zed.signals == []
    finally:
        await ada.close()
        await zed.close()
        await ada_ws.close()
        await zed_ws.close()


def test_loopback_only_gathers_127_0_0_1():
    import aioice.ice

    with loopback_only():
        assert aioice.ice.get_host_addresses(True, True) == ["127.0.0.1"]
    assert "127.0.0.1" not in aioice.ice.get_host_addresses(True, False)  # the pitfall itself
