"""Search fixtures: build the per-test Whoosh index from the database on demand."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from challenges.packs import ChallengeSpec, RepositorySpec, TestCaseSpec, pack_write


@pytest.fixture(autouse=True)
def _no_leftover_index_changes():
    """Changes noted in earlier tests' rolled-back transactions would ride along otherwise."""
    from search import signals

    signals._pending.__dict__.clear()


@pytest.fixture
def reindex(db):
    """Rebuild the (per-test) index from the database, as `manage.py rebuild_index` does."""

    def run() -> None:
        call_command("rebuild_index", interactive=False, verbosity=0)

    return run


def write_pack(path: Path, *, titles: list[str], repository: str = "Pack Repo") -> Path:
    """A small valid challenge pack on disk (the demo pack belongs to another test suite)."""
    challenges = [
        ChallengeSpec(
            slug=f"pack-{n}",
            title=title,
            difficulty="easy",
            author="packer",
            tags=["imported"],
            time_limit_ms=2000,
            memory_limit_mb=256,
            comparison="trailing_whitespace",
            tolerance=1e-6,
            published=True,
            position=n,
            statement=f"Imported challenge {n}.\n",
            starters={"python": "print(input())\n"},
            solutions={"python": "print(input())\n"},
            tests=[TestCaseSpec(1, "1\n", "1\n", True), TestCaseSpec(2, "2\n", "2\n", False)],
        )  # fmt: skip
        for n, title in enumerate(titles, 1)
    ]
    spec = RepositorySpec(
        slug="pack-repo", name=repository, owner="packer", description="", challenges=challenges
    )
    pack_write(path, [spec])
    return path
