"""Which queued run a worker judges next, and how a run whose worker died still ends.

Scheduling (`runs_dispatch`), called when a run is asked for, when one ends and by the sweeper:

* one run at a time per session, in the order they were asked for;
* at most ``RUNNER_USER_CONCURRENCY`` (default 1) runs of one user dispatched or running;
* at most ``RUNNER_CONCURRENCY`` dispatched or running in all (the workers' slots), so a user
  with a backlog never fills the broker queue ahead of everybody else;
* among the runs that may start, the user with the fewest active runs first, then the oldest.

A queued run is handed to Celery exactly once, when it may start: nothing polls.

Liveness: while a worker judges a run it refreshes a heartbeat (`execution.liveness`).
A run ``running`` without a heartbeat lost its worker (SIGKILL, OOM, a restarted host):
`run_recover` removes its containers and queues it again from the start once; a second loss
ends it as Internal Error "the runner stopped; run it again". `runs_sweep` (periodic) does this
for every such run, and ends any run left running past its own limits plus a grace.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta

import redis
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from codepusher.redis import redis_client
from execution.containers import site_namespace
from execution.languages import get_language
from execution.liveness import run_is_alive
from execution.models import Run, RunMode, RunStatus, TestResult
from execution.reaper import run_containers_remove

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 2
RUNNER_STOPPED = "the runner stopped; run it again"
SWEEP_GRACE_SECONDS = 60
# A dispatched run whose task never started (a lost broker message) is handed out again.
DISPATCH_LOST_SECONDS = 120


def _user_limit() -> int:
    return max(1, int(settings.RUNNER_USER_CONCURRENCY))


def _active_runs():
    return Run.objects.filter(
        Q(status=RunStatus.RUNNING) | Q(status=RunStatus.QUEUED, dispatched_at__isnull=False)
    )


def _runs_choose() -> list[int]:
    """The queued runs that may start now under the rules above, marked dispatched."""
    active = list(_active_runs().values_list("session_id", "user_id"))
    busy_sessions = {session for session, _ in active}
    per_user = Counter(user for _, user in active)
    free = int(settings.RUNNER_CONCURRENCY) - len(active)
    if free <= 0:
        return []
    heads: dict[str, tuple[int, int]] = {}  # each session's oldest queued run
    queued = Run.objects.filter(status=RunStatus.QUEUED, dispatched_at__isnull=True)
    for pk, session, user in queued.order_by("pk").values_list("pk", "session_id", "user_id"):
        heads.setdefault(session, (pk, user))
    chosen: list[int] = []
    limit = _user_limit()
    while free > 0:
        eligible = [
            (per_user[user], pk, session, user)
            for session, (pk, user) in heads.items()
            if session not in busy_sessions and per_user[user] < limit
        ]
        if not eligible:
            break
        _, pk, session, user = min(eligible)
        chosen.append(pk)
        busy_sessions.add(session)
        per_user[user] += 1
        free -= 1
    if chosen:
        Run.objects.filter(pk__in=chosen, status=RunStatus.QUEUED).update(
            dispatched_at=timezone.now()
        )
    return chosen


def runs_dispatch() -> list[int]:
    """Hand every run that may start now to a worker; returns their ids."""
    try:
        with redis_client().lock(
            f"codepusher:runs:{site_namespace()}:dispatch", timeout=30, blocking_timeout=10
        ):
            chosen = _runs_choose()
    except redis.exceptions.LockError:
        logger.warning("dispatching runs waited too long for the lock; the sweeper retries")
        return []
    from execution.tasks import run_execute_task

    for pk in chosen:
        run_execute_task.apply_async((pk,), queue=settings.RUNNER_TASK_QUEUE)
    return chosen


def run_queue_position(*, run: Run) -> int:
    """How many runs must start before this one: the earlier unfinished runs of its session,
    and the user's own earlier unfinished runs elsewhere beyond their concurrency."""
    unfinished = Run.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING], pk__lt=run.pk)
    in_session = unfinished.filter(session_id=run.session_id).count()
    mine_elsewhere = unfinished.filter(user_id=run.user_id).exclude(session_id=run.session_id)
    return in_session + max(0, mine_elsewhere.count() - (_user_limit() - 1))


def run_deadline_seconds(*, run: Run) -> float:
    """The longest a run can legitimately take: compile, every test at its limit, clean-ups."""
    challenge = run.session.challenge
    steps = challenge.test_cases.count() if run.mode == RunMode.PUSH else 1
    per_test = challenge.time_limit_ms / 1000 + 2
    return get_language(run.language).compile_time_limit_ms / 1000 + steps * per_test


def run_recover(*, run: Run) -> bool:
    """A run whose worker died: queue it again from the start once, else end it.

    Returns True when this call acted (False: another process got there first).
    """
    from execution.launcher import run_internal_error

    run_containers_remove(run_id=run.pk)
    if run.attempts >= MAX_ATTEMPTS:
        return run_internal_error(run_id=run.pk, message=RUNNER_STOPPED)
    updated = Run.objects.filter(pk=run.pk, status=RunStatus.RUNNING, attempts=run.attempts).update(
        status=RunStatus.QUEUED, started_at=None, dispatched_at=None
    )
    if updated:
        TestResult.objects.filter(run_id=run.pk).delete()
        logger.warning("run %s lost its worker; running it again", run.pk)
        runs_dispatch()
    return bool(updated)


def runs_sweep() -> int:
    """End or re-queue every run stranded by a dead worker; hand out lost dispatches.

    Returns how many runs it acted on.
    """
    from execution.launcher import run_internal_error

    acted = 0
    now = timezone.now()
    running = Run.objects.filter(status=RunStatus.RUNNING).select_related("session__challenge")
    for run in running:
        if not run_is_alive(run_id=run.pk):
            acted += run_recover(run=run)
            continue
        limit = run_deadline_seconds(run=run) + SWEEP_GRACE_SECONDS
        if run.started_at and (now - run.started_at).total_seconds() > limit:
            run_containers_remove(run_id=run.pk)
            acted += run_internal_error(run_id=run.pk, message=RUNNER_STOPPED)
    lost = Run.objects.filter(
        status=RunStatus.QUEUED,
        dispatched_at__lt=now - timedelta(seconds=DISPATCH_LOST_SECONDS),
    ).update(dispatched_at=None)
    runs_dispatch()
    return acted + lost
