"""Shared fixtures and factories for the whole test suite."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_and_index(settings, tmp_path):
    """Each test gets its own Whoosh index directory so tests never share search state."""
    settings.HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
            "PATH": str(tmp_path / "whoosh"),
        }
    }
