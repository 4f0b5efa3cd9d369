"""Run untrusted code in a fresh, hardened Docker container and stream its output.

``sandbox_run(...)`` runs one program on one input; ``Sandbox(...)`` owns one submission's
container: ``compile()`` once, then ``run(stdin=...)`` per test. Output reaches ``on_output(stream,
chunk)`` as it arrives; Docker failures come back as ``SandboxResult.internal_error``, never
raised. The API and how it works, and why: docs/execution.md ("The sandbox's API", "The
container", "Each test starts clean"); hardening in ``containers.py``, streaming in
``streaming.py``, the shell wrappers in ``outcome.py``.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import tarfile
import time
from collections.abc import Callable

import docker
from django.conf import settings

from execution.cgroups import CgroupMeter
from execution.containers import (
    ALLOWED_ENV_KEYS,
    BASE_ENV,
    LABEL_RUNNER,
    POOL,
    SandboxError,
    container_name,
    container_start,
    tar_files,
)
from execution.images import docker_client
from execution.languages import RUNNER_USER, WORKDIR, get_language
from execution.outcome import (
    CLEAN_FAILED,
    CLEAN_WRAPPER,
    UPLOAD_WRAPPER,
    WRAPPER,
    SandboxResult,
    clean_args,
)
from execution.streaming import (
    ExecStream,
    container_oom_since,
    exec_exit_code,
    exec_pump,
    exec_stream_open,
    split_exit,
)

logger = logging.getLogger(__name__)

OutputCallback = Callable[[str, bytes], None]

# Exec setup time is not charged to the program: the deadline is limit + this slack.
EXEC_SLACK_MS = 150
# How long to wait for a killed step's processes to be gone before killing the container.
KILL_WAIT_S = 3.0
MAX_ARTIFACT_BYTES = 64 << 20


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
        # The JVM and Go start many threads: their registry entry may ask for more tasks.
        self.pids_limit = pids_limit or max(settings.RUNNER_PIDS_LIMIT, self.lang.pids_limit)
        self.client: docker.DockerClient | None = None
        self.container = None
        self._memory_now_mb = 0
        self._compiled = False
        self._compile_failed = False
        self._artifacts: dict[str, tuple[bytes, int]] = {}
        self._callback_failed = False
        self._dirty = False  # a test ran since the container was last clean
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
                with contextlib.suppress(docker.errors.DockerException):
                    self.container.rename(container_name(self.run_id))  # now this run's
                    if self._set_memory(memory_mb):
                        return
            self._discard_container()
        last: Exception | None = None
        for _attempt in range(2):
            try:
                self.container = container_start(
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
        if self._pristine_upload(UPLOAD_WRAPPER) != 0:
            raise SandboxError("uploading the build to a replacement container failed")
        self._set_memory(self.memory_limit_mb)
        self._dirty = False

    def _pristine_upload(self, wrapper: str) -> int | None:
        """Unpack the source and the build products in the workdir; the wrapper's exit code."""
        _stream, code = self._exec(
            ["5"], stdin=tar_files(self._pristine()), time_limit_ms=5000, cap=64 << 10,
            wrapper=wrapper, forward=False,
        )  # fmt: skip
        return code

    def _pristine(self) -> dict[str, tuple[bytes, int]]:
        return {self.lang.source_file: (self.code, 0o644), **self._artifacts}

    def _clean_args(self) -> list[str] | None:
        """CLEAN_WRAPPER's arguments, or None when the build was never copied out (then only a
        fresh container is clean)."""
        if self.lang.artifacts and not self._artifacts:
            return None
        return clean_args(self._pristine())

    def _test_exec(
        self, data: bytes, cpu_seconds: str, time_limit_ms: int, cap: int, callback
    ) -> tuple[ExecStream, int | None, CgroupMeter]:
        """Run one test: in a clean container (CLEAN_WRAPPER after an earlier test), or in a
        fresh one when the clean-up failed or the container died."""
        clean = self._clean_args() if self._dirty else []
        if self.container is None or clean is None:
            self._replace_container()
            clean = []
        for attempt in range(2):
            wrapper, extra = (CLEAN_WRAPPER, clean) if clean else (WRAPPER, [])
            meter = self._meter()
            meter.begin()
            self._dirty = True
            try:
                stream, code = self._exec(
                    [cpu_seconds, *extra, *self.lang.run_cmd], stdin=data, wrapper=wrapper,
                    time_limit_ms=time_limit_ms, cap=cap, callback=callback, env=self.lang.env,
                )  # fmt: skip
            except docker.errors.APIError as exc:
                if exc.status_code != 409 or attempt:  # 409: the container is not running
                    raise
                self._replace_container()
                clean = []
                continue
            failed = code == 124 and bytes(stream.stderr) == f"{CLEAN_FAILED}\n".encode()
            if not (clean and failed and not stream.stdout) or attempt:
                return stream, code, meter
            self._replace_container()
            clean = []
        raise SandboxError("the test could not start in a clean container")

    def _meter(self) -> CgroupMeter:
        host = self.container.attrs.get("HostConfig") or {}
        return CgroupMeter(self.container.id, host.get("CgroupParent") or "docker")

    # -- low-level exec with streaming ------------------------------------------------------

    def _emitter(self, callback: OutputCallback) -> OutputCallback:
        """``callback`` guarded so that a broken consumer never breaks the run."""

        def emit(stream: str, chunk: bytes) -> None:
            try:
                callback(stream, chunk)
            except Exception:
                if not self._callback_failed:
                    logger.exception("on_output callback failed; output keeps being collected")
                self._callback_failed = True

        return emit

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
    ) -> tuple[ExecStream, int | None]:
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
        out = ExecStream(started_at=time.time())
        started = time.monotonic()
        sock, pending = exec_stream_open(self.client.api.api_version, exec_id)
        deadline = started + (time_limit_ms + EXEC_SLACK_MS) / 1000
        try:
            emit = self._emitter(callback) if forward and callback else None
            exec_pump(sock, pending, stdin, deadline, cap, out, emit)
        finally:
            with contextlib.suppress(OSError):
                sock.close()
        out.wall_s = time.monotonic() - started
        if not out.ended:
            # Closing our end first: a daemon blocked writing a flood to us lets go.
            self._kill_processes(exec_id)
        code = None
        if out.ended and not (out.timed_out or out.exceeded):
            code = exec_exit_code(self.client.api, exec_id)
        return out, code

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
                stdin=tar_files(files),
                time_limit_ms=limit_ms,
                cap=cap,
                wrapper=UPLOAD_WRAPPER,
                callback=self.on_output,
            )
            exit_code, sig = split_exit(code)
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
                elif sig == 9 and container_oom_since(
                    self.client.api, self.container.id, stream.started_at
                ):
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
            # Times set to 0 as the uploads have them, so CLEAN_WRAPPER can check them.
            [
                "0",
                "sh",
                "-c",
                'touch -d @0 -- "$@" && exec tar -c -f - "$@"',
                "sh",
                *self.lang.artifacts,
            ],  # fmt: skip
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
        # A challenge's limit is for its reference languages; slower runtimes get their factor.
        time_limit_ms = int(
            (time_limit_ms or settings.RUNNER_TIME_LIMIT_MS) * self.lang.time_factor
        )
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
            cpu_seconds = str(math.ceil(time_limit_ms / 1000) + 1)
            stream, code, meter = self._test_exec(data, cpu_seconds, time_limit_ms, cap, callback)
            cpu_ms, memory_kb = meter.end()
            exit_code, sig = split_exit(code)
            oom = False
            if sig == 9 and not (stream.timed_out or stream.exceeded):
                oom = container_oom_since(self.client.api, self.container.id, stream.started_at)
            return SandboxResult(
                exit_code=exit_code,
                signal=sig,
                oom_killed=oom,
                timed_out=stream.timed_out,
                output_exceeded=stream.exceeded and not stream.timed_out,
                stdout=bytes(stream.stdout),
                stderr=bytes(stream.stderr),
                wall_time_ms=int(stream.wall_s * 1000),
                cpu_ms=cpu_ms,
                memory_kb=memory_kb,
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
