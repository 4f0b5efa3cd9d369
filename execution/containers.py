"""Runner containers: the hardened container recipe and the warm pool of pre-started ones.

Hardening (one place for every runner container): ``network_mode=none``, non-root keeper as
init's child, read-only rootfs, tmpfs ``/sandbox`` and ``/tmp``, ``cap_drop=ALL``,
``no-new-privileges``, ``pids_limit``, ``mem_limit == memswap_limit``, ``nano_cpus``, ulimits
(fsize, nofile, core), whitelisted environment only, ``init=True``, log driver ``none``, labels
``codepusher.runner=1`` / run id / creation time for the reaper.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import logging
import re
import tarfile
import threading
import time
import uuid

import docker
from django.conf import settings
from django.db import connection
from docker.types import LogConfig, Ulimit

from execution.images import docker_client
from execution.languages import KEEPER_USER, RUNNER_UID, WORKDIR

logger = logging.getLogger(__name__)

LABEL_RUNNER = "codepusher.runner"
LABEL_RUN_ID = "codepusher.run_id"
LABEL_CREATED = "codepusher.created"
LABEL_LANGUAGE = "codepusher.language"
# Which site (database) the run id belongs to: two sites on one engine never touch each other's.
LABEL_SITE = "codepusher.site"

# Only these variables exist inside a runner (plus the language's own, e.g. PYTHONUNBUFFERED).
BASE_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": WORKDIR}
ALLOWED_ENV_KEYS = frozenset(
    {"PATH", "LANG", "HOME", "HOSTNAME", "PWD", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE"}
)
WORKDIR_TMPFS_MB = 32
TMP_TMPFS_MB = 16
FSIZE_BYTES = 16 << 20
NOFILE = 256


POOL_RUN_ID = "pool"
_NAME = re.compile(r"cp-run-(.+)-[0-9a-f]{10}")


def container_name(run_id: str) -> str:
    return f"cp-run-{run_id or 'x'}-{uuid.uuid4().hex[:10]}"


def container_run_id(labels: dict[str, str], name: str) -> str:
    """The run a container serves: its label, or for a pre-started one a run took, its name
    (labels cannot change after creation, so taking a pooled container renames it)."""
    label = labels.get(LABEL_RUN_ID, "")
    if label != POOL_RUN_ID:
        return label
    match = _NAME.fullmatch(name.lstrip("/"))
    return match.group(1) if match else label


def site_namespace() -> str:
    """The database name: run ids are unique per database, so Redis keys and container labels
    of two sites (or two test databases) on one Redis or engine never collide."""
    return str(connection.settings_dict.get("NAME") or "default")


class SandboxError(Exception):
    """A Docker-side failure; turned into ``SandboxResult.internal_error`` by the public API."""


def tar_files(files: dict[str, tuple[bytes, int]]) -> bytes:
    """A tar of ``{name: (content, mode)}`` owned by the runner user, for ``tar -x`` in /sandbox."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for name, (content, mode) in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mode = mode
            info.uid = info.gid = RUNNER_UID
            info.mtime = 0  # the same for every test: a time can carry nothing between them
            tar.addfile(info, io.BytesIO(content))
    return buf.getvalue()


def container_start(
    client: docker.DockerClient,
    image: str,
    language: str,
    memory_mb: int,
    run_id: str,
    cpus: float,
    pids_limit: int,
) -> docker.models.containers.Container:
    """Create and start one hardened runner container; remove it again if starting fails."""
    container = client.containers.create(
        image=image,
        command=["sleep", "infinity"],
        name=container_name(run_id),
        user=KEEPER_USER,
        working_dir=WORKDIR,
        hostname="sandbox",
        network_mode="none",
        read_only=True,
        tmpfs={
            WORKDIR: f"rw,exec,nosuid,nodev,size={WORKDIR_TMPFS_MB}m,"
            f"uid={RUNNER_UID},gid={RUNNER_UID},mode=0755",
            "/tmp": f"rw,noexec,nosuid,nodev,size={TMP_TMPFS_MB}m,mode=1777",
        },
        shm_size=f"{TMP_TMPFS_MB}m",
        cap_drop=["ALL"],
        security_opt=["no-new-privileges:true"],
        pids_limit=pids_limit,
        mem_limit=f"{memory_mb}m",
        memswap_limit=f"{memory_mb}m",
        nano_cpus=int(cpus * 1e9),
        ulimits=[
            Ulimit(name="fsize", soft=FSIZE_BYTES, hard=FSIZE_BYTES),
            Ulimit(name="nofile", soft=NOFILE, hard=NOFILE),
            Ulimit(name="core", soft=0, hard=0),
        ],
        environment=dict(BASE_ENV),
        init=True,
        log_config=LogConfig(type="none"),
        labels={
            LABEL_RUNNER: "1",
            LABEL_RUN_ID: run_id,
            LABEL_CREATED: str(int(time.time())),
            LABEL_LANGUAGE: language,
            LABEL_SITE: site_namespace(),
        },
        detach=True,
    )
    try:
        container.start()
    except BaseException:
        with contextlib.suppress(docker.errors.DockerException):
            container.remove(force=True, v=True)
        raise
    return container


