"""Shared fixtures for the whole test suite; factories live in tests/factories.py."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import PASSWORD, ChallengeFactory, UserFactory


@pytest.fixture(autouse=True)
def _isolated_search_index(settings, tmp_path):
    """Each test gets its own Whoosh index directory so tests never share search state."""
    settings.HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
            "PATH": str(tmp_path / "whoosh"),
        }
    }


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def challenge(db):
    return ChallengeFactory()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def session_factory(db):
    """Create a coding session through the real service (it seeds the shared document)."""
    from sessions_app.services import session_create

    def make(*, owner, challenge=None, language="python"):
        return session_create(
            challenge=challenge or ChallengeFactory(), owner=owner, language=language
        )

    return make
