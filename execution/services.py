"""Writes of code execution: accepting a run, and the launcher that judges it in a runner.

The web process only validates and queues (`run_create`); the Celery worker calls `run_execute`,
which streams output to the session's terminal group while the runner works, compares outputs
here (expected outputs never enter the container) and stores the verdicts.
"""

from __future__ import annotations

import codecs
import json
import logging
import threading
import time

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from challenges.models import Challenge
from codepusher.redis import redis_client
from execution.languages import LANGUAGES
from execution.models import Run, RunMode, RunStatus, TestResult, Verdict
from execution.sandbox import Sandbox, sandbox_run
from execution.verdicts import judge, overall_verdict
from sessions_app.events import session_event_publish, session_event_publish_on_commit
from sessions_app.models import CodingSession
from sessions_app.ot.storage import document_get
from sessions_app.services import CODE_COLLECTION

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 0.05
EXCERPT_CHARS = 2000
BACKLOG_TTL_SECONDS = 3600
LOCK_TTL_SECONDS = 600


class RunError(Exception):
    """A run request that cannot be accepted; the message is shown to the user."""


def _backlog_key(session_id: str) -> str:
    return f"codepusher:terminal:{session_id}:backlog"


def _lock_key(session_id: str) -> str:
    return f"codepusher:terminal:{session_id}:lock"


def run_rate_limit_check(*, user: AbstractBaseUser) -> None:
    """At most RUNNER_RUNS_PER_MINUTE runs per user per minute, across all sessions."""
    key = f"codepusher:runs:rate:{user.pk}:{int(time.time() // 60)}"
    pipe = redis_client().pipeline()
    pipe.incr(key)
    pipe.expire(key, 90)
    count = pipe.execute()[0]
    if count > settings.RUNNER_RUNS_PER_MINUTE:
        raise RunError(
            f"Too many runs: at most {settings.RUNNER_RUNS_PER_MINUTE} a minute. Wait a moment."
        )


def run_create(
    *,
    session: CodingSession,
    user: AbstractBaseUser,
    mode: str,
    stdin: str = "",
    code: str | None = None,
    language: str | None = None,
) -> Run:
    """Queue a run of the session's current code (or of `code`) and tell every member."""
    if mode not in RunMode.values:
        raise RunError(f"Unknown mode {mode!r}: use 'push' or 'run'.")
    language = language or session.language
    if language not in LANGUAGES:
        raise RunError(f"Unknown language {language!r}: use one of {', '.join(LANGUAGES)}.")
    if code is None:
        code = document_get(collection=CODE_COLLECTION, doc_id=session.id).data or ""
    if not isinstance(code, str) or not isinstance(stdin, str):
        raise RunError("code and stdin must be text.")
    if len(code.encode("utf-8", errors="replace")) > settings.RUNNER_MAX_CODE_BYTES:
        raise RunError(f"The code is too large (limit {settings.RUNNER_MAX_CODE_BYTES} bytes).")
    if len(stdin.encode("utf-8", errors="replace")) > settings.RUNNER_MAX_STDIN_BYTES:
        raise RunError(f"The input is too large (limit {settings.RUNNER_MAX_STDIN_BYTES} bytes).")
    run_rate_limit_check(user=user)
    with transaction.atomic():
        run = Run.objects.create(
            session=session, user=user, mode=mode, language=language, code=code, stdin=stdin
        )
        position = Run.objects.filter(
            session=session, status__in=[RunStatus.QUEUED, RunStatus.RUNNING], pk__lt=run.pk
        ).count()
        session_event_publish_on_commit(
            session_id=session.id,
            feature="terminal",
            event={
                "type": "run.queued",
                "run": run.pk,
                "user": user.get_username(),
                "mode": mode,
                "position": position,
            },
        )
        from execution.tasks import run_execute_task

        transaction.on_commit(
            lambda: run_execute_task.apply_async((run.pk,), queue=settings.RUNNER_TASK_QUEUE)
        )
    return run


def run_may_start(*, run: Run) -> bool:
    """One run at a time per session, in order: take the session lock if this run is next."""
    older = Run.objects.filter(
        session_id=run.session_id, status__in=[RunStatus.QUEUED, RunStatus.RUNNING], pk__lt=run.pk
    ).exists()
    if older:
        return False
    return bool(redis_client().set(_lock_key(run.session_id), run.pk, nx=True, ex=LOCK_TTL_SECONDS))


