"""Call signaling over the real Redis channel layer: join/leave, roles, addressed signaling,
bad input, floods, membership, disconnects and reconnection."""

from __future__ import annotations

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async

from calls.selectors import call_participants
from sessions_app.services import session_create, session_join
from tests.factories import ChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

AUDIO = {"audio": True, "video": False, "screen": False}
VIDEO = {"audio": True, "video": True, "screen": False}


@sync_to_async
def make_session(members: int = 3):
    users = [UserFactory() for _ in range(members)]
    session = session_create(challenge=ChallengeFactory(), owner=users[0], language="python")
    for user in users[1:]:
        session_join(session=session, user=user)
    return session.id, users


async def receive_until(communicator, kind: str, timeout: float = 5) -> dict:
    """The next frame of type `kind`, skipping other events (the hang guard is not a check)."""
    while True:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame["type"] == kind:
            return frame


async def join(communicator, media=AUDIO, **extra) -> dict:
    await communicator.send_json_to({"type": "join", "media": media, **extra})
    return await receive_until(communicator, "joined")


async def test_join_lists_peers_with_fixed_complementary_roles(call_connect):
    session_id, (ada, ben, cy) = await make_session()
    a, *_ = await call_connect(ada, session_id)
    b, *_ = await call_connect(ben, session_id)
    joined_a = await join(a, VIDEO)
    assert joined_a["peers"] == [] and joined_a["resumed"] is False
    assert joined_a["media"] == VIDEO and joined_a["videoAllowed"] is True
    assert joined_a["iceServers"] == []
    joined_b = await join(b)
    (peer,) = joined_b["peers"]
    assert peer["id"] == joined_a["you"] and peer["username"] == ada.username
    assert peer["media"] == VIDEO and peer["color"].startswith("#")
    announced = await receive_until(a, "peer-joined")
    assert announced["peer"]["id"] == joined_b["you"]
    assert announced["peer"]["username"] == ben.username
    roles = {peer["role"], announced["peer"]["role"]}
    assert roles == {"polite", "impolite"}
    polite_side = "b" if peer["role"] == "polite" else "a"
    smaller = min(joined_a["you"], joined_b["you"])
    assert (joined_a["you"] if polite_side == "a" else joined_b["you"]) == smaller
    # A third member connecting sees the call before joining it.
    c, *_ = await call_connect(cy, session_id, expect_state=False)
    state = await c.receive_json_from()
    assert state["type"] == "call-state"
    assert {p["id"] for p in state["participants"]} == {joined_a["you"], joined_b["you"]}
    assert all("channel" not in p and "user_id" not in p for p in state["participants"])


async def test_offers_reach_only_their_target_with_the_server_stamped_sender(call_connect):
    session_id, (ada, ben, cy) = await make_session()
    socks = [(await call_connect(u, session_id))[0] for u in (ada, ben, cy)]
    ids = [(await join(s))["you"] for s in socks]
    a, b, c = socks
    await a.send_json_to({"type": "offer", "to": ids[1], "sdp": "v=0 offer", "from": ids[2]})
    offer = await receive_until(b, "offer")
    assert offer == {"type": "offer", "from": ids[0], "sdp": "v=0 offer"}
    await b.send_json_to({"type": "answer", "to": ids[0], "sdp": "v=0 answer"})
    answer = await receive_until(a, "answer")
    assert answer["from"] == ids[1] and answer["sdp"] == "v=0 answer"
    candidate = {"candidate": "candidate:1 1 UDP 1 127.0.0.1 5000 typ host", "sdpMid": "0",
                 "sdpMLineIndex": 0}  # fmt: skip
    await a.send_json_to({"type": "candidate", "to": ids[1], "candidate": candidate})
    got = await receive_until(b, "candidate")
    assert got["from"] == ids[0] and got["candidate"] == candidate
    await a.send_json_to({"type": "candidate", "to": ids[1], "candidate": None})
    assert (await receive_until(b, "candidate"))["candidate"] is None
    # C saw the joins but none of the pair's signaling.
    frames = []
    while not await c.receive_nothing(timeout=0.3):
        frames.append(await c.receive_json_from())
    assert {f["type"] for f in frames} <= {"peer-joined"}


