"""The Docker engine restarts mid-run: the run still ends in a clear state within 30 s.

A real dockerd of its own (the TLS runner host of test_runner_host_tls, so the engine the rest of
the suite uses is never touched) is killed with SIGKILL while a real Celery worker bound to it
judges a slow push, and started again with the same command line. The run is judged again from
the start (or ends as Internal Error "the runner stopped; run it again"), the session's next run
is judged, and no container of the run is left on the restarted engine.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from execution.models import Run, RunStatus, Verdict
from execution.reaper import run_containers
from execution.scheduler import RUNNER_STOPPED
from execution.services import run_create
from sessions_app.services import session_create
from tests.execution.test_faults import RECOVERY_SECONDS, SLOW, wait_for
from tests.execution.test_runner_host_tls import (
    engine_start,
    runner_host,
    tls_engine,  # noqa: F401 (the fixture: an engine of this module's own)
    tls_engine_client,
    wait_done,
)
from tests.factories import ChallengeFactory


def engine_kill(engine: dict) -> None:
    """SIGKILL the engine's dockerd; its containerd follows it (a restart before that would
    find containerd's database still locked). The containers' shims live on."""
    containerd_pid = int((engine["root"] / "exec/containerd/containerd.pid").read_text())
    engine["process"].send_signal(signal.SIGKILL)
    engine["process"].wait(timeout=30)
    wait_for(lambda: not Path(f"/proc/{containerd_pid}").exists(), 30, "containerd gone")


pytestmark = [pytest.mark.docker, pytest.mark.django_db(transaction=True), pytest.mark.timeout(400)]


def test_an_engine_restart_mid_run_ends_the_run_and_the_queue_moves(
    tls_engine,  # noqa: F811
    settings,
    user,
):
    settings.RUNNER_RUNS_PER_MINUTE = 100
    challenge = ChallengeFactory(time_limit_ms=8000)
    challenge.test_cases.update(expected_output="slept\n")
    session = session_create(challenge=challenge, owner=user, language="python")
    client = tls_engine_client(tls_engine)
    try:
        with runner_host(tls_engine, settings, name="restart"):
            run = run_create(session=session, user=user, mode="push", code=SLOW)
            after = run_create(session=session, user=user, mode="run", code="print('next')\n")
            wait_for(
                lambda: (
                    Run.objects.get(pk=run.pk).status == RunStatus.RUNNING
                    and run_containers(client, run.pk)
                ),
                120,
                f"run {run.pk} running in a container of the second engine",
            )
            engine_kill(tls_engine)
            killed_at = time.monotonic()
            engine_start(tls_engine)  # the same command line, data root and port
            run = wait_done(run.pk)
            assert time.monotonic() - killed_at < RECOVERY_SECONDS, run.detail
            outcome = (run.verdict, run.attempts, run.detail)
            assert outcome in {(Verdict.ACCEPTED, 2, ""), (Verdict.INTERNAL_ERROR, 1, RUNNER_STOPPED),
                               (Verdict.INTERNAL_ERROR, 2, RUNNER_STOPPED)}, outcome  # fmt: skip
            after = wait_done(after.pk)
            assert (after.verdict, after.output) == (Verdict.ACCEPTED, "next\n"), after.detail
        client.close()
        client = tls_engine_client(tls_engine)  # the restarted engine
        wait_for(lambda: not run_containers(client, run.pk), 10, "the run's containers removed")
        assert not run_containers(client, after.pk)
    finally:
        client.close()