class _WarmPool:
    """Pre-started, never reused containers, so a submission skips create + start.

    Each taken container serves exactly one ``Sandbox`` and is then removed like any other;
    the pool only moves the creation off the critical path (a background thread refills it
    after a submission closes, so creation never competes with a running submission).
    Idle containers older than ``max_idle_s`` are discarded (the reaper, whose max age must be
    larger, would otherwise kill them under us). Size per (image, cpus, pids) key is the
    setting ``RUNNER_POOL_SIZE`` (default 1; 0 disables). Pooled containers carry the run id
    ``pool`` instead of the submission's.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: dict[tuple, list[tuple[str, int, float]]] = {}
        self._refilling: set[tuple] = set()
        self._closed = False
        self.max_idle_s = 60.0
        atexit.register(self.drain)

    @property
    def size(self) -> int:
        return int(getattr(settings, "RUNNER_POOL_SIZE", 1))

    def take(self, key: tuple) -> tuple[str, int] | None:
        """(container id, its memory limit in MB) of a fresh idle container, or None."""
        stale = []
        found = None
        with self._lock:
            idle = self._idle.get(key, [])
            while idle:
                container_id, memory_mb, born = idle.pop(0)
                if time.monotonic() - born < self.max_idle_s:
                    found = (container_id, memory_mb)
                    break
                stale.append(container_id)
        self._remove(stale)
        return found

    def refill_later(self, key: tuple, language: str) -> None:
        if self.size <= 0 or self._closed:
            return
        with self._lock:
            if key in self._refilling:
                return
            self._refilling.add(key)
        threading.Thread(target=self._refill, args=(key, language), daemon=True).start()

    def _refill(self, key: tuple, language: str) -> None:
        image, cpus, pids_limit = key
        try:
            client = docker_client(timeout=30)
            try:
                while True:
                    with self._lock:
                        if len(self._idle.get(key, [])) >= self.size:
                            return
                    memory = int(settings.RUNNER_MEMORY_LIMIT_MB)
                    container = container_start(
                        client, image, language, memory, POOL_RUN_ID, cpus, pids_limit
                    )
                    with self._lock:
                        closed = self._closed
                        if not closed:
                            self._idle.setdefault(key, []).append(
                                (container.id, memory, time.monotonic())
                            )
                    if closed:  # the process is exiting: don't leave it behind
                        container.remove(force=True, v=True)
                        return
            finally:
                client.close()
        except Exception:
            logger.warning("could not pre-start a runner container", exc_info=True)
        finally:
            with self._lock:
                self._refilling.discard(key)

    def _remove(self, container_ids: list[str]) -> None:
        if not container_ids:
            return
        try:
            client = docker_client(timeout=30)
            for container_id in container_ids:
                with contextlib.suppress(docker.errors.DockerException):
                    client.api.remove_container(container_id, force=True, v=True)
            client.close()
        except docker.errors.DockerException:
            logger.warning("could not remove idle runner containers", exc_info=True)

    def drain(self) -> None:
        """Remove every idle container and stop refilling (at process exit).

        A refill caught mid-creation by interpreter exit can still leave one container; the
        reaper removes it once it is older than its max age.
        """
        with self._lock:
            self._closed = True
            ids = [cid for idle in self._idle.values() for cid, _, _ in idle]
            self._idle.clear()
        self._remove(ids)


POOL = _WarmPool()