async def test_targets_outside_this_sessions_call_are_refused(call_connect):
    session_id, (ada, ben) = await make_session(2)
    other_id, (zed,) = await make_session(1)
    a, *_ = await call_connect(ada, session_id)
    b, *_ = await call_connect(ben, session_id)
    z, *_ = await call_connect(zed, other_id)
    await join(a)
    stranger = (await join(z))["you"]
    me = None
    for target in (stranger, "p-nobody", 42):
        await a.send_json_to({"type": "offer", "to": target, "sdp": "v=0"})
        error = await receive_until(a, "error")
        assert "participant" in error["message"] or "not in this session" in error["message"]
    assert await z.receive_nothing(timeout=0.3)
    # Not joined yet: no signaling at all; a target that is oneself is refused too.
    await b.send_json_to({"type": "offer", "to": stranger, "sdp": "v=0"})
    assert "Join the call" in (await receive_until(b, "error"))["message"]
    me = (await join(b))["you"]
    await b.send_json_to({"type": "offer", "to": me, "sdp": "v=0"})
    assert (await receive_until(b, "error"))["type"] == "error"
    await a.send_json_to({"type": "ping"})
    assert (await receive_until(a, "pong"))["type"] == "pong"


@pytest.mark.parametrize(
    "frame, needle",
    [
        ("{not json", "Malformed JSON"),
        ("[1, 2]", "JSON object"),
        ('{"type": "dance"}', "Unknown message type"),
        ('{"type": "join", "media": {"audio": "yes"}}', "true or false"),
        ('{"type": "join", "media": {"smell": true}}', "Unknown media kind"),
        ('{"type": "join", "media": []}', "media must be an object"),
        ("x" * (65 * 1024), "too large"),
    ],
)
async def test_bad_frames_get_an_error_and_keep_the_socket(call_connect, frame, needle):
    session_id, (ada,) = await make_session(1)
    a, *_ = await call_connect(ada, session_id)
    await a.send_to(text_data=frame)
    error = await a.receive_json_from()
    assert error["type"] == "error" and needle in error["message"]
    joined = await join(a)
    assert joined["you"].startswith("p")


async def test_bad_signaling_payloads_are_refused(call_connect):
    session_id, (ada, ben) = await make_session(2)
    a, *_ = await call_connect(ada, session_id)
    b, *_ = await call_connect(ben, session_id)
    await join(a)
    target = (await join(b))["you"]
    bad = [
        {"type": "offer", "to": target},
        {"type": "offer", "to": target, "sdp": 12},
        {"type": "answer", "to": target, "sdp": "x" * (49 * 1024)},
        {"type": "candidate", "to": target, "candidate": "candidate:1"},
        {"type": "candidate", "to": target, "candidate": {"candidate": "c", "sdpMLineIndex": -1}},
        {"type": "candidate", "to": target, "candidate": {"candidate": "c", "sdpMid": 3}},
    ]
    for frame in bad:
        await a.send_json_to(frame)
        assert (await receive_until(a, "error"))["type"] == "error", frame
    frames = []
    while not await b.receive_nothing(timeout=0.3):
        frames.append(await b.receive_json_from())
    assert not [f for f in frames if f["type"] in ("offer", "answer", "candidate")]


async def test_a_flood_is_cut_with_one_error_and_the_socket_survives(call_connect, settings):
    settings.CALL_RATE_BURST, settings.CALL_RATE_PER_SECOND = 20, 2
    session_id, (ada,) = await make_session(1)
    a, *_ = await call_connect(ada, session_id)
    for _ in range(200):
        await a.send_to(text_data=json.dumps({"type": "ping"}))
    frames = []
    while not await a.receive_nothing(timeout=1):
        frames.append(await a.receive_json_from(timeout=10))
    pongs = [f for f in frames if f["type"] == "pong"]
    errors = [f for f in frames if f["type"] == "error"]
    assert len(errors) == 1 and "Too many messages" in errors[0]["message"]
    assert 20 <= len(pongs) < 100  # the burst got through, most of the rest was dropped
    await asyncio.sleep(1)  # let the bucket refill
    await a.send_json_to({"type": "ping"})
    assert (await a.receive_json_from(timeout=10))["type"] == "pong"


async def test_non_members_and_anonymous_users_are_refused(call_connect):
    from django.contrib.auth.models import AnonymousUser

    session_id, _ = await make_session(1)
    outsider = await sync_to_async(UserFactory)()
    _, connected, code = await call_connect(outsider, session_id)
    assert not connected and code == 4403
    _, connected, code = await call_connect(AnonymousUser(), session_id)
    assert not connected and code == 4403


