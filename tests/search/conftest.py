"""Search fixtures: build the per-test Whoosh index from the database on demand."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture
def reindex(db):
    """Rebuild the (per-test) index from the database, as `manage.py rebuild_index` does."""

    def run() -> None:
        call_command("rebuild_index", interactive=False, verbosity=0)

    return run
