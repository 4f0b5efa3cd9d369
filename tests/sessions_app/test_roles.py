"""Roles: the API, rotation, the live `roles.changed` event, and the OT server enforcing them."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.db import connections
from django.utils import timezone
from rest_framework.test import APIClient

from sessions_app.events import session_group
from sessions_app.models import RoleChange, SessionRoles
from sessions_app.ot.hub import get_hub
from sessions_app.roles import DRIVER_ONLY, session_code_access, session_roles_rotate_due
from sessions_app.services import session_join
from tests.factories import UserFactory
from tests.sessions_app.test_ot_consumer import HS, ask, connect  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def trio(session_factory):
    """A session of owner, alice and bob (joined in that order), with an API client each."""
    owner, alice, bob = UserFactory(), UserFactory(), UserFactory()
    session = session_factory(owner=owner)
    for user in (alice, bob):
        session_join(session=session, user=user)
    clients = {}
    for name, user in (("owner", owner), ("alice", alice), ("bob", bob)):
        clients[name] = APIClient()
        clients[name].force_authenticate(user)
    names = {"owner": owner.username, "alice": alice.username, "bob": bob.username}
    return session, clients, names


def roles_url(session_id: str) -> str:
    return f"/api/sessions/{session_id}/roles/"


class EventListener:
    """A channel in the session's presence group, as the room's presence socket has."""

    def __init__(self, session_id: str) -> None:
        self.layer = get_channel_layer()
        self.group = session_group(session_id, "presence")
        self.channel = async_to_sync(self.layer.new_channel)()
        async_to_sync(self.layer.group_add)(self.group, self.channel)

    def next(self) -> dict:
        async def receive():
            return await asyncio.wait_for(self.layer.receive(self.channel), 5)

        return async_to_sync(receive)()["event"]


def test_free_mode_is_the_default(trio):
    session, clients, names = trio
    roles = clients["bob"].get(roles_url(session.id)).json()
    assert roles["mode"] == "free" and roles["driver"] is None
    assert roles["members"] == [names["owner"], names["alice"], names["bob"]]


def test_owner_switches_to_driver_mode_and_members_are_told(trio):
    session, clients, names = trio
    listener = EventListener(session.id)
    response = clients["owner"].patch(roles_url(session.id), {"mode": "driver"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["mode"] == "driver" and response.json()["driver"] == names["owner"]
    event = listener.next()
    assert event["type"] == "roles.changed" and event["reason"] == "mode"
    assert event["roles"]["driver"] == names["owner"] and event["by"] == names["owner"]
    stored = SessionRoles.objects.get(session=session)
    assert stored.mode == "driver" and stored.driver.username == names["owner"]


def test_only_the_owner_switches_modes_and_sets_the_rotation(trio):
    session, clients, _ = trio
    for body in ({"mode": "driver"}, {"rotation_minutes": 5}):
        response = clients["alice"].patch(roles_url(session.id), body, format="json")
        assert response.status_code == 403
        assert "Only the session's owner" in response.json()["detail"]
    assert not SessionRoles.objects.filter(session=session, mode="driver").exists()


def test_keyboard_request_then_hand_over_by_the_driver(trio):
    session, clients, names = trio
    clients["owner"].patch(
        roles_url(session.id), {"mode": "driver", "driver": names["alice"]}, format="json"
    )
    asked = clients["bob"].patch(roles_url(session.id), {"request_keyboard": True}, format="json")
    assert asked.status_code == 200 and asked.json()["requests"] == [names["bob"]]
    # Bob is no driver: he cannot hand the keyboard to himself.
    refused = clients["bob"].patch(roles_url(session.id), {"driver": names["bob"]}, format="json")
    assert refused.status_code == 403
    handed = clients["alice"].patch(roles_url(session.id), {"driver": names["bob"]}, format="json")
    assert handed.status_code == 200
    assert handed.json()["driver"] == names["bob"] and handed.json()["requests"] == []
    reasons = list(RoleChange.objects.filter(session=session).values_list("reason", flat=True))
    assert reasons == ["mode", "handover"]


def test_bad_role_changes_are_refused_with_a_reason(trio):
    session, clients, names = trio
    free_driver = clients["owner"].patch(
        roles_url(session.id), {"driver": names["bob"]}, format="json"
    )
    assert free_driver.status_code == 400 and "driver mode" in free_driver.json()["detail"]
    clients["owner"].patch(roles_url(session.id), {"mode": "driver"}, format="json")
    stranger = clients["owner"].patch(roles_url(session.id), {"driver": "nobody"}, format="json")
    assert stranger.status_code == 400 and "not a member" in stranger.json()["detail"]
    too_long = clients["owner"].patch(
        roles_url(session.id), {"rotation_minutes": 999}, format="json"
    )
    assert too_long.status_code == 400
    empty = clients["owner"].patch(roles_url(session.id), {}, format="json")
    assert empty.status_code == 400


def test_non_members_get_the_404_of_a_missing_session(trio):
    session, _, _ = trio
    outsider = APIClient()
    outsider.force_authenticate(UserFactory())
    assert outsider.get(roles_url(session.id)).status_code == 404
    assert outsider.patch(roles_url(session.id), {"mode": "free"}, format="json").status_code == 404
    assert outsider.get(f"/api/sessions/{session.id}/stats/").status_code == 404


def test_rotation_passes_the_keyboard_in_joining_order(trio):
    session, clients, names = trio
    clients["owner"].patch(
        roles_url(session.id), {"mode": "driver", "rotation_minutes": 10}, format="json"
    )
    roles = SessionRoles.objects.get(session=session)
    assert roles.next_rotation_at > timezone.now() + dt.timedelta(minutes=9)
    # Ten minutes and a second later (two rotations due would be alice then bob).
    due = timezone.now() - dt.timedelta(seconds=1)
    SessionRoles.objects.filter(session=session).update(next_rotation_at=due)
    assert clients["bob"].get(roles_url(session.id)).json()["driver"] == names["alice"]
    listener = EventListener(session.id)
    assert session_roles_rotate_due() == 1
    assert session_roles_rotate_due() == 0, "nothing is due twice"
    event = listener.next()
    assert event["reason"] == "rotation" and event["roles"]["driver"] == names["alice"]
    roles.refresh_from_db()
    assert roles.driver.username == names["alice"]
    assert roles.next_rotation_at == due + dt.timedelta(minutes=10)
    rotation = RoleChange.objects.filter(session=session, reason="rotation").get()
    assert rotation.created_at == due and rotation.driver.username == names["alice"]


def test_a_due_rotation_moves_the_right_to_edit_before_it_is_stored(trio):
    """The OT server's access rule applies a due rotation itself (beat may be late)."""
    session, clients, names = trio
    clients["owner"].patch(
        roles_url(session.id), {"mode": "driver", "rotation_minutes": 1}, format="json"
    )
    owner, alice = session.owner, session.members.get(username=names["alice"])
    assert session_code_access(session_id=session.id, user=owner).edit_refusal is None
    assert session_code_access(session_id=session.id, user=alice).edit_refusal == DRIVER_ONLY
    # Two periods and a bit have passed: owner -> alice -> bob.
    due = timezone.now() - dt.timedelta(minutes=1, seconds=5)
    SessionRoles.objects.filter(session=session).update(next_rotation_at=due)
    bob = session.members.get(username=names["bob"])
    assert session_code_access(session_id=session.id, user=bob).edit_refusal is None
    for user in (owner, alice):
        assert session_code_access(session_id=session.id, user=user).edit_refusal == DRIVER_ONLY
    assert session_roles_rotate_due() == 1
    reasons = RoleChange.objects.filter(session=session, reason="rotation")
    assert [change.driver.username for change in reasons] == [names["alice"], names["bob"]]