async def test_leave_and_disconnect_leave_for_everyone_at_once(call_connect):
    session_id, (ada, ben, cy) = await make_session()
    a, *_ = await call_connect(ada, session_id)
    b, *_ = await call_connect(ben, session_id)
    c, *_ = await call_connect(cy, session_id)
    id_a, id_b, id_c = [(await join(sock))["you"] for sock in (a, b, c)]
    await a.send_json_to({"type": "leave"})
    assert (await receive_until(a, "left"))["type"] == "left"
    for sock in (b, c):
        gone = await receive_until(sock, "peer-left")
        assert gone == {"type": "peer-left", "id": id_a, "reason": "left"}
    await b.disconnect(code=1001)  # the page was closed
    gone = await receive_until(c, "peer-left")
    assert gone["id"] == id_b
    assert set(await call_participants(session_id=session_id)) == {id_c}


@pytest.mark.parametrize("code", [1006, 4001], ids=["network-drop", "client-reconnecting"])
async def test_a_dropped_socket_resumes_the_same_participant(call_connect, settings, code):
    settings.CALL_RECONNECT_GRACE_SECONDS = 30
    session_id, (ada, ben) = await make_session(2)
    a, *_ = await call_connect(ada, session_id)
    b, *_ = await call_connect(ben, session_id)
    id_a = (await join(a, VIDEO))["you"]
    id_b = (await join(b))["you"]
    await a.disconnect(code=1006)  # network drop: no goodbye
    assert (
        await b.receive_nothing(timeout=0.3) or (await b.receive_json_from())["type"] != "peer-left"
    )
    state = (await call_participants(session_id=session_id))[id_a]
    assert state["gone_at"] is not None
    # Someone else cannot take the place over.
    c, *_ = await call_connect(ben, session_id)
    hijack = await join(c, participant=id_a)
    assert hijack["you"] not in (id_a, id_b) and hijack["resumed"] is False
    await c.send_json_to({"type": "leave"})
    await receive_until(c, "left")
    # The owner comes back within the grace and keeps its id, media and video place.
    a2, *_ = await call_connect(ada, session_id)
    back = await join(a2, AUDIO, participant=id_a)
    assert back["you"] == id_a and back["resumed"] is True
    assert back["media"] == VIDEO and back["videoAllowed"] is True
    assert [p["id"] for p in back["peers"]] == [id_b]
    rejoined = await receive_until(b, "peer-joined")
    while rejoined["peer"]["id"] != id_a:
        rejoined = await receive_until(b, "peer-joined")
    assert rejoined["resumed"] is True and rejoined["peer"]["reconnecting"] is False
    await b.send_json_to({"type": "offer", "to": id_a, "sdp": "v=0 restart"})
    assert (await receive_until(a2, "offer"))["from"] == id_b


async def test_a_place_nobody_comes_back_for_expires(call_connect, settings):
    settings.CALL_RECONNECT_GRACE_SECONDS = 0
    session_id, (ada, ben) = await make_session(2)
    a, *_ = await call_connect(ada, session_id)
    b, *_ = await call_connect(ben, session_id)
    id_a = (await join(a))["you"]
    await join(b)
    await a.disconnect(code=1006)
    gone = await receive_until(b, "peer-left")
    assert gone == {"type": "peer-left", "id": id_a, "reason": "timeout"}
    a2, *_ = await call_connect(ada, session_id)
    back = await join(a2, participant=id_a)
    assert back["you"] != id_a and back["resumed"] is False


async def test_media_state_is_broadcast_and_video_is_capped(call_connect, settings):
    settings.CALL_VIDEO_MEMBER_LIMIT = 1
    session_id, (ada, ben) = await make_session(2)
    a, *_ = await call_connect(ada, session_id)
    b, *_ = await call_connect(ben, session_id)
    id_a = (await join(a, VIDEO))["you"]
    joined_b = await join(b, VIDEO)
    assert joined_b["media"] == AUDIO and joined_b["videoAllowed"] is False
    assert "audio only" in joined_b["notice"]
    await b.send_json_to({"type": "media", "media": {"screen": True}})
    assert "limited to 1" in (await receive_until(b, "error"))["message"]
    await a.send_json_to({"type": "media", "media": {"audio": False}})
    ack = await receive_until(a, "media-state")
    assert ack["media"] == {"audio": False, "video": True, "screen": False}
    update = await receive_until(b, "peer-media")
    assert update == {"type": "peer-media", "id": id_a, "media": ack["media"]}
    await a.send_json_to({"type": "leave"})
    await receive_until(b, "peer-left")
    await b.send_json_to({"type": "media", "media": {"video": True}})
    ack = await receive_until(b, "media-state")
    assert ack["media"]["video"] is True and ack["videoAllowed"] is True