def run_release(*, run: Run) -> None:
    client = redis_client()
    if client.get(_lock_key(run.session_id)) == str(run.pk).encode():
        client.delete(_lock_key(run.session_id))


def terminal_backlog(*, session_id: str) -> list[dict]:
    """Events of the latest run (for an hour), so a member who joins or reloads mid-run or
    after it sees what it printed and how it ended."""
    return [json.loads(item) for item in redis_client().lrange(_backlog_key(session_id), 0, -1)]


class _Terminal:
    """Publishes a run's events to its session and keeps them as the backlog for late joiners.

    Output is buffered and flushed by a background thread every FLUSH_SECONDS, so a program that
    prints a line and then thinks is seen at once, and a flood costs one message per interval.
    """

    def __init__(self, run: Run):
        self.run = run
        self.lock = threading.RLock()
        self.buffered: dict[str, list[str]] = {"stdout": [], "stderr": []}
        self.decoders = {
            stream: codecs.getincrementaldecoder("utf-8")("replace") for stream in self.buffered
        }
        self.shown: list[str] = []
        self.shown_chars = 0
        self.seq = 0
        self.stopped = threading.Event()
        self.flusher = threading.Thread(target=self._flush_periodically, daemon=True)

    def publish(self, event: dict) -> None:
        """Send an event of the run to the session and keep it for members who connect later.

        `seq` numbers the run's events, so a terminal that gets one twice (the backlog of a
        reconnect overlapping the live stream) shows it once.
        """
        with self.lock:
            event = {"run": self.run.pk, "seq": self.seq, **event}
            self.seq += 1
            key = _backlog_key(self.run.session_id)
            pipe = redis_client().pipeline()
            pipe.rpush(key, json.dumps(event))
            pipe.expire(key, BACKLOG_TTL_SECONDS)
            pipe.execute()
            session_event_publish(session_id=self.run.session_id, feature="terminal", event=event)

    def start(self) -> None:
        redis_client().delete(_backlog_key(self.run.session_id))
        self.publish(
            {"type": "run.started", "user": self.run.user.get_username(), "mode": self.run.mode}
        )
        self.flusher.start()

    def stop(self) -> None:
        self.stopped.set()
        if self.flusher.is_alive():
            self.flusher.join()
        self.flush()

    def output(self, stream: str, chunk: bytes) -> None:
        text = self.decoders[stream].decode(chunk)
        if not text:
            return
        with self.lock:
            room = settings.RUNNER_TERMINAL_OUTPUT_CHARS - self.shown_chars
            if room <= 0:
                return
            if len(text) > room:
                text = (
                    text[:room] + "\n[output truncated in the terminal; judging uses all of it]\n"
                )
            self.buffered[stream].append(text)
            self.shown.append(text)
            self.shown_chars += len(text)

    def flush(self) -> None:
        with self.lock:
            for stream, parts in self.buffered.items():
                if parts:
                    data = "".join(parts)
                    parts.clear()
                    self.publish({"type": "output", "stream": stream, "data": data})

    def _flush_periodically(self) -> None:
        while not self.stopped.wait(FLUSH_SECONDS):
            try:
                self.flush()
            except Exception:  # a hiccup of Redis must not kill the run
                logger.exception("flushing the output of run %s failed", self.run.pk)

    @property
    def text(self) -> str:
        return "".join(self.shown)


def run_execute(*, run_id: int) -> bool:
    """Judge one run. Returns False when the session is busy (the task retries shortly)."""
    run = Run.objects.select_related("session__challenge", "user").get(pk=run_id)
    if run.status == RunStatus.DONE:
        return True
    if not run_may_start(run=run):
        return False
    terminal = _Terminal(run=run)
    try:
        Run.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=timezone.now())
        terminal.start()
        if run.mode == RunMode.PUSH:
            _run_push(run, terminal)
        else:
            _run_once(run, terminal)
    except Exception as exc:  # the launcher must always finish the run it took
        logger.exception("run %s failed in the launcher", run.pk)
        _run_finish(run, terminal, Verdict.INTERNAL_ERROR, f"launcher error: {type(exc).__name__}")
    finally:
        terminal.stopped.set()
        run_release(run=run)
    return True


