"""Sessions: created from the API and the challenge page, joined by invite, members only."""

from __future__ import annotations

import pytest

from sessions_app.models import CodingSession, Membership
from sessions_app.ot.storage import document_get

pytestmark = pytest.mark.django_db


def test_api_creates_a_session_seeded_with_starter_code(api_client, user, challenge):
    api_client.force_authenticate(user)
    response = api_client.post(
        "/api/sessions/", {"challenge": challenge.pk, "language": "python"}, format="json"
    )
    assert response.status_code == 201
    data = response.json()
    session = CodingSession.objects.get(pk=data["id"])
    assert data["invite_url"].endswith(session.get_invite_path())
    assert data["invite_url"].startswith("http://testserver/s/")
    assert (
        document_get(collection="code", doc_id=session.id).data
        == "a, b = map(int, input().split())\n"
    )


def test_session_ids_are_short_and_unguessable(user, session_factory):
    ids = {session_factory(owner=user).id for _ in range(5)}
    assert len(ids) == 5 and all(len(i) == 12 for i in ids)


def test_api_rejects_a_language_the_challenge_does_not_offer(api_client, user, challenge):
    api_client.force_authenticate(user)
    response = api_client.post(
        "/api/sessions/", {"challenge": challenge.pk, "language": "cobol"}, format="json"
    )
    assert response.status_code == 400
    assert "cobol" in response.json()["language"][0]


def test_api_refuses_unpublished_challenges_to_learners(api_client, user):
    from tests.factories import ChallengeFactory

    draft = ChallengeFactory(published=False)
    api_client.force_authenticate(user)
    response = api_client.post(
        "/api/sessions/", {"challenge": draft.pk, "language": "python"}, format="json"
    )
    assert response.status_code == 400


def test_challenge_page_starts_a_session(client, user, challenge):
    client.force_login(user)
    response = client.post(f"/challenges/{challenge.slug}/start/", {"language": "python"})
    session = CodingSession.objects.get()
    assert response["Location"] == session.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


def test_invite_link_joins_and_non_members_get_404(client, user, other_user, session_factory):
    session = session_factory(owner=user)
    client.force_login(other_user)
    assert client.get(session.get_absolute_url()).status_code == 404
    assert client.get(f"/api/sessions/{session.id}/").status_code == 404
    response = client.post(session.get_invite_path())
    assert response.status_code == 302
    assert Membership.objects.filter(session=session, user=other_user).exists()
    html = client.get(session.get_absolute_url()).content.decode()
    assert 'id="editor"' in html and other_user.username in html
    assert client.get(f"/api/sessions/{session.id}/").status_code == 200


def test_a_wrong_invite_token_is_refused(client, user, other_user, session_factory):
    session = session_factory(owner=user)
    client.force_login(other_user)
    assert client.get(f"/s/{session.id}/join/not-the-token/").status_code == 404
    assert not Membership.objects.filter(session=session, user=other_user).exists()


def test_anonymous_visitors_are_sent_to_log_in_first(client, user, session_factory):
    session = session_factory(owner=user)
    response = client.post(session.get_invite_path())
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