def test_in_driver_mode_only_the_driver_restores_a_version(trio):
    session, clients, names = trio
    clients["owner"].patch(roles_url(session.id), {"mode": "driver"}, format="json")
    restore = f"/api/sessions/{session.id}/restore/"
    refused = clients["alice"].post(restore, {"version": 1}, format="json")
    assert refused.status_code == 400
    assert DRIVER_ONLY in refused.json()["detail"]
    assert clients["owner"].post(restore, {"version": 1}, format="json").status_code == 200


def test_free_mode_clears_the_driver_and_the_requests(trio):
    session, clients, names = trio
    clients["owner"].patch(roles_url(session.id), {"mode": "driver"}, format="json")
    clients["bob"].patch(roles_url(session.id), {"request_keyboard": True}, format="json")
    roles = clients["owner"].patch(roles_url(session.id), {"mode": "free"}, format="json").json()
    assert roles["mode"] == "free" and roles["driver"] is None and roles["requests"] == []


# --- the OT server enforces the roles -------------------------------------------------------


@pytest.fixture
async def _hub_cleanup():
    yield
    await get_hub().close()
    await sync_to_async(connections.close_all)()


def _cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


async def _op_until(ws, session_id: str, version: int, seq: int, *, accepted: bool) -> dict:
    """Submit ops until one is accepted (or refused); role changes reach the server at once,
    but travel through Redis, so allow them a second."""
    deadline = asyncio.get_running_loop().time() + 1.0
    while True:
        request = {"a": "op", "c": "code", "d": session_id, "v": version, "seq": seq}
        reply = await ask(ws, {**request, "op": [f"{seq}"]})
        if ("error" not in reply) == accepted or asyncio.get_running_loop().time() > deadline:
            return reply
        seq += 1
        if "error" not in reply:
            version += 1
        await asyncio.sleep(0.05)


