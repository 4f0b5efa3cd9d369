"""Reads of runs: history, results, what a user has solved."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from challenges.models import Challenge
from execution.models import Run, RunMode, Verdict


def challenge_solved_list(*, user: AbstractBaseUser) -> QuerySet[Challenge]:
    """Challenges where a push the user took part in (as a session member) got Accepted."""
    return (
        Challenge.objects.filter(
            sessions__runs__user=user,
            sessions__runs__mode=RunMode.PUSH,
            sessions__runs__verdict=Verdict.ACCEPTED,
        )
        .select_related("repository")
        .distinct()
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
