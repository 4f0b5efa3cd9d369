"""Remove runner containers nobody needs any more.

A killed Celery worker never runs its ``finally: remove(force=True)``. ``runners_reap`` (periodic
task and ``manage.py reap_runners``) removes every container labelled ``codepusher.runner=1``:

* of a run of this site: as soon as no worker judges that run (no heartbeat, see
  `execution.liveness`); the container of a run still being judged is never touched, whatever
  its age;
* any other (pre-started pool containers, other sites, tools): once its ``codepusher.created``
  label (or docker's creation time) is older than ``max_age_seconds``
  (``RUNNER_REAP_AFTER_SECONDS``).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import docker

from execution.containers import (
    LABEL_CREATED,
    LABEL_RUNNER,
    LABEL_SITE,
    container_run_id,
    site_namespace,
)
from execution.images import docker_client
from execution.liveness import run_is_alive

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunnerContainer:
    """A runner container as the engine lists it. Listing without inspecting each one: runner
    containers come and go all the time, and an inspect of one just removed would fail."""

    id: str
    name: str
    labels: dict[str, str]
    created: float | None

    @property
    def run_id(self) -> str:
        return container_run_id(self.labels, self.name)


def _created_epoch(row: dict) -> float | None:
    label = (row.get("Labels") or {}).get(LABEL_CREATED, "")
    if label.isdigit():
        return float(label)
    created = row.get("Created")
    return float(created) if isinstance(created, int | float) else None


def runner_containers(client: docker.DockerClient | None = None) -> list[RunnerContainer]:
    """All containers (running or not) that carry the runner label."""
    client = client or docker_client(timeout=30)
    rows = client.api.containers(all=True, filters={"label": f"{LABEL_RUNNER}=1"})
    return [
        RunnerContainer(
            id=row["Id"], name=((row.get("Names") or [""])[0]).lstrip("/"),
            labels=row.get("Labels") or {}, created=_created_epoch(row),
        )
        for row in rows
    ]  # fmt: skip


def _reapable(container: RunnerContainer, now: float, max_age: float) -> bool:
    run_id = container.run_id
    if container.labels.get(LABEL_SITE) == site_namespace() and run_id.isdigit():
        return not run_is_alive(run_id=int(run_id))
    return container.created is None or now - container.created >= max_age


def _remove(client: docker.DockerClient, containers: list[RunnerContainer]) -> int:
    removed = 0
    for container in containers:
        try:
            client.api.remove_container(container.id, force=True, v=True)
            removed += 1
            logger.info("removed runner container %s", container.name)
        except docker.errors.NotFound:
            pass
        except docker.errors.DockerException:
            logger.exception("could not remove runner container %s", container.name)
    return removed


def runners_reap(max_age_seconds: int) -> int:
    """Kill and remove the runner containers described above; return how many."""
    client = docker_client(timeout=30)
    now = time.time()
    try:
        found = runner_containers(client)
        return _remove(client, [c for c in found if _reapable(c, now, max_age_seconds)])
    finally:
        client.close()


def run_containers(client: docker.DockerClient, run_id: int) -> list[RunnerContainer]:
    """The containers of one run of this site (pre-started ones it took included)."""
    site = site_namespace()
    return [
        c for c in runner_containers(client)
        if c.run_id == str(run_id) and c.labels.get(LABEL_SITE) == site
    ]  # fmt: skip


def run_containers_remove(*, run_id: int) -> int:
    """Remove every container of one run of this site (its worker died)."""
    client = docker_client(timeout=30)
    try:
        return _remove(client, run_containers(client, run_id))
    finally:
        client.close()
