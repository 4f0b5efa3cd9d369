"""Run untrusted code in a fresh, hardened Docker container and stream its output.

Public API
----------
``sandbox_run(*, language, code, stdin, time_limit_ms, memory_limit_mb, output_limit_bytes,
on_output=None, run_id="") -> SandboxResult``
    One program, one input (the terminal's ``run``): compile if the language needs it, run,
    remove the container.

``Sandbox(language=..., code=..., memory_limit_mb=..., run_id=..., on_output=None)``
    Compile once, run many (``push``): a context manager owning ONE container for one
    submission. ``compile() -> SandboxResult`` (``compile_failed``/``compile_output`` set on
    failure), then ``run(stdin=..., time_limit_ms=..., output_limit_bytes=..., on_output=None)
    -> SandboxResult`` once per test case. Leaving the ``with`` block removes the container.
    A container is never shared between two ``Sandbox`` objects.

``on_output(stream, chunk)`` is called from the calling thread as bytes arrive, with
``stream`` ``"stdout"`` or ``"stderr"`` and ``chunk`` raw bytes (decode with
``errors="replace"``; a chunk may split a UTF-8 sequence). Bytes beyond the output cap are never
passed on. Docker failures never raise: they come back as ``SandboxResult.internal_error``.

How it works (see research/execution.md §3 for the reasons)
------------------------------------------------------------
* The container runs ``docker-init`` → ``sleep infinity`` as the unprivileged ``keeper`` user;
  every step is a ``docker exec`` as the ``runner`` user: upload+compile (a tar of the sources on
  stdin, unpacked into the ``/sandbox`` tmpfs), then one exec per test. Each test runs under a
  tiny ``sh`` wrapper that sets ``RLIMIT_CPU`` and, when the program ends, ``kill -9 -1``s every
  leftover runner process (daemons, forks) so they can neither hold the output stream open nor
  leak into the next test. The keeper (other uid) survives that, so the container stays up.
* Hardening: ``network_mode=none``, non-root, read-only rootfs, tmpfs ``/sandbox`` and ``/tmp``,
  ``cap_drop=ALL``, ``no-new-privileges``, ``pids_limit``, ``mem_limit == memswap_limit``,
  ``nano_cpus``, ulimits (fsize, nofile, core), whitelisted environment only, ``init=True``,
  log driver ``none``, labels ``codepusher.runner=1`` / run id / creation time for the reaper.
* Wall-clock limit and output cap are enforced here while streaming: at the deadline or cap the
  test's processes are SIGKILLed (an exec as runner doing ``kill -9 -1``; if that can't start,
  e.g. the pids limit is full, the whole container is killed and a fresh one replaces it for the
  remaining tests, with the compiled artifacts copied over). An OOM kill is detected from exit
  137 + an ``oom`` event of the container during that step (``State.OOMKilled`` only covers
  the container's init process, so it never fires for an exec).
* Output is read from our own hijacked HTTP connection to the exec (``select`` with a deadline),
  not ``logs(follow=True)`` or ``wait(timeout=)`` (both traps). stdin is written on the same
  socket, then the write side is shut down so the program sees EOF.
* A small warm pool (``RUNNER_POOL_SIZE`` per image, default 1) keeps pre-started containers
  so a submission skips create + start; each serves one submission only and is then removed.
* The docker endpoint must be ``unix://`` (default) or plain ``tcp://``; TLS is not supported by
  the streaming connection.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import logging
import math
import os
import select
import signal as signal_module
import socket
import tarfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlparse

import docker
from django.conf import settings
from docker.types import LogConfig, Ulimit

from execution.images import docker_client
from execution.languages import KEEPER_USER, RUNNER_UID, RUNNER_USER, WORKDIR, get_language

logger = logging.getLogger(__name__)

OutputCallback = Callable[[str, bytes], None]

LABEL_RUNNER = "codepusher.runner"
LABEL_RUN_ID = "codepusher.run_id"
LABEL_CREATED = "codepusher.created"
LABEL_LANGUAGE = "codepusher.language"

# Only these variables exist inside a runner (plus the language's own, e.g. PYTHONUNBUFFERED).
BASE_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": WORKDIR}
ALLOWED_ENV_KEYS = frozenset(
    {"PATH", "LANG", "HOME", "HOSTNAME", "PWD", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE"}
)
WORKDIR_TMPFS_MB = 32
TMP_TMPFS_MB = 16
FSIZE_BYTES = 16 << 20
NOFILE = 256
# Exec setup time is not charged to the program: the deadline is limit + this slack.
EXEC_SLACK_MS = 150
# How long to wait for a killed step's processes to be gone before killing the container.
KILL_WAIT_S = 3.0
MAX_ARTIFACT_BYTES = 64 << 20

# The wrapper every test runs in: $1 = CPU seconds, the rest is the command. It first kills any
# runner process a previous step left (belt and braces), and everything the program left after.
WRAPPER = (
    'kill -9 -1 2>/dev/null; ulimit -S -t "$1"; ulimit -H -t $(($1 + 1)); shift; '
    '"$@"; rc=$?; kill -9 -1 2>/dev/null; exit $rc'
)
# Upload variant: unpack the tar on stdin into the workdir first, then run the (optional) command.
UPLOAD_WRAPPER = (
    'ulimit -S -t "$1"; ulimit -H -t $(($1 + 1)); shift; tar -x -f - || exit 125; '
    '[ "$#" -eq 0 ] && exit 0; "$@"; rc=$?; kill -9 -1 2>/dev/null; exit $rc'
)


@dataclass
class SandboxResult:
    """What happened to one program run (or to the compile step)."""

    exit_code: int | None = None
    signal: int | None = None
    oom_killed: bool = False
    timed_out: bool = False
    output_exceeded: bool = False
    stdout: bytes = b""
    stderr: bytes = b""
    wall_time_ms: int = 0
    compile_failed: bool = False
    compile_output: str = ""
    internal_error: str = ""

    @property
    def stdout_text(self) -> str:
        return self.stdout.decode("utf-8", errors="replace")

    @property
    def stderr_text(self) -> str:
        return self.stderr.decode("utf-8", errors="replace")

    @property
    def signal_name(self) -> str:
        """``SIGSEGV`` etc., or "" when the program was not killed by a signal."""
        if not self.signal:
            return ""
        try:
            return signal_module.Signals(self.signal).name
        except ValueError:
            return f"signal {self.signal}"


class SandboxError(Exception):
    """A Docker-side failure; turned into ``SandboxResult.internal_error`` by the public API."""


@dataclass
class _Stream:
    """Bytes collected from one exec, bounded by the cap."""

    stdout: bytearray = field(default_factory=bytearray)
    stderr: bytearray = field(default_factory=bytearray)
    combined: bytearray = field(default_factory=bytearray)
    total: int = 0
    exceeded: bool = False
    timed_out: bool = False
    ended: bool = False
    wall_s: float = 0.0
    started_at: float = 0.0


def _docker_endpoint() -> tuple[str, str | tuple[str, int]]:
    """(family, address) of the engine's API socket for our own hijacked connections."""
    url = getattr(settings, "DOCKER_HOST", "") or os.environ.get("DOCKER_HOST") or ""
    if not url:
        return "unix", "/var/run/docker.sock"
    parsed = urlparse(url)
    if parsed.scheme in ("unix", "http+unix"):
        return "unix", parsed.path
    if parsed.scheme in ("tcp", "http"):
        return "tcp", (parsed.hostname or "localhost", parsed.port or 2375)
    raise SandboxError(f"unsupported DOCKER_HOST for streaming: {url}")


