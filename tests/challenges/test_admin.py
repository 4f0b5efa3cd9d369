"""Staff curate in the admin; nobody else gets in."""

from __future__ import annotations

import pytest

from challenges.models import Challenge
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def test_learners_are_sent_to_the_admin_login(client, user):
    client.force_login(user)
    response = client.get("/admin/challenges/challenge/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_edit_a_challenge_with_inline_test_cases(client, staff_user, challenge):
    client.force_login(staff_user)
    page = client.get(f"/admin/challenges/challenge/{challenge.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "test_cases-0-stdin" in html and "languages-0-starter_code" in html


def test_publish_and_unpublish_actions(client, staff_user):
    drafts = [ChallengeFactory(published=False) for _ in range(2)]
    client.force_login(staff_user)
    response = client.post(
        "/admin/challenges/challenge/",
        {"action": "publish", "_selected_action": [c.pk for c in drafts]},
        follow=True,
    )
    assert "2 challenge(s) published" in response.content.decode()
    assert Challenge.objects.filter(published=True).count() == 2
    client.post(
        "/admin/challenges/challenge/",
        {"action": "unpublish", "_selected_action": [drafts[0].pk]},
    )
    assert not Challenge.objects.get(pk=drafts[0].pk).published


def test_admin_search_and_filters(client, staff_user):
    ChallengeFactory(title="Knapsack Deluxe", difficulty="hard")
    client.force_login(staff_user)
    html = client.get("/admin/challenges/challenge/?q=knapsack&difficulty__exact=hard").content
    assert b"Knapsack Deluxe" in html
