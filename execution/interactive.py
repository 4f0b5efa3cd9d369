"""Interactive runs: the session's program in the hardened runner, its stdin typed live.

Input travels members -> terminal consumer -> a Redis list per run -> the Celery task that holds
the exec's attached socket (``interactive_input_send`` only pushes, so the consumer never waits
on the program). The task feeds the program, and publishes every line it feeds as an ``input``
event before the output that follows, so every member sees input and output in one order.

A run ends when the program exits, a member kills it, or a limit is reached: the wall time
``RUNNER_INTERACTIVE_SECONDS``, ``RUNNER_INTERACTIVE_IDLE_SECONDS`` without input or output, or
the output cap. It ends with the exit status (or why it was stopped), never a verdict; the
typed input is stored as the run's stdin.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import select
import socket
import threading
import time
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from codepusher.redis import redis_client
from execution.containers import BASE_ENV, site_namespace
from execution.languages import RUNNER_USER, WORKDIR, get_language
from execution.models import Run, RunMode, RunStatus
from execution.outcome import WRAPPER
from execution.sandbox import Sandbox
from execution.streaming import (
    ExecStream,
    exec_exit_code,
    exec_stream_open,
    frames_take,
    socket_read,
    split_exit,
)
from execution.terminal import Terminal

logger = logging.getLogger(__name__)

INBOX_TTL_SECONDS = 600
# C stdio holds piped output back until exit; line buffering shows a prompt when it is printed.
LINE_BUFFERED = ("stdbuf", "-oL", "-eL")


class InteractiveError(Exception):
    """A frame for an interactive run that can't be taken; the message is for the member."""


def interactive_inbox_key(run_id: int) -> str:
    return f"codepusher:interactive:{site_namespace()}:{run_id}:inbox"


def interactive_run_live(*, session_id: str) -> Run | None:
    """The session's interactive run that still takes input (queued or running), if any."""
    return (
        Run.objects.filter(
            session_id=session_id,
            mode=RunMode.INTERACTIVE,
            status__in=[RunStatus.QUEUED, RunStatus.RUNNING],
        )
        .order_by("-pk")
        .first()
    )


def interactive_input_send(
    *, session_id: str, user: AbstractBaseUser, message: dict[str, Any]
) -> None:
    """Relay a member's ``stdin`` or ``kill`` frame to the task running the program."""
    if message["type"] == "kill":
        item: dict[str, Any] = {"kill": True}
    elif message.get("eof") is True and "data" not in message:
        item = {"eof": True}
    else:
        data = message.get("data")
        if not isinstance(data, str) or not data:
            raise InteractiveError('stdin needs "data" (text) or "eof": true.')
        limit = settings.RUNNER_INTERACTIVE_INPUT_BYTES
        if len(data.encode("utf-8", errors="replace")) > limit:
            raise InteractiveError(f"That input is too large (limit {limit} bytes per message).")
        item = {"data": data}
    run = interactive_run_live(session_id=session_id)
    if run is None:
        raise InteractiveError("No interactive run is running: start one first.")
    key = interactive_inbox_key(run.pk)
    pipe = redis_client().pipeline()
    pipe.rpush(key, json.dumps({**item, "user": user.get_username()}))
    pipe.expire(key, INBOX_TTL_SECONDS)
    pipe.execute()


class _Inbox:
    """Pops the run's Redis list on a thread; a byte on a pipe wakes the pump's ``select``."""

    def __init__(self, run_id: int) -> None:
        self.key = interactive_inbox_key(run_id)
        self.items: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_r, False)
        os.set_blocking(self.wake_w, False)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._pop, daemon=True)

    def __enter__(self) -> _Inbox:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join(timeout=3)
        redis_client().delete(self.key)
        os.close(self.wake_r)
        os.close(self.wake_w)

    def _pop(self) -> None:
        client = redis_client()
        while not self.stopped.is_set():
            try:
                popped = client.blpop([self.key], timeout=1)
            except Exception:  # Redis hiccup: try again, the run's limits still apply
                logger.warning("reading the input of %s failed", self.key, exc_info=True)
                time.sleep(0.5)
                continue
            if popped:
                with contextlib.suppress(ValueError):
                    self.items.put(json.loads(popped[1]))
                with contextlib.suppress(OSError):
                    os.write(self.wake_w, b"x")

    def take(self) -> list[dict[str, Any]]:
        with contextlib.suppress(OSError):
            os.read(self.wake_r, 4096)
        taken = []
        while not self.items.empty():
            taken.append(self.items.get())
        return taken


