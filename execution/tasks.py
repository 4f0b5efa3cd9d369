"""Celery tasks of code execution: thin wrappers around the launcher and the reaper."""

from __future__ import annotations

from celery import shared_task
from celery.signals import worker_process_shutdown
from django.conf import settings

from execution.reaper import runners_reap
from execution.sandbox import POOL
from execution.services import run_execute, run_internal_error

BUSY_RETRY_SECONDS = 0.3


@shared_task(bind=True, max_retries=None, acks_late=True, reject_on_worker_lost=True)
def run_execute_task(self, run_id: int) -> None:
    """Judge a run; while another run of the same session is going, wait for our turn."""
    try:
        started = run_execute(run_id=run_id)
    except Exception as exc:
        run_internal_error(run_id=run_id, message=f"launcher error: {type(exc).__name__}")
        raise
    if not started:
        raise self.retry(countdown=BUSY_RETRY_SECONDS)


@shared_task
def runners_reap_task() -> int:
    """Remove runner containers a dead worker left behind."""
    return runners_reap(max_age_seconds=settings.RUNNER_REAP_AFTER_SECONDS)


@worker_process_shutdown.connect
def _drain_runner_pool(**kwargs) -> None:
    """Pool processes end without atexit handlers; remove their idle pre-started containers."""
    POOL.drain()
