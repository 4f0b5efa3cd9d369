"""GET/POST /api/sessions/<session_id>/messages/: history, paging, DMs, permissions, bad input."""

from __future__ import annotations

import pytest

from chat.models import MESSAGE_MAX_LENGTH, Message
from chat.services import message_send

pytestmark = pytest.mark.django_db


def url(room) -> str:
    return f"/api/sessions/{room.session.id}/messages/"


def test_post_a_message_then_read_it_back(api_client, room):
    api_client.force_authenticate(room.alice)
    response = api_client.post(url(room), {"body": "Hello **@bob**"}, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["author"] == "alice" and data["to"] is None and data["mentions"] == ["bob"]
    assert data["body"] == "Hello **@bob**"
    assert data["html"] == '<p>Hello <strong><span class="mention">@bob</span></strong></p>'
    assert data["color"].startswith("#") and data["created_at"]

    api_client.force_authenticate(room.bob)
    history = api_client.get(url(room)).json()
    assert history["has_more"] is False
    assert history["results"] == [data]


def test_history_is_newest_last_and_pages_back_by_id(api_client, room, settings):
    settings.CHAT_RATE_LIMIT_MESSAGES = 1000
    ids = [message_send(session=room.session, author=room.bob, body=f"n{i}").pk for i in range(60)]
    api_client.force_authenticate(room.alice)
    first = api_client.get(url(room)).json()
    assert [m["id"] for m in first["results"]] == ids[-50:] and first["has_more"] is True
    older = api_client.get(url(room), {"before": first["results"][0]["id"]}).json()
    assert [m["id"] for m in older["results"]] == ids[:10] and older["has_more"] is False
    small = api_client.get(url(room), {"before": ids[30], "limit": 3}).json()
    assert [m["body"] for m in small["results"]] == ["n27", "n28", "n29"]


def test_direct_messages_are_invisible_to_third_members(api_client, room):
    api_client.force_authenticate(room.alice)
    response = api_client.post(url(room), {"body": "secret", "recipient": "bob"}, format="json")
    assert response.status_code == 201 and response.json()["to"] == "bob"
    api_client.post(url(room), {"body": "public"}, format="json")

    def bodies(user):
        api_client.force_authenticate(user)
        return [m["body"] for m in api_client.get(url(room)).json()["results"]]

    assert bodies(room.alice) == ["secret", "public"]
    assert bodies(room.bob) == ["secret", "public"]
    assert bodies(room.carol) == ["public"]


def test_non_members_can_neither_read_nor_send(api_client, room):
    message_send(session=room.session, author=room.alice, body="members only")
    api_client.force_authenticate(room.outsider)
    assert api_client.get(url(room)).status_code == 404
    assert api_client.post(url(room), {"body": "hi"}, format="json").status_code == 404
    api_client.force_authenticate(None)
    assert api_client.get(url(room)).status_code == 403
    assert api_client.post(url(room), {"body": "hi"}, format="json").status_code == 403
    assert Message.objects.count() == 1


def test_unknown_session_is_refused(api_client, room):
    api_client.force_authenticate(room.alice)
    assert api_client.get("/api/sessions/nosuchsession/messages/").status_code == 404


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ({"body": ""}, "empty"),
        ({"body": "  \n "}, "empty"),
        ({"body": "x" * (MESSAGE_MAX_LENGTH + 1)}, "too long"),
        ({}, "required"),
        ({"body": None}, "null"),
        ({"body": ["a", "list"]}, "valid string"),
        ({"body": {"an": "object"}}, "valid string"),
        ({"body": "hi", "recipient": "nobody"}, "nobody is not a member"),
        ({"body": "hi", "recipient": "outsider"}, "outsider is not a member"),
        ({"body": "hi", "recipient": "alice"}, "yourself"),
    ],
)
def test_bad_messages_get_a_clear_400(api_client, room, payload, error):
    api_client.force_authenticate(room.alice)
    response = api_client.post(url(room), payload, format="json")
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Message.objects.exists()


def test_malformed_json_is_a_400(api_client, room):
    api_client.force_authenticate(room.alice)
    response = api_client.generic("POST", url(room), "{not json", content_type="application/json")
    assert response.status_code == 400 and "JSON parse error" in response.json()["detail"]


@pytest.mark.parametrize("query", [{"before": "abc"}, {"before": "0"}, {"limit": "1000"}])
def test_bad_history_parameters_are_a_400(api_client, room, query):
    api_client.force_authenticate(room.alice)
    assert api_client.get(url(room), query).status_code == 400


def test_flooding_through_the_api_gets_429_and_others_still_post(api_client, room, settings):
    settings.CHAT_RATE_LIMIT_MESSAGES = 2
    api_client.force_authenticate(room.alice)
    statuses = [
        api_client.post(url(room), {"body": f"m{i}"}, format="json").status_code for i in range(4)
    ]
    assert statuses == [201, 201, 429, 429]
    api_client.force_authenticate(room.bob)
    assert api_client.post(url(room), {"body": "fine"}, format="json").status_code == 201
