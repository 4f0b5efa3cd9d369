"""Issue 13 point 6: the invite landing page, and what the owner controls (link, members, status)."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections

from sessions_app.close_codes import CLOSE_NOT_ALLOWED
from sessions_app.models import Membership, MembershipEvent, SessionStatus
from sessions_app.ot.hub import get_hub
from sessions_app.services import (
    SessionError,
    session_join,
    session_member_remove,
    session_status_set,
)
from tests.factories import UserFactory

TIMEOUT = 15  # a hang guard, not a speed check


def api(session, tail: str = "") -> str:
    return f"/api/sessions/{session.id}/{tail}"


# --- The invite link's landing page ------------------------------------------------------------


@pytest.mark.django_db
def test_the_invite_page_says_who_invites_to_what_and_a_get_joins_nobody(
    client, user, other_user, session_factory
):
    session = session_factory(owner=user)
    client.force_login(other_user)
    response = client.get(session.get_invite_path())
    html = response.content.decode()
    assert response.status_code == 200
    assert f"{user.username} invites you to solve {session.challenge.title}" in html
    assert "data-join" in html and 'method="post"' in html
    assert not Membership.objects.filter(session=session, user=other_user).exists()
    response = client.post(session.get_invite_path())
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    assert Membership.objects.filter(session=session, user=other_user).exists()
    assert client.get(session.get_invite_path())["Location"] == session.get_absolute_url()


@pytest.mark.django_db
def test_a_logged_out_invitee_signs_up_or_logs_in_and_comes_back(
    client, user, other_user, password, session_factory
):
    session = session_factory(owner=user)
    invite = session.get_invite_path()
    html = client.get(invite).content.decode()
    assert f"/accounts/signup/?next={invite.replace('/', '%2F')}" in html
    assert f"/accounts/login/?next={invite.replace('/', '%2F')}" in html
    assert client.post(invite)["Location"].startswith("/accounts/login/?next=")  # no join
    assert Membership.objects.filter(session=session).count() == 1

    signed_up = client.post(
        f"/accounts/signup/?next={invite}",
        {"username": "newbie", "password1": "a-long-pass-phrase-42",
         "password2": "a-long-pass-phrase-42"},
    )  # fmt: skip
    assert signed_up["Location"] == invite
    client.post("/accounts/logout/")
    logged_in = client.post(
        "/accounts/login/",
        {"username": other_user.username, "password": password, "next": invite},
    )
    assert logged_in["Location"] == invite
    assert not Membership.objects.filter(session=session, user=other_user).exists()


@pytest.mark.django_db
def test_a_wrong_token_is_the_same_404_as_a_missing_session(client, user, session_factory):
    session = session_factory(owner=user)
    wrong = client.get(f"/s/{session.id}/join/not-the-token/")
    missing = client.get("/s/nosuchsession/join/whatever/")
    assert wrong.status_code == missing.status_code == 404
    assert client.post(f"/s/{session.id}/join/not-the-token/").status_code == 404


# --- Rotating the link --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_owner_rotates_the_link_and_the_old_one_stops_working(
    client, api_client, user, other_user, session_factory
):
    session = session_factory(owner=user)
    old = session.get_invite_path()
    session_join(session=session, user=other_user)
    api_client.force_authenticate(other_user)
    refused = api_client.post(api(session, "invite/"))
    assert refused.status_code == 403 and "owner" in refused.json()["detail"]
    api_client.force_authenticate(user)
    new_url = api_client.post(api(session, "invite/")).json()["invite_url"]
    assert old not in new_url and new_url.endswith("/")
    newcomer = UserFactory()
    client.force_login(newcomer)
    assert client.get(old).status_code == 404 and client.post(old).status_code == 404
    assert client.post(new_url.removeprefix("http://testserver")).status_code == 302
    assert Membership.objects.filter(session=session, user=newcomer).exists()
    assert Membership.objects.filter(session=session, user=other_user).exists()  # stays


# --- Removing a member, leaving ------------------------------------------------------------------


@pytest.mark.django_db
def test_only_the_owner_removes_and_the_removed_lose_access(
    client, api_client, user, other_user, session_factory
):
    session = session_factory(owner=user)
    third = UserFactory()
    for member in (other_user, third):
        session_join(session=session, user=member)
    api_client.force_authenticate(third)
    assert api_client.delete(api(session, f"members/{other_user.username}/")).status_code == 403
    api_client.force_authenticate(user)
    assert api_client.delete(api(session, f"members/{user.username}/")).status_code == 400
    assert api_client.delete(api(session, "members/nobody/")).status_code == 400
    assert api_client.delete(api(session, f"members/{other_user.username}/")).status_code == 204

    client.force_login(other_user)
    assert client.get(session.get_absolute_url()).status_code == 404
    assert client.get(api(session)).status_code == 404
    # The old link does not bring them back; a replaced one does.
    refused = client.post(session.get_invite_path())
    assert refused.status_code == 403 and "removed you" in refused.content.decode()
    api_client.post(api(session, "invite/"))
    session.refresh_from_db()
    assert client.post(session.get_invite_path()).status_code == 302
    kinds = list(
        MembershipEvent.objects.filter(session=session, user=other_user).values_list("kind", "by")
    )
    assert kinds == [("joined", None), ("removed", user.pk), ("joined", None)]


@pytest.mark.django_db
def test_a_member_leaves_and_the_owner_cannot(api_client, user, other_user, session_factory):
    session = session_factory(owner=user)
    session_join(session=session, user=other_user)
    api_client.force_authenticate(user)
    assert api_client.post(api(session, "leave/")).status_code == 400
    api_client.force_authenticate(other_user)
    assert api_client.post(api(session, "leave/")).status_code == 204
    assert not Membership.objects.filter(session=session, user=other_user).exists()
    assert MembershipEvent.objects.filter(user=other_user, kind="left").exists()


async def _closed_with(communicator: WebsocketCommunicator) -> int:
    """Skip frames until the socket closes; its close code."""
    while True:
        output = await communicator.receive_output(timeout=TIMEOUT)
        if output["type"] == "websocket.close":
            return output.get("code")


@pytest.mark.django_db(transaction=True)
async def test_removing_a_member_closes_every_socket_of_theirs_at_once(
    session_factory, session_socket
):
    owner, guest = await sync_to_async(UserFactory)(), await sync_to_async(UserFactory)()
    session = await sync_to_async(session_factory)(owner=owner)
    await sync_to_async(session_join)(session=session, user=guest)
    try:
        sockets = {
            feature: await session_socket(guest, f"/ws/sessions/{session.id}/{feature}/")
            for feature in ("terminal", "chat", "call", "presence")
        }
        sockets["ot"] = ot = await session_socket(guest, "/ws/ot/")
        await ot.send_to(text_data=json.dumps({"a": "hs", "id": None, "protocol": 1}))
        await ot.send_to(text_data=json.dumps({"a": "s", "c": "code", "d": session.id}))
        while json.loads(await ot.receive_from(timeout=TIMEOUT)).get("a") != "s":
            pass
        owners_chat = await session_socket(owner, f"/ws/sessions/{session.id}/chat/")

        await sync_to_async(session_member_remove)(session=session, by=owner, user=guest)
        for feature, communicator in sockets.items():
            assert await _closed_with(communicator) == CLOSE_NOT_ALLOWED, feature
        # The owner's socket is untouched.
        await owners_chat.receive_from(timeout=TIMEOUT)  # history
        assert await owners_chat.receive_nothing(timeout=0.3)
        await owners_chat.disconnect()
    finally:
        await get_hub().close()
        await sync_to_async(connections.close_all)()
        from calls.store import _clients  # the call socket's Redis client is this loop's

        for redis in list(_clients.values()):
            await redis.aclose()
        _clients.clear()


# --- Read-only and closed -----------------------------------------------------------------------


@pytest.mark.django_db
def test_only_the_owner_sets_the_status(api_client, user, other_user, session_factory):
    session = session_factory(owner=user)
    session_join(session=session, user=other_user)
    api_client.force_authenticate(other_user)
    assert api_client.patch(api(session), {"status": "closed"}, format="json").status_code == 403
    api_client.force_authenticate(user)
    bad = api_client.patch(api(session), {"status": "gone"}, format="json")
    assert bad.status_code == 400 and "status" in bad.json()
    response = api_client.patch(api(session), {"status": "read_only"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "read_only"
    session.refresh_from_db()
    assert session.status == SessionStatus.READ_ONLY


@pytest.mark.django_db
def test_a_closed_session_takes_no_members_messages_or_calls(
    client, api_client, user, other_user, session_factory
):
    from calls.selectors import call_member_profile

    session = session_factory(owner=user)
    session_status_set(session=session, by=user, status=SessionStatus.CLOSED)
    client.force_login(other_user)
    refused = client.post(session.get_invite_path())
    assert refused.status_code == 403 and "closed" in refused.content.decode()
    api_client.force_authenticate(user)
    sent = api_client.post(api(session, "messages/"), {"body": "hi"}, format="json")
    assert sent.status_code == 400 and "closed" in sent.json()["detail"]
    assert call_member_profile(session_id=session.id, user=user)["closed"] is True
    with pytest.raises(SessionError, match="owner"):
        session_status_set(session=session, by=other_user, status=SessionStatus.OPEN)


async def _ot_socket(session_socket, session, user) -> tuple[WebsocketCommunicator, int]:
    """A fresh editor connection (it asks the access rule anew) and the document's version."""
    ot = await session_socket(user, "/ws/ot/")
    await ot.send_to(text_data=json.dumps({"a": "hs", "id": None, "protocol": 1}))
    await ot.receive_from(timeout=TIMEOUT)
    await ot.send_to(text_data=json.dumps({"a": "s", "c": "code", "d": session.id}))
    return ot, json.loads(await ot.receive_from(timeout=TIMEOUT))["data"]["v"]


