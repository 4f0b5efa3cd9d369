"""Catalogue pages and API: learners see published challenges and sample tests only."""

from __future__ import annotations

import re

import pytest

from challenges.models import ChallengeLanguage, TestCase
from execution.models import Run, RunMode
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def test_api_lists_published_challenges_with_the_contract_fields(api_client, challenge):
    ChallengeFactory(published=False, title="Secret Draft")
    response = api_client.get("/api/challenges/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["title"] for r in results] == [challenge.title]
    assert {"id", "slug", "title", "repository", "author", "difficulty", "languages"} <= set(
        results[0]
    )
    assert results[0]["languages"] == ["python"]


def test_staff_see_drafts(api_client, staff_user):
    draft = ChallengeFactory(published=False)
    api_client.force_authenticate(staff_user)
    assert api_client.get(f"/api/challenges/{draft.pk}/").status_code == 200


def test_learners_get_404_for_drafts(api_client, user):
    draft = ChallengeFactory(published=False)
    api_client.force_authenticate(user)
    assert api_client.get(f"/api/challenges/{draft.pk}/").status_code == 404


def test_detail_api_shows_sample_tests_only_and_never_solutions(api_client, user, challenge):
    api_client.force_authenticate(user)
    data = api_client.get(f"/api/challenges/{challenge.pk}/").json()
    assert [t["stdin"] for t in data["test_cases"]] == ["1 2\n"]
    assert "40 2" not in str(data)
    assert "print(a + b)" not in str(data)
    assert data["starter_code"]["python"].startswith("a, b =")


def test_staff_see_hidden_tests_in_the_api(api_client, staff_user, challenge):
    api_client.force_authenticate(staff_user)
    data = api_client.get(f"/api/challenges/{challenge.pk}/").json()
    assert len(data["test_cases"]) == 2


def test_challenge_page_renders_statement_safely_and_hides_hidden_tests(client, challenge):
    challenge.statement = "Hello <script>alert('x')</script> **bold**"
    challenge.save()
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script>alert" not in html
    assert "1 2" in html
    assert "40 2" not in html


def test_catalogue_filters(client):
    easy = ChallengeFactory(difficulty="easy", title="Easy One")
    ChallengeFactory(difficulty="hard", title="Hard One")
    html = client.get("/challenges/?difficulty=easy").content.decode()
    assert easy.title in html and "Hard One" not in html


def test_catalogue_hides_unpublished(client):
    ChallengeFactory(published=False, title="Hidden Draft")
    assert "Hidden Draft" not in client.get("/challenges/").content.decode()


def test_filter_by_test_visibility_uses_sample_flag(challenge):
    assert TestCase.objects.filter(challenge=challenge, is_sample=True).count() == 1


def test_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/challenges/" in schema.content and b"/api/sessions/" in schema.content
    assert client.get("/api/docs/").status_code == 200


def test_a_leading_title_heading_is_not_shown_twice(client, challenge):
    challenge.statement = f"# {challenge.title}\n\nFind the answer.\n\n# Notes\n"
    challenge.save()
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert html.count(f">{challenge.title}<") == 1
    assert "<h1>Notes</h1>" in html


def _preselected_language(client, challenge) -> list[str]:
    html = client.get(challenge.get_absolute_url()).content.decode()
    return re.findall(r'<option value="(\w+)" selected>', html)


def _offer(challenge, *languages):
    for language in languages:
        ChallengeLanguage.objects.create(challenge=challenge, language=language)


def test_challenge_page_preselects_python_for_a_newcomer_not_alphabetical_cpp(client, user):
    challenge = ChallengeFactory()
    _offer(challenge, "cpp", "javascript")
    client.force_login(user)
    assert _preselected_language(client, challenge) == ["python"]


def test_challenge_page_preselects_the_last_used_language(client, user, session_factory):
    challenge = ChallengeFactory()
    _offer(challenge, "cpp", "javascript")
    earlier = session_factory(owner=user, language="python")
    client.force_login(user)

    Run.objects.create(session=earlier, user=user, mode=RunMode.RUN, language="javascript")
    assert _preselected_language(client, challenge) == ["javascript"]

    other = ChallengeFactory()
    _offer(other, "cpp")
    session_factory(owner=user, challenge=other, language="cpp")  # newer than the run
    assert _preselected_language(client, challenge) == ["cpp"]


def test_a_last_used_language_the_challenge_lacks_falls_back_to_python(
    client, user, session_factory
):
    other = ChallengeFactory()
    _offer(other, "cpp")
    session = session_factory(owner=user, challenge=other, language="cpp")
    Run.objects.create(session=session, user=user, mode=RunMode.RUN, language="cpp")
    only_python = ChallengeFactory()
    client.force_login(user)
    assert _preselected_language(client, only_python) == ["python"]
