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
from datetime import datetime

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


def _reapable(container: docker.models.containers.Container, now: float, max_age: float) -> bool:
    run_id = container_run_id(container)
    if (container.labels or {}).get(LABEL_SITE) == site_namespace() and run_id.isdigit():
        return not run_is_alive(run_id=int(run_id))
    created = _created_epoch(container)
    return created is None or now - created >= max_age


def _remove(containers: list) -> int:
    removed = 0
    for container in containers:
        try:
            container.remove(force=True, v=True)
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
        return _remove([c for c in found if _reapable(c, now, max_age_seconds)])
    finally:
        client.close()


def run_containers(client: docker.DockerClient, run_id: int) -> list:
    """The containers of one run of this site (pre-started ones it took included)."""
    site = site_namespace()
    return [
        c for c in runner_containers(client)
        if container_run_id(c) == str(run_id) and (c.labels or {}).get(LABEL_SITE) == site
    ]  # fmt: skip


def run_containers_remove(*, run_id: int) -> int:
    """Remove every container of one run of this site (its worker died)."""
    client = docker_client(timeout=30)
    try:
        return _remove(run_containers(client, run_id))
    finally:
        client.close()
