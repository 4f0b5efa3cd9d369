"""Celery tasks of code execution: thin wrappers around the launcher, the sweeper and the reaper."""

from __future__ import annotations

from celery import shared_task
from celery.signals import worker_process_shutdown
from django.conf import settings

from execution.containers import POOL
from execution.launcher import BUSY, run_execute, run_internal_error
from execution.reaper import runners_reap
from execution.scheduler import runs_sweep

# Only a redelivered task of a run another worker may still hold waits; a few tries cover the
# heartbeat's expiry, then the sweeper decides.
BUSY_RETRY_SECONDS = 4
BUSY_RETRIES = 5


@shared_task(bind=True, max_retries=BUSY_RETRIES, acks_late=True, reject_on_worker_lost=True)
def run_execute_task(self, run_id: int) -> None:
    """Judge a run the scheduler dispatched."""
    try:
        outcome = run_execute(run_id=run_id)
    except Exception as exc:
        run_internal_error(run_id=run_id, message=f"launcher error: {type(exc).__name__}")
        raise
    if outcome == BUSY and self.request.retries < BUSY_RETRIES:
        raise self.retry(countdown=BUSY_RETRY_SECONDS)


@shared_task
def runs_sweep_task() -> int:
    """End or re-queue runs stranded by a dead worker; hand out runs whose dispatch was lost."""
    return runs_sweep()


@shared_task
def runners_reap_task() -> int:
    """Remove runner containers no run needs any more."""
    return runners_reap(max_age_seconds=settings.RUNNER_REAP_AFTER_SECONDS)


@worker_process_shutdown.connect
def _drain_runner_pool(**kwargs) -> None:
    """Pool processes end without atexit handlers; remove their idle pre-started containers."""
    POOL.drain()