async def test_only_the_driver_edits_and_the_navigators_socket_stays_usable(
    session_factory,
    _hub_cleanup,
    connect,  # noqa: F811
):
    owner, navigator = await sync_to_async(UserFactory)(), await sync_to_async(UserFactory)()
    session = await sync_to_async(session_factory)(owner=owner)
    await sync_to_async(session_join)(session=session, user=navigator)
    driver_ws, nav_ws = (
        await connect(await sync_to_async(_cookie)(owner)),
        await connect(await sync_to_async(_cookie)(navigator)),
    )
    for ws in (driver_ws, nav_ws):
        await ask(ws, HS)
        await ask(ws, {"a": "f", "c": "code", "d": session.id, "v": None})
    api = APIClient()
    await sync_to_async(api.force_authenticate)(owner)
    patch = sync_to_async(api.patch)
    await patch(roles_url(session.id), {"mode": "driver"}, format="json")

    refused = await _op_until(nav_ws, session.id, 1, 1, accepted=False)
    assert refused["error"] == {
        "code": "ERR_OP_SUBMIT_REJECTED",
        "message": "only the driver edits now",
    }
    ch = f"code.{session.id}"
    caret = await ask(nav_ws, {"a": "p", "ch": ch, "id": "n", "p": {"start": 0, "end": 0}, "pv": 0})
    assert "error" not in caret, "a navigator's cursor still shows"
    accepted = await ask(
        driver_ws, {"a": "op", "c": "code", "d": session.id, "v": 1, "seq": 1, "op": ["D"]}
    )
    assert "error" not in accepted and accepted["v"] == 1

    # The owner gives the keyboard to the navigator: the same socket may now edit.
    await patch(roles_url(session.id), {"driver": navigator.username}, format="json")
    now_driving = await _op_until(nav_ws, session.id, 2, 50, accepted=True)
    assert "error" not in now_driving
    back_seat = await _op_until(driver_ws, session.id, now_driving["v"] + 1, 2, accepted=False)
    assert back_seat["error"]["message"] == "only the driver edits now"

    await patch(roles_url(session.id), {"mode": "free"}, format="json")
    free = await _op_until(driver_ws, session.id, now_driving["v"] + 1, 10, accepted=True)
    assert "error" not in free
    for ws in (driver_ws, nav_ws):
        await ws.disconnect()
    assert json.dumps(free)  # the replies are plain JSON frames