class _Session:
    """One interactive program: the exec's socket, its input and why it ended."""

    def __init__(self, run: Run, terminal: Terminal, box: Sandbox) -> None:
        self.run, self.terminal, self.box = run, terminal, box
        self.out = ExecStream(started_at=time.time())
        self.typed = bytearray()  # everything fed, stored as the run's stdin
        self.to_feed = bytearray()
        self.eof_asked = False
        self.stdin_open = True
        self.reason = ""

    def start(self) -> tuple[Any, bytes, str]:
        lang = self.box.lang
        command = lang.interactive_cmd or (*LINE_BUFFERED, *lang.run_cmd)
        api = self.box.client.api
        exec_id = api.exec_create(
            self.box.container.id,
            ["sh", "-c", WRAPPER, "sh", str(settings.RUNNER_INTERACTIVE_SECONDS + 1), *command],
            stdin=True, stdout=True, stderr=True, user=RUNNER_USER, workdir=WORKDIR,
            environment={**BASE_ENV, **lang.env},
        )["Id"]  # fmt: skip
        sock, pending = exec_stream_open(api.api_version, exec_id)
        return sock, pending, exec_id

    def accept(self, item: dict[str, Any]) -> None:
        """One relayed frame: echo it to every member, then queue it for the program."""
        user = str(item.get("user", ""))
        if item.get("kill"):
            self.reason = f"stopped by {user}" if user else "stopped"
            return
        if self.eof_asked:
            return
        if item.get("eof"):
            self.eof_asked = True
            self.terminal.flush()
            self.terminal.publish({"type": "input", "user": user, "eof": True})
            return
        data = str(item.get("data", "")).encode("utf-8", errors="replace")
        room = settings.RUNNER_MAX_STDIN_BYTES - len(self.typed)
        if len(data) > room:
            data = data[: max(room, 0)]
            self.eof_asked = True  # the input is full: the program gets end of input
        self.typed.extend(data)
        self.to_feed.extend(data)
        self.terminal.flush()  # output printed before this input is shown before it
        event = {"type": "input", "user": user, "data": data.decode("utf-8", errors="replace")}
        self.terminal.publish(event | ({"eof": True, "full": True} if self.eof_asked else {}))

    def pump(self, sock: Any, pending: bytes, inbox: _Inbox) -> None:
        """Move bytes both ways until the program ends or a limit stops it."""
        sock.setblocking(False)
        buf = bytearray(pending)
        cap = settings.RUNNER_OUTPUT_LIMIT_BYTES
        started = last_seen = time.monotonic()
        wall_end = started + settings.RUNNER_INTERACTIVE_SECONDS
        idle = settings.RUNNER_INTERACTIVE_IDLE_SECONDS
        while not self.reason:
            if frames_take(buf, self.out, cap, self.terminal.output):
                self.reason = "output limit exceeded"
                break
            for item in inbox.take():
                self.accept(item)
                last_seen = time.monotonic()
            if self.reason:
                break
            if self.stdin_open and self.eof_asked and not self.to_feed:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_WR)
                self.stdin_open = False
            now = time.monotonic()
            if now >= wall_end:
                self.reason = f"stopped after {settings.RUNNER_INTERACTIVE_SECONDS} s"
                break
            if now - last_seen >= idle:
                self.reason = f"stopped after {idle} s without input or output"
                break
            writing = [sock] if self.stdin_open and self.to_feed else []
            wait = min(0.5, wall_end - now, last_seen + idle - now)
            if getattr(sock, "pending", None) and sock.pending():  # TLS: buffered bytes
                readable, writable = [sock], []
            else:
                readable, writable, _ = select.select([sock, inbox.wake_r], writing, [], wait)
            if writable:
                try:
                    del self.to_feed[: sock.send(self.to_feed[:65536])]
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:  # the program closed its stdin: drop what it won't read
                    self.to_feed.clear()
                    self.stdin_open = False
            if sock in readable:
                chunk = socket_read(sock)
                if chunk is None:
                    continue
                if not chunk:
                    self.out.ended = True
                    break
                buf.extend(chunk)
                last_seen = time.monotonic()
        frames_take(buf, self.out, cap, self.terminal.output)
        self.out.wall_s = time.monotonic() - started


def interactive_run(run: Run, terminal: Terminal) -> None:
    """Compile, then run the program with live input until it ends; store how it ended."""
    challenge = run.session.challenge
    lang = get_language(run.language)
    exit_code = None
    time_ms = None
    session = None
    with Sandbox(
        language=lang.key,
        code=run.code,
        memory_limit_mb=challenge.memory_limit_mb,
        run_id=run.pk,
    ) as box:
        compiled = box.compile()
        if compiled.internal_error:
            detail = "the runner failed; try again"
        elif compiled.compile_failed:
            terminal.flush()
            terminal.publish(
                {"type": "output", "stream": "stderr", "data": compiled.compile_output}
            )
            detail = "compilation failed"
        else:
            session = _Session(run, terminal, box)
            with _Inbox(run.pk) as inbox:
                sock, pending, exec_id = session.start()
                terminal.publish({"type": "interactive.ready"})
                try:
                    session.pump(sock, pending, inbox)
                finally:
                    with contextlib.suppress(OSError):
                        sock.close()
            time_ms = int(session.out.wall_s * 1000)
            if session.out.ended:
                exit_code, signal = split_exit(exec_exit_code(box.client.api, exec_id))
                detail = f"exit {exit_code}" if signal is None else f"killed by signal {signal}"
            else:
                detail = session.reason  # leaving the with block removes the container
    terminal.stop()
    typed = session.typed.decode("utf-8", errors="replace") if session else ""
    Run.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, verdict="", detail=detail[:500], output=terminal.text,
        stdin=typed, exit_code=exit_code, time_ms=time_ms, finished_at=timezone.now(),
    )  # fmt: skip
    terminal.publish(
        {"type": "run.finished", "mode": RunMode.INTERACTIVE, "verdict": "", "detail": detail,
         "exit_code": exit_code, "time_ms": time_ms, "version": run.version}
    )  # fmt: skip
