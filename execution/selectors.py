"""Reads of runs: history, results, what a user has solved."""

from __future__ import annotations

import difflib
import json

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, F, OuterRef, QuerySet

from challenges.models import Challenge
from codepusher.redis import redis_client
from execution.models import Run, RunMode, Verdict
from execution.terminal import terminal_backlog_key
from sessions_app.models import Membership


def challenge_solved_list(*, user: AbstractBaseUser) -> QuerySet[Challenge]:
    """Challenges with an Accepted push in a session the user had joined by then: a pair's
    solution is every member's, whoever pressed Submit."""
    accepted_while_member = Membership.objects.filter(
        user_id=user.pk,
        session__challenge=OuterRef("pk"),
        session__runs__mode=RunMode.PUSH,
        session__runs__verdict=Verdict.ACCEPTED,
        session__runs__created_at__gte=F("joined_at"),
    )
    return (
        Challenge.objects.filter(Exists(accepted_while_member))
        .select_related("repository")
        .order_by("title")
    )


def run_get(*, run_id: int) -> Run | None:
    return Run.objects.select_related("session").prefetch_related("tests").filter(pk=run_id).first()


def run_recent_list(*, session_id: str, limit: int = 10) -> list[dict]:
    """The session's latest runs, newest first, as the terminal shows them on connect."""
    runs = Run.objects.filter(session_id=session_id).select_related("user")[:limit]
    return [
        {
            "run": run.pk,
            "user": run.user.get_username(),
            "mode": run.mode,
            "status": run.status,
            "verdict": run.verdict,
        }
        for run in runs
    ]


def terminal_backlog(*, session_id: str) -> list[dict]:
    """Events of the session's latest run (kept an hour), for a member who connects later."""
    return [json.loads(i) for i in redis_client().lrange(terminal_backlog_key(session_id), 0, -1)]


def run_history_list(*, session_id: str) -> QuerySet[Run]:
    """The session's runs, newest first, with their per-test results for the verdict marks."""
    return (
        Run.objects.filter(session_id=session_id)
        .select_related("user")
        .prefetch_related("tests")
        .order_by("-pk")
    )


def run_code_diff(*, run: Run, against: Run) -> str:
    """The unified diff from `against`'s code to `run`'s."""

    def name(r: Run) -> str:
        return f"run {r.pk}" + (f" (v{r.version})" if r.version is not None else " (own code)")

    return "".join(
        difflib.unified_diff(
            against.code.splitlines(keepends=True),
            run.code.splitlines(keepends=True),
            fromfile=name(against),
            tofile=name(run),
        )
    )
