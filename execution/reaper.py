"""Remove runner containers left behind by a dead worker.

A killed Celery worker never runs its ``finally: remove(force=True)``, so a periodic task calls
``runners_reap`` to SIGKILL and remove every container labelled ``codepusher.runner=1`` whose
``codepusher.created`` label (or, failing that, docker's creation time) is older than
``max_age_seconds``. Pick a max age above the longest possible submission (compile limit +
tests × wall limit + slack) so live runs are never touched.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

import docker

from execution.images import docker_client
from execution.sandbox import LABEL_CREATED, LABEL_RUNNER

logger = logging.getLogger(__name__)


def _created_epoch(container: docker.models.containers.Container) -> float | None:
    label = (container.labels or {}).get(LABEL_CREATED, "")
    if label.isdigit():
        return float(label)
    created = container.attrs.get("Created", "")
    try:
        # Docker gives nanosecond precision; fromisoformat takes at most microseconds.
        head, _, rest = created.partition(".")
        return datetime.fromisoformat(head + "+00:00").timestamp() if head else None
    except ValueError:
        return None


def runner_containers(client: docker.DockerClient | None = None) -> list:
    """All containers (running or not) that carry the runner label."""
    client = client or docker_client(timeout=30)
    return client.containers.list(all=True, filters={"label": f"{LABEL_RUNNER}=1"})


def runners_reap(max_age_seconds: int) -> int:
    """Kill and remove runner containers older than ``max_age_seconds``; return how many."""
    client = docker_client(timeout=30)
    now = time.time()
    removed = 0
    try:
        for container in runner_containers(client):
            created = _created_epoch(container)
            if created is not None and now - created < max_age_seconds:
                continue
            try:
                container.remove(force=True, v=True)
                removed += 1
                logger.info("reaped runner container %s", container.name)
            except docker.errors.NotFound:
                pass
            except docker.errors.DockerException:
                logger.exception("could not reap runner container %s", container.name)
    finally:
        client.close()
    return removed