def _run_once(run: Run, terminal: _Terminal) -> None:
    challenge: Challenge = run.session.challenge
    result = sandbox_run(
        language=run.language,
        code=run.code,
        stdin=run.stdin,
        time_limit_ms=challenge.time_limit_ms,
        memory_limit_mb=challenge.memory_limit_mb,
        output_limit_bytes=settings.RUNNER_OUTPUT_LIMIT_BYTES,
        on_output=terminal.output,
        run_id=run.pk,
    )
    terminal.flush()
    verdict, detail = judge(result, None)
    if verdict == Verdict.COMPILATION_ERROR:
        terminal.publish({"type": "output", "stream": "stderr", "data": result.compile_output})
    _run_finish(run, terminal, verdict, detail, time_ms=result.wall_time_ms)


def _run_push(run: Run, terminal: _Terminal) -> None:
    challenge: Challenge = run.session.challenge
    tests = list(challenge.test_cases.order_by("position", "id"))
    results: list[TestResult] = []
    with Sandbox(
        language=run.language,
        code=run.code,
        memory_limit_mb=challenge.memory_limit_mb,
        run_id=run.pk,
    ) as sandbox:
        compiled = sandbox.compile()
        if compiled.compile_failed or compiled.internal_error:
            verdict, detail = judge(compiled, None)
            if compiled.compile_output:
                terminal.publish(
                    {"type": "output", "stream": "stderr", "data": compiled.compile_output}
                )
            _run_finish(run, terminal, verdict, detail, total=len(tests))
            return
        for index, test in enumerate(tests, start=1):
            # Hidden tests are judged silently: their output could reveal their input.
            result = sandbox.run(
                stdin=test.stdin,
                time_limit_ms=challenge.time_limit_ms,
                output_limit_bytes=settings.RUNNER_OUTPUT_LIMIT_BYTES,
                on_output=terminal.output if test.is_sample else None,
            )
            terminal.flush()
            verdict, detail = judge(
                result, test.expected_output, challenge.comparison, challenge.tolerance
            )
            shown_detail = detail if test.is_sample or verdict != Verdict.WRONG_ANSWER else ""
            results.append(
                TestResult(
                    run=run,
                    test_case=test,
                    position=index,
                    is_sample=test.is_sample,
                    verdict=verdict,
                    detail=shown_detail[:500],
                    time_ms=result.wall_time_ms,
                    output_excerpt=result.stdout_text[:EXCERPT_CHARS],
                )
            )
            event = {
                "type": "test.result",
                "position": index,
                "sample": test.is_sample,
                "verdict": verdict,
                "detail": shown_detail,
                "time_ms": result.wall_time_ms,
            }
            if test.is_sample:
                event |= {
                    "stdin": test.stdin[:EXCERPT_CHARS],
                    "expected": test.expected_output[:EXCERPT_CHARS],
                    "actual": result.stdout_text[:EXCERPT_CHARS],
                }
            terminal.publish(event)
    verdicts = [r.verdict for r in results]
    TestResult.objects.bulk_create(results)
    overall = overall_verdict(verdicts)
    first_failure = next((r for r in results if r.verdict != Verdict.ACCEPTED), None)
    detail = (
        f"test {first_failure.position}: {first_failure.detail}".rstrip(": ")
        if first_failure
        else ""
    )
    _run_finish(
        run,
        terminal,
        overall,
        detail,
        passed=verdicts.count(Verdict.ACCEPTED),
        total=len(tests),
    )


def _run_finish(
    run: Run,
    terminal: _Terminal,
    verdict: Verdict,
    detail: str,
    *,
    passed: int | None = None,
    total: int | None = None,
    time_ms: int | None = None,
) -> None:
    terminal.stop()
    Run.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE,
        verdict=verdict,
        detail=detail[:500],
        output=terminal.text,
        finished_at=timezone.now(),
    )
    event = {"type": "run.finished", "verdict": verdict, "detail": detail}
    if total is not None:
        event |= {"passed": passed or 0, "total": total}
    if time_ms is not None:
        event["time_ms"] = time_ms
    terminal.publish(event)


def run_internal_error(*, run_id: int, message: str) -> None:
    """Close a run the launcher could not judge, so nobody waits on it forever."""
    updated = Run.objects.filter(pk=run_id).exclude(status=RunStatus.DONE).update(
        status=RunStatus.DONE, verdict=Verdict.INTERNAL_ERROR, detail=message[:500],
        finished_at=timezone.now(),
    )  # fmt: skip
    if updated:
        run = Run.objects.get(pk=run_id)
        run_release(run=run)
        session_event_publish_on_commit(
            session_id=run.session_id,
            feature="terminal",
            event={
                "type": "run.finished",
                "run": run_id,
                "verdict": Verdict.INTERNAL_ERROR,
                "detail": message,
            },
        )
