"""The index follows the admin and pack imports through a real Celery worker.

Changes commit for real (transactional tests); the signal processor queues tasks on Redis and
the worker subprocess (tests/live.py) writes the session's shared Whoosh index, which this test
process then searches. Polls with a generous hang guard; nothing here times anything.
"""

from __future__ import annotations

import time

import pytest

from challenges.models import Challenge
from challenges.services import challenges_import
from search.engine import WhooshEngine
from search.selectors import challenge_search
from tests.factories import RepositoryFactory
from tests.live import live_search_path
from tests.search.conftest import write_pack

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(300)]

HANG_GUARD_SECONDS = 90


@pytest.fixture
def live_index(settings, live_logs, live_celery_worker):
    """Search the index the worker writes (index tasks go to its own queue, see conftest)."""
    settings.HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
            "PATH": str(live_search_path(live_logs)),
        }
    }
    WhooshEngine.current()  # create the index here first, never racing the worker for it


def found(query: str, user) -> set[str]:
    return {hit.challenge.slug for hit in challenge_search(user=user, query=query).results}


def eventually(check, what: str) -> None:
    deadline = time.monotonic() + HANG_GUARD_SECONDS
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"the index never showed: {what}")
        time.sleep(0.2)


def admin_form(challenge: Challenge | None = None, **changes) -> dict:
    """The admin change form as a browser posts it (inline languages and test cases included)."""
    data = {
        "repository": "", "title": "", "slug": "", "author": "ada", "position": 0,
        "statement": "Print the input.", "difficulty": "easy", "time_limit_ms": 2000,
        "memory_limit_mb": 256, "comparison": "trailing_whitespace", "tolerance": 1e-6,
        "languages-TOTAL_FORMS": 1, "languages-INITIAL_FORMS": 0,
        "languages-MIN_NUM_FORMS": 0, "languages-MAX_NUM_FORMS": 1000,
        "languages-0-language": "python", "languages-0-starter_code": "",
        "languages-0-solution": "print(input())",
        "test_cases-TOTAL_FORMS": 0, "test_cases-INITIAL_FORMS": 0,
        "test_cases-MIN_NUM_FORMS": 0, "test_cases-MAX_NUM_FORMS": 1000,
        "validator_files-TOTAL_FORMS": 0, "validator_files-INITIAL_FORMS": 0,
        "validator_failures-TOTAL_FORMS": 0, "validator_failures-INITIAL_FORMS": 0,
    }  # fmt: skip
    if challenge is not None:
        language = challenge.languages.get()
        data |= {
            "repository": challenge.repository_id, "title": challenge.title,
            "slug": challenge.slug, "author": challenge.author, "statement": challenge.statement,
            "difficulty": challenge.difficulty, "languages-INITIAL_FORMS": 1,
            "languages-0-id": language.pk, "languages-0-challenge": challenge.pk,
        }  # fmt: skip
        if challenge.published:
            data["published"] = "on"
    data |= changes
    return {k: v for k, v in data.items() if v is not None}


def test_admin_changes_reach_the_index(live_index, client, staff_user, user):
    client.force_login(staff_user)
    repository = RepositoryFactory(name="Weather Set")

    response = client.post(
        "/admin/challenges/challenge/add/",
        admin_form(repository=repository.pk, title="Zephyr Walk", slug="zephyr-walk"),
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    challenge = Challenge.objects.get(slug="zephyr-walk")
    assert not challenge.published
    eventually(lambda: found("zephyr", staff_user) == {"zephyr-walk"}, "a new draft, for staff")
    assert found("zephyr", user) == set()

    client.post(
        "/admin/challenges/challenge/",
        {"action": "publish", "_selected_action": [challenge.pk]},
    )
    eventually(lambda: found("zephyr", user) == {"zephyr-walk"}, "the published challenge")

    response = client.post(
        f"/admin/challenges/challenge/{challenge.pk}/change/",
        admin_form(Challenge.objects.get(pk=challenge.pk), title="Mistral Walk"),
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    eventually(lambda: found("mistral", user) == {"zephyr-walk"}, "the new title")
    assert found("zephyr", user) == set()

    client.post(
        "/admin/challenges/challenge/",
        {"action": "unpublish", "_selected_action": [challenge.pk]},
    )
    # Learners stop seeing it at once (the page is checked against the database); the index
    # catches up so counts drop too.
    assert found("mistral", user) == set()
    eventually(
        lambda: challenge_search(user=user, query="mistral").total == 0, "the unpublished count"
    )

    response = client.post(
        f"/admin/challenges/repository/{repository.pk}/change/",
        {
            "slug": repository.slug,
            "name": "Sirocco Set",
            "owner": repository.owner,
            "description": "",
            "challenges-TOTAL_FORMS": 1,
            "challenges-INITIAL_FORMS": 1,
            "challenges-MIN_NUM_FORMS": 0,
            "challenges-MAX_NUM_FORMS": 1000,
            "challenges-0-id": challenge.pk,
            "challenges-0-repository": repository.pk,
            "challenges-0-position": 0,
            "challenges-0-title": "Mistral Walk",
            "challenges-0-slug": "zephyr-walk",
            "challenges-0-difficulty": "easy",
        },  # fmt: skip
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    eventually(lambda: found("sirocco", staff_user) == {"zephyr-walk"}, "the repository rename")

    response = client.post(f"/admin/challenges/challenge/{challenge.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    eventually(
        lambda: challenge_search(user=staff_user, query="mistral").total == 0, "the deletion"
    )


def test_a_pack_import_reaches_the_index(live_index, tmp_path, user):
    pack = write_pack(tmp_path / "pack", titles=["Tramontane", "Levanter Loop"])
    challenges_import(path=pack)
    eventually(lambda: found("tramontane", user) == {"pack-1"}, "the first imported challenge")
    eventually(lambda: found("levanter", user) == {"pack-2"}, "the second imported challenge")

    write_pack(tmp_path / "pack", titles=["Tramontane", "Bora Loop"])
    summary = challenges_import(path=pack)
    assert summary.updated == 1
    eventually(lambda: found("bora", user) == {"pack-2"}, "the re-imported title")
    assert found("levanter", user) == set()
