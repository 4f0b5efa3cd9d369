"""Fixtures for the runner's Docker integration tests (marked ``docker``).

``runner_ready`` (session scope) makes sure the engine answers (scripts/ensure_docker.sh installs
and starts it when needed) and that the runner images exist (built with debootstrap if
missing), so ``pytest tests/execution`` works on a fresh machine.
"""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from execution.containers import LABEL_RUN_ID, LABEL_RUNNER

REPO = Path(settings.BASE_DIR)


@pytest.fixture(scope="session")
def runner_ready() -> None:
    proc = subprocess.run(
        ["bash", str(REPO / "scripts" / "ensure_docker.sh")],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if proc.returncode != 0:
        pytest.fail(f"docker engine unavailable: {proc.stderr.strip() or proc.stdout.strip()}")
    from execution.images import build_images

    build_images(progress=print)


@pytest.fixture
def run_id(runner_ready, request) -> str:
    """A unique run id for the test; afterwards no container with that id may be left."""
    rid = f"pytest-{uuid.uuid4().hex[:12]}"
    yield rid
    from execution.images import docker_client

    client = docker_client()
    left = client.containers.list(
        all=True, filters={"label": [f"{LABEL_RUNNER}=1", f"{LABEL_RUN_ID}={rid}"]}
    )
    for container in left:
        container.remove(force=True)
    client.close()
    assert not left, f"{request.node.name} left runner containers behind: {left}"
