"""Streaming one ``docker exec``: our own hijacked connection, stdin in, frames out.

Output is read from our own HTTP connection to the exec (``select`` with a deadline), not
``logs(follow=True)`` or ``wait(timeout=)`` (the first can miss the start of the output, the
second cannot stop at a deadline). stdin is written on the same socket, then the write side is
shut down so the program sees EOF. The connection comes from `execution.engine` (unix, tcp or
tcp with TLS, where ending the write side sends a close_notify).
"""

from __future__ import annotations

import contextlib
import select
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import docker

from execution.containers import SandboxError
from execution.engine import TlsConnection, engine_connect

Emit = Callable[[str, bytes], None]


@dataclass
class ExecStream:
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


def split_exit(code: int | None) -> tuple[int | None, int | None]:
    """(exit_code, signal): the sh wrapper reports a signal death as 128+N."""
    if code is not None and 128 < code < 128 + 65:
        return code, code - 128
    return code, None


def exec_stream_open(api_version: str, exec_id: str) -> tuple[socket.socket | TlsConnection, bytes]:
    """Start the exec over our own connection; return the socket and bytes after headers.

    docker-py's socket=True path hands back the socket after http.client has buffered the
    response, which can swallow the first output bytes; reading headers ourselves can't.
    """
    sock = engine_connect(timeout=30)
    body = b'{"Detach": false, "Tty": false}'
    request = (
        f"POST /v{api_version}/exec/{exec_id}/start HTTP/1.1\r\n"
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


def frames_take(buf: bytearray, out: ExecStream, cap: int, emit: Emit | None) -> bool:
    """Move every complete frame of ``buf`` into ``out`` (and ``emit``); True once over the cap.

    A frame is an 8-byte header (stream, 0, 0, 0, size BE32) and its payload.
    """
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
        (out.stdout if kind == 1 else out.stderr).extend(payload)
        out.combined.extend(payload)
        if emit is not None and payload:
            emit("stdout" if kind == 1 else "stderr", payload)
        if out.exceeded:
            return True
    return False


def exec_pump(
    sock: socket.socket,
    pending: bytes,
    stdin: bytes,
    deadline: float,
    cap: int,
    out: ExecStream,
    emit: Emit | None,
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
        if frames_take(buf, out, cap, emit):
            return
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            out.timed_out = True
            return
        wants_write = [sock] if stdin_open else []
        if getattr(sock, "pending", None) and sock.pending():  # TLS: bytes select can't see
            readable, writable = [sock], []
        else:
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
            chunk = socket_read(sock)
            if chunk is None:
                continue
            if not chunk:
                out.ended = True
                return
            buf.extend(chunk)


def socket_read(sock: socket.socket | TlsConnection) -> bytes | None:
    """What a readable exec socket holds: bytes, b"" once it closed, None if nothing yet."""
    try:
        return sock.recv(65536)
    except (BlockingIOError, InterruptedError):
        return None
    except OSError:
        return b""


def exec_exit_code(api: docker.APIClient, exec_id: str) -> int | None:
    """The exec's exit code; the stream can close a moment before docker records it."""
    for _ in range(200):
        info = api.exec_inspect(exec_id)
        if not info.get("Running") and info.get("ExitCode") is not None:
            return int(info["ExitCode"])
        time.sleep(0.005)
    return None


def container_oom_since(api: docker.APIClient, container_id: str, since: float) -> bool:
    """Whether the kernel OOM-killed a process of this container after ``since`` (epoch).

    ``State.OOMKilled`` only reports an OOM kill of the container's init process, never of
    an exec'd one (checked on Docker 20.10, cgroup v1), so ask for the container's ``oom``
    events in the window instead. The event can trail the exit by a moment: ask twice.
    """
    for attempt in range(3):
        if attempt:
            time.sleep(0.05)
        try:
            events = api.events(
                since=f"{since - 0.2:.9f}",
                until=f"{time.time():.9f}",
                filters={"type": "container", "container": container_id, "event": "oom"},
                decode=True,
            )
            if any(event.get("Action") == "oom" for event in events):
                return True
        except docker.errors.DockerException:
            return False
    return False