async def _ask(ot: WebsocketCommunicator, message: dict) -> dict:
    await ot.send_to(text_data=json.dumps(message))
    return json.loads(await ot.receive_from(timeout=TIMEOUT))


@pytest.mark.django_db(transaction=True)
async def test_a_read_only_session_refuses_edits_and_the_socket_stays(
    session_factory, session_socket
):
    owner = await sync_to_async(UserFactory)()
    session = await sync_to_async(session_factory)(owner=owner)
    try:
        for status, refusal in (("read_only", "read-only"), ("closed", "closed")):
            await sync_to_async(session_status_set)(session=session, by=owner, status=status)
            ot, version = await _ot_socket(session_socket, session, owner)
            op = {"a": "op", "c": "code", "d": session.id, "v": version, "seq": 1, "op": ["x"]}
            reply = await _ask(ot, op)
            assert reply["error"]["code"] == "ERR_OP_SUBMIT_REJECTED"
            assert refusal in reply["error"]["message"]
            fetched = await _ask(ot, {"a": "f", "c": "code", "d": session.id, "v": None})
            assert fetched["data"]["v"] == version  # still usable, nothing stored
            await ot.disconnect()
        await sync_to_async(session_status_set)(session=session, by=owner, status="open")
        ot, version = await _ot_socket(session_socket, session, owner)
        op = {"a": "op", "c": "code", "d": session.id, "v": version, "seq": 1, "op": ["x"]}
        reply = await _ask(ot, op)
        assert "error" not in reply and reply["v"] == version
        await ot.disconnect()
    finally:
        await get_hub().close()
        await sync_to_async(connections.close_all)()


@pytest.mark.django_db
def test_nothing_runs_in_a_closed_session(api_client, user, session_factory):
    session = session_factory(owner=user)
    session_status_set(session=session, by=user, status=SessionStatus.CLOSED)
    api_client.force_authenticate(user)
    response = api_client.post(api(session, "runs/"), {"mode": "push"}, format="json")
    assert response.status_code == 400 and "closed" in response.json()["detail"]