def _tar_files(files: dict[str, tuple[bytes, int]]) -> bytes:
    """A tar of ``{name: (content, mode)}`` owned by the runner user, for ``tar -x`` in /sandbox."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for name, (content, mode) in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mode = mode
            info.uid = info.gid = RUNNER_UID
            info.mtime = int(time.time())
            tar.addfile(info, io.BytesIO(content))
    return buf.getvalue()


def _split_exit(code: int | None) -> tuple[int | None, int | None]:
    """(exit_code, signal): the sh wrapper reports a signal death as 128+N."""
    if code is not None and 128 < code < 128 + 65:
        return code, code - 128
    return code, None


def _start_container(
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
        name=f"cp-run-{run_id or 'x'}-{uuid.uuid4().hex[:10]}",
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
                    container = _start_container(
                        client, image, language, memory, "pool", cpus, pids_limit
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


class Sandbox:
    """One submission's container: compile once, then run each test case (see module doc)."""

    def __init__(
        self,
        *,
        language: str,
        code: str,
        memory_limit_mb: int | None = None,
        run_id: str | int = "",
        on_output: OutputCallback | None = None,
        cpus: float | None = None,
        pids_limit: int | None = None,
    ) -> None:
        self.lang = get_language(language)
        self.code = code.encode("utf-8", errors="replace")
        self.memory_limit_mb = memory_limit_mb or settings.RUNNER_MEMORY_LIMIT_MB
        self.run_id = str(run_id)
        self.on_output = on_output
        self.cpus = cpus or settings.RUNNER_CPUS
        self.pids_limit = pids_limit or settings.RUNNER_PIDS_LIMIT
        self.client: docker.DockerClient | None = None
        self.container = None
        self._memory_now_mb = 0
        self._compiled = False
        self._compile_failed = False
        self._artifacts: dict[str, tuple[bytes, int]] = {}
        self._callback_failed = False
        self.containers_used = 0

    # -- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Remove the container (SIGKILL + remove, volumes too). Safe to call twice.

        Then the warm pool is refilled in the background, off this submission's critical path.
        """
        had_container = self.containers_used > 0
        self._discard_container()
        if had_container:
            POOL.refill_later((self.lang.image, self.cpus, self.pids_limit), self.lang.key)
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.close()
            self.client = None

    def _discard_container(self) -> None:
        container, self.container = self.container, None
        if container is not None:
            try:
                container.remove(force=True, v=True)
            except docker.errors.NotFound:
                pass
            except docker.errors.DockerException:
                logger.exception("could not remove runner container %s", container.id[:12])

    def _create_container(self, memory_mb: int) -> None:
        """Take a pre-started container from the pool, or create and start a fresh one.

        Creation is retried once, as the research advises.
        """
        if self.client is None:
            self.client = docker_client(timeout=30)
        key = (self.lang.image, self.cpus, self.pids_limit)
        pooled = POOL.take(key)
        if pooled is not None:
            try:  # it may have been reaped or have died while idle
                self.container = self.client.containers.get(pooled[0])
            except docker.errors.DockerException:
                self.container = None
            if self.container is not None and self.container.status == "running":
                self._memory_now_mb = pooled[1]
                self.containers_used += 1
                if self._set_memory(memory_mb):
                    return
            self._discard_container()
        last: Exception | None = None
        for _attempt in range(2):
            try:
                self.container = _start_container(
                    self.client,
                    self.lang.image,
                    self.lang.key,
                    memory_mb,
                    self.run_id,
                    self.cpus,
                    self.pids_limit,
                )
                self._memory_now_mb = memory_mb
                self.containers_used += 1
                return
            except docker.errors.ImageNotFound:
                raise SandboxError(
                    f"runner image {self.lang.image} is missing; run manage.py build_runner_images"
                ) from None
            except (docker.errors.DockerException, OSError) as exc:
                last = exc
        raise SandboxError(f"could not start a runner container: {str(last)[:200]}")

    def _set_memory(self, memory_mb: int) -> bool:
        """Change the live container's memory limit (compile gets more than a test)."""
        if self._memory_now_mb == memory_mb:
            return True
        try:
            self.container.update(mem_limit=f"{memory_mb}m", memswap_limit=f"{memory_mb}m")
        except docker.errors.DockerException:
            return False
        self._memory_now_mb = memory_mb
        return True

    def _replace_container(self) -> None:
        """Throw the current container away and bring a fresh one to the post-compile state."""
        self._discard_container()
        self._create_container(self.memory_limit_mb)
        if self._compiled and not self._artifacts and self.lang.artifacts:
            # We never managed to copy the build out: compile again in the new container.
            self._compiled = False
            result = self.compile()
            if result.internal_error or result.compile_failed:
                raise SandboxError("recompiling in a replacement container failed")
            return
        files = {self.lang.source_file: (self.code, 0o644), **self._artifacts}
        stream, code = self._exec(
            ["5"],
            stdin=_tar_files(files),
            time_limit_ms=5000,
            cap=64 << 10,
            wrapper=UPLOAD_WRAPPER,
            forward=False,
        )
        if code != 0:
            raise SandboxError(f"uploading files failed: {bytes(stream.combined[-200:])!r}")
        self._set_memory(self.memory_limit_mb)

    # -- low-level exec with streaming ------------------------------------------------------

    def _open_exec_stream(self, exec_id: str) -> tuple[socket.socket, bytes]:
        """Start the exec over our own connection; return the socket and bytes after headers.

        docker-py's socket=True path hands back the socket after http.client has buffered the
        response, which can swallow the first output bytes; reading headers ourselves can't.
        """
        family, address = _docker_endpoint()
        if family == "unix":
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        else:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.settimeout(30)
        sock.connect(address)
        body = b'{"Detach": false, "Tty": false}'
        request = (
            f"POST /v{self.client.api.api_version}/exec/{exec_id}/start HTTP/1.1\r\n"
            "Host: docker\r\nContent-Type: application/json\r\n"
            "Connection: Upgrade\r\nUpgrade: tcp\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        sock.sendall(request)
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = sock.recv(65536)
            if not chunk:
                sock.close()
                raise SandboxError("docker closed the exec connection before answering")
            buf += chunk
            if len(buf) > 65536:
                sock.close()
                raise SandboxError("oversized exec response headers")
        head, rest = buf.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status and b" 200 " not in status:
            sock.close()
            raise SandboxError(f"exec start failed: {status.decode(errors='replace')}")
        return sock, rest

    def _emit(self, stream: str, chunk: bytes, callback: OutputCallback | None) -> None:
        if callback is None or not chunk:
            return
        try:
            callback(stream, chunk)
        except Exception:  # a broken consumer must not break the run
            if not self._callback_failed:
                logger.exception("on_output callback failed; output keeps being collected")
            self._callback_failed = True

    def _exec(
        self,
        args: list[str],
        *,
        stdin: bytes,
        time_limit_ms: int,
        cap: int,
        wrapper: str = WRAPPER,
        forward: bool = True,
        callback: OutputCallback | None = None,
        env: dict[str, str] | None = None,
    ) -> tuple[_Stream, int | None]:
        """Run ``sh -c wrapper sh *args`` as runner, streaming; return (stream, exit code).

        Exit code is None when we had to kill the processes (deadline or cap).
        """
        api = self.client.api
        exec_id = api.exec_create(
            self.container.id,
            ["sh", "-c", wrapper, "sh", *args],
            stdin=True,
            stdout=True,
            stderr=True,
            user=RUNNER_USER,
            workdir=WORKDIR,
            environment={**BASE_ENV, **(env or {})},
        )["Id"]
        out = _Stream(started_at=time.time())
        started = time.monotonic()
        sock, pending = self._open_exec_stream(exec_id)
        deadline = started + (time_limit_ms + EXEC_SLACK_MS) / 1000
        try:
            self._pump(sock, pending, stdin, deadline, cap, out, callback if forward else None)
        finally:
            with contextlib.suppress(OSError):
                sock.close()
        out.wall_s = time.monotonic() - started
        if not out.ended:
            # Closing our end first: a daemon blocked writing a flood to us lets go.
            self._kill_processes(exec_id)
        code = None
        if out.ended and not (out.timed_out or out.exceeded):
            code = self._exec_exit_code(exec_id)
        return out, code

    def _pump(
        self,
        sock: socket.socket,
        pending: bytes,
        stdin: bytes,
        deadline: float,
        cap: int,
        out: _Stream,
        callback: OutputCallback | None,
    ) -> None:
        """Read multiplexed frames until EOF, the deadline or the cap; feed stdin meanwhile."""
        sock.setblocking(False)
        buf = bytearray(pending)
        written = 0
        stdin_open = True
        if not stdin:
            sock.shutdown(socket.SHUT_WR)
            stdin_open = False
        while True:
            # Parse every complete frame: 8-byte header (stream, 0, 0, 0, size BE32).
            while len(buf) >= 8:
                size = int.from_bytes(buf[4:8], "big")
                if len(buf) < 8 + size:
                    break
                kind = buf[0]
                payload = bytes(buf[8 : 8 + size])
                del buf[: 8 + size]
                if kind not in (1, 2):
                    continue
                room = cap - out.total
                if len(payload) > room:
                    payload = payload[: max(room, 0)]
                    out.exceeded = True
                out.total += len(payload)
                name = "stdout" if kind == 1 else "stderr"
                (out.stdout if kind == 1 else out.stderr).extend(payload)
                out.combined.extend(payload)
                self._emit(name, payload, callback)
                if out.exceeded:
                    return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                out.timed_out = True
                return
            wants_write = [sock] if stdin_open else []
            readable, writable, _ = select.select([sock], wants_write, [], min(remaining, 0.5))
            if writable and stdin_open:
                try:
                    written += sock.send(stdin[written : written + 65536])
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:  # the program closed stdin or exited: stop feeding it
                    written = len(stdin)
                if written >= len(stdin):
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_WR)
                    stdin_open = False
            if readable:
                try:
                    chunk = sock.recv(65536)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    chunk = b""
                if not chunk:
                    out.ended = True
                    return
                buf.extend(chunk)

    def _kill_processes(self, exec_id: str) -> None:
        """SIGKILL every runner process; if that can't be done, kill the whole container.

        The kill runs as a detached exec (``kill -9 -1`` as runner spares only the keeper and
        init); we then poll until the step's wrapper is gone. If the exec can't start (e.g. the
        pids limit is full) or the wrapper survives, the container is killed and dropped, and
        the next step gets a fresh one.
        """
        api = self.client.api
        try:
            kill_id = api.exec_create(
                self.container.id,
                ["sh", "-c", "kill -9 -1; kill -9 -1; kill -9 -1"],
                user=RUNNER_USER,
            )["Id"]
            api.exec_start(kill_id, detach=True)
            end = time.monotonic() + KILL_WAIT_S
            while time.monotonic() < end:
                if not api.exec_inspect(exec_id).get("Running"):
                    return
                time.sleep(0.02)
        except docker.errors.DockerException:
            pass
        with contextlib.suppress(docker.errors.DockerException):
            self.container.kill()
        self._discard_container()

    def _exec_exit_code(self, exec_id: str) -> int | None:
        """The exec's exit code; the stream can close a moment before docker records it."""
        for _ in range(200):
            info = self.client.api.exec_inspect(exec_id)
            if not info.get("Running") and info.get("ExitCode") is not None:
                return int(info["ExitCode"])
            time.sleep(0.005)
        return None

    def _oom_killed_since(self, since: float) -> bool:
        """Whether the kernel OOM-killed a process of this container after ``since`` (epoch).

        ``State.OOMKilled`` only reports an OOM kill of the container's init process, never of
        an exec'd one (checked on Docker 20.10, cgroup v1), so ask for the container's ``oom``
        events in the window instead. The event can trail the exit by a moment: ask twice.
        """
        for attempt in range(3):
            if attempt:
                time.sleep(0.05)
            try:
                events = self.client.api.events(
                    since=f"{since - 0.2:.9f}",
                    until=f"{time.time():.9f}",
                    filters={"type": "container", "container": self.container.id, "event": "oom"},
                    decode=True,
                )
                if any(event.get("Action") == "oom" for event in events):
                    return True
            except docker.errors.DockerException:
                return False
        return False

    # -- public steps ------------------------------------------------------------------------

    def compile(self, *, output_limit_bytes: int | None = None) -> SandboxResult:
        """Upload the source and compile (or syntax-check) it. Call once, before ``run``."""
        cap = output_limit_bytes or settings.RUNNER_OUTPUT_LIMIT_BYTES
        started = time.monotonic()
        try:
            if self.container is None:
                memory = max(self.memory_limit_mb, self.lang.compile_memory_mb)
                self._create_container(memory)
            else:
                self._set_memory(max(self.memory_limit_mb, self.lang.compile_memory_mb))
            limit_ms = self.lang.compile_time_limit_ms
            files = {self.lang.source_file: (self.code, 0o644)}
            stream, code = self._exec(
                [str(math.ceil(limit_ms / 1000) + 1), *(self.lang.compile_cmd or ())],
                stdin=_tar_files(files),
                time_limit_ms=limit_ms,
                cap=cap,
                wrapper=UPLOAD_WRAPPER,
                callback=self.on_output,
            )
            exit_code, sig = _split_exit(code)
            result = SandboxResult(
                exit_code=exit_code,
                signal=sig,
                timed_out=stream.timed_out,
                output_exceeded=stream.exceeded,
                stdout=bytes(stream.stdout),
                stderr=bytes(stream.stderr),
                wall_time_ms=int(stream.wall_s * 1000),
            )
            if code == 125:
                raise SandboxError("unpacking the source in the runner failed")
            if code != 0:
                result.compile_failed = True
                text = bytes(stream.combined).decode("utf-8", errors="replace")
                if stream.timed_out:
                    text += "\nCompilation time limit exceeded."
                elif stream.exceeded:
                    text += "\nCompiler output limit exceeded."
                elif sig == 9 and self._oom_killed_since(stream.started_at):
                    text += "\nCompiler memory limit exceeded."
                result.compile_output = text
            self._compiled = True
            self._compile_failed = result.compile_failed
            if not result.compile_failed:
                self._collect_artifacts()
                if not self._set_memory(self.memory_limit_mb):
                    self._replace_container()
            return result
        except (SandboxError, docker.errors.DockerException, OSError) as exc:
            return SandboxResult(
                internal_error=str(exc)[:300], wall_time_ms=int((time.monotonic() - started) * 1000)
            )

    def _collect_artifacts(self) -> None:
        """Copy the build products out, so a replacement container needs no recompile."""
        self._artifacts = {}
        if not self.lang.artifacts:
            return
        stream, code = self._exec(
            ["0", "tar", "-c", "-f", "-", *self.lang.artifacts],
            stdin=b"",
            time_limit_ms=10_000,
            cap=MAX_ARTIFACT_BYTES,
            wrapper='ulimit -t 10; shift; exec "$@"',
            forward=False,
        )
        if code != 0 or stream.exceeded:
            return  # a replacement would recompile instead
        with tarfile.open(fileobj=io.BytesIO(bytes(stream.stdout))) as tar:
            for member in tar.getmembers():
                if member.isfile() and member.name in self.lang.artifacts:
                    content = tar.extractfile(member).read()
                    self._artifacts[member.name] = (
                        content,
                        0o755 if member.mode & 0o111 else 0o644,
                    )

    def run(
        self,
        *,
        stdin: str | bytes = "",
        time_limit_ms: int | None = None,
        output_limit_bytes: int | None = None,
        on_output: OutputCallback | None = None,
    ) -> SandboxResult:
        """Run the compiled program on one input in this submission's container."""
        time_limit_ms = time_limit_ms or settings.RUNNER_TIME_LIMIT_MS
        cap = output_limit_bytes or settings.RUNNER_OUTPUT_LIMIT_BYTES
        callback = on_output or self.on_output
        data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
        started = time.monotonic()
        try:
            if not self._compiled:
                compiled = self.compile()
                if compiled.internal_error or compiled.compile_failed:
                    return compiled
            if self._compile_failed:
                return SandboxResult(compile_failed=True, compile_output="compilation failed")
            if self.container is None:
                self._replace_container()
            cpu_seconds = math.ceil(time_limit_ms / 1000) + 1
            args = [str(cpu_seconds), *self.lang.run_cmd]
            try:
                stream, code = self._exec(
                    args,
                    stdin=data,
                    time_limit_ms=time_limit_ms,
                    cap=cap,
                    callback=callback,
                    env=self.lang.env,
                )
            except docker.errors.APIError as exc:
                if exc.status_code != 409:  # 409: the container is not running any more
                    raise
                self._replace_container()
                stream, code = self._exec(
                    args,
                    stdin=data,
                    time_limit_ms=time_limit_ms,
                    cap=cap,
                    callback=callback,
                    env=self.lang.env,
                )
            exit_code, sig = _split_exit(code)
            oom = False
            if sig == 9 and not (stream.timed_out or stream.exceeded):
                oom = self._oom_killed_since(stream.started_at)
            return SandboxResult(
                exit_code=exit_code,
                signal=sig,
                oom_killed=oom,
                timed_out=stream.timed_out,
                output_exceeded=stream.exceeded and not stream.timed_out,
                stdout=bytes(stream.stdout),
                stderr=bytes(stream.stderr),
                wall_time_ms=int(stream.wall_s * 1000),
            )
        except (SandboxError, docker.errors.DockerException, OSError) as exc:
            return SandboxResult(
                internal_error=str(exc)[:300], wall_time_ms=int((time.monotonic() - started) * 1000)
            )


def sandbox_run(
    *,
    language: str,
    code: str,
    stdin: str | bytes = "",
    time_limit_ms: int | None = None,
    memory_limit_mb: int | None = None,
    output_limit_bytes: int | None = None,
    on_output: OutputCallback | None = None,
    run_id: str | int = "",
) -> SandboxResult:
    """Compile (if needed) and run ``code`` once on ``stdin`` in a fresh container."""
    with Sandbox(
        language=language,
        code=code,
        memory_limit_mb=memory_limit_mb,
        run_id=run_id,
        on_output=on_output,
    ) as box:
        compiled = box.compile(output_limit_bytes=output_limit_bytes)
        if compiled.internal_error or compiled.compile_failed:
            return compiled
        return box.run(
            stdin=stdin, time_limit_ms=time_limit_ms, output_limit_bytes=output_limit_bytes
        )


__all__ = [
    "ALLOWED_ENV_KEYS",
    "LABEL_RUNNER",
    "Sandbox",
    "SandboxError",
    "SandboxResult",
    "sandbox_run",
]
