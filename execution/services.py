"""Writes of code execution on the web side: accepting a run and queueing it for a worker.

The worker side (judging) is `execution.launcher`; the terminal's events are `execution.terminal`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from codepusher.ratelimit import Rate, RateLimited, rate_limit_check
from execution.languages import LANGUAGES
from execution.models import Run, RunMode
from execution.scheduler import run_queue_position, runs_dispatch
from sessions_app.events import session_event_publish_on_commit
from sessions_app.models import CodingSession, SessionStatus
from sessions_app.selectors import session_code_read


class RunError(Exception):
    """A run request that cannot be accepted; the message is shown to the user."""


class RunRateLimited(RunError):
    """The user started too many runs lately; the message says how many are allowed."""


def run_rate_limit_check(*, user: AbstractBaseUser) -> None:
    """At most RUNNER_RUNS_PER_MINUTE runs per user in any minute, across all sessions."""
    rate = Rate(limit=settings.RUNNER_RUNS_PER_MINUTE, seconds=60)
    try:
        rate_limit_check(scope="runs", ident=user.pk, rate=rate, what="runs")
    except RateLimited as exc:
        raise RunRateLimited(str(exc)) from exc


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
        raise RunError(f"Unknown mode {mode!r}: use one of {', '.join(RunMode.values)}.")
    if session.status == SessionStatus.CLOSED:
        raise RunError("This session is closed: nothing runs in it any more.")
    language = language or session.language
    if language not in LANGUAGES:
        raise RunError(f"Unknown language {language!r}: use one of {', '.join(LANGUAGES)}.")
    version = None
    if code is None:
        code, version = session_code_read(session_id=session.id)
    if not isinstance(code, str) or not isinstance(stdin, str):
        raise RunError("code and stdin must be text.")
    if len(code.encode("utf-8", errors="replace")) > settings.RUNNER_MAX_CODE_BYTES:
        raise RunError(f"The code is too large (limit {settings.RUNNER_MAX_CODE_BYTES} bytes).")
    if len(stdin.encode("utf-8", errors="replace")) > settings.RUNNER_MAX_STDIN_BYTES:
        raise RunError(f"The input is too large (limit {settings.RUNNER_MAX_STDIN_BYTES} bytes).")
    run_rate_limit_check(user=user)
    with transaction.atomic():
        run = Run.objects.create(
            session=session, user=user, mode=mode, language=language, code=code, stdin=stdin,
            version=version,
        )  # fmt: skip
        position = run_queue_position(run=run)
        session_event_publish_on_commit(
            session_id=session.id,
            feature="terminal",
            event={
                "type": "run.queued",
                "run": run.pk,
                "user": user.get_username(),
                "mode": mode,
                "position": position,
                "version": version,
            },
        )
        transaction.on_commit(runs_dispatch)
    return run
