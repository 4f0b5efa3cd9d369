"""Faults end in a clear state: a killed worker, a stuck run, stale containers, a user's backlog.

The crash tests SIGKILL the real Celery pool processes while they judge a run; within 30 s the
run ends (run again once from the start; a second loss is Internal Error "the runner stopped;
run it again"), the session's next run goes on and no container of the run is left.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from datetime import timedelta
from pathlib import Path

import docker
import pytest
from django.core.management import call_command
from django.utils import timezone

from execution.containers import LABEL_CREATED, LABEL_RUN_ID, LABEL_RUNNER, LABEL_SITE
from execution.images import docker_client
from execution.liveness import Heartbeat
from execution.models import Run, RunStatus, Verdict
from execution.reaper import run_containers
from execution.scheduler import RUNNER_STOPPED, run_queue_position, runs_sweep
from execution.services import run_create
from sessions_app.services import session_create
from tests.execution.test_launcher import wait_done
from tests.factories import ChallengeFactory, UserFactory

pytestmark = [pytest.mark.docker, pytest.mark.django_db(transaction=True), pytest.mark.timeout(300)]

RECOVERY_SECONDS = 30  # the promise, not a speed check of the happy path
SLOW = "import time\ntime.sleep(4)\nprint('slept')\n"


def pool_children(worker) -> list[int]:
    """The pool processes of the live Celery worker (its direct children)."""
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def wait_for(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s: {what}")


def containers_of(run_id: int) -> list:
    client = docker_client()
    try:
        return run_containers(client, run_id)
    finally:
        client.close()


def kill_while_running(worker, run: Run, attempt: int) -> None:
    """SIGKILL the pool processes once the run's `attempt` is in a container."""
    wait_for(
        lambda: Run.objects.get(pk=run.pk).attempts == attempt and containers_of(run.pk),
        120,
        f"attempt {attempt} of run {run.pk} running in a container",
    )
    for pid in pool_children(worker):
        os.kill(pid, signal.SIGKILL)


@pytest.fixture
def slow_session(user):
    challenge = ChallengeFactory(time_limit_ms=8000)
    challenge.test_cases.update(expected_output="slept\n")
    return session_create(challenge=challenge, owner=user, language="python")


def test_a_killed_worker_runs_the_run_again_and_the_queue_moves(
    live_celery_worker, user, slow_session, settings
):
    settings.RUNNER_RUNS_PER_MINUTE = 100
    first = run_create(session=slow_session, user=user, mode="push", code=SLOW)
    second = run_create(session=slow_session, user=user, mode="run", code="print('next')\n")
    kill_while_running(live_celery_worker, first, attempt=1)
    killed_at = time.monotonic()
    first = wait_done(first.pk)
    assert time.monotonic() - killed_at < RECOVERY_SECONDS
    assert first.attempts == 2 and first.verdict == Verdict.ACCEPTED  # judged from the start
    assert first.tests.count() == 2
    assert wait_done(second.pk).output == "next\n"
    assert not containers_of(first.pk) and not containers_of(second.pk)


def test_a_run_that_loses_its_worker_twice_ends_as_internal_error(
    live_celery_worker, user, slow_session, settings
):
    settings.RUNNER_RUNS_PER_MINUTE = 100
    run = run_create(session=slow_session, user=user, mode="push", code=SLOW)
    after = run_create(session=slow_session, user=user, mode="run", code="print('after')\n")
    kill_while_running(live_celery_worker, run, attempt=1)
    kill_while_running(live_celery_worker, run, attempt=2)
    killed_at = time.monotonic()
    run = wait_done(run.pk)
    assert time.monotonic() - killed_at < RECOVERY_SECONDS
    assert (run.verdict, run.detail) == (Verdict.INTERNAL_ERROR, RUNNER_STOPPED)
    assert wait_done(after.pk).verdict == Verdict.ACCEPTED
    wait_for(lambda: not containers_of(run.pk), 10, "the dead run's container removed")


def test_the_sweeper_ends_stuck_runs_and_requeues_orphans(user, slow_session, settings):
    settings.RUNNER_CONCURRENCY = 0  # the re-queued run stays queued: no worker takes it here
    now = timezone.now()
    orphan = Run.objects.create(
        session=slow_session, user=user, mode="run", language="python", code="print(1)",
        status=RunStatus.RUNNING, started_at=now, attempts=1,
    )  # fmt: skip
    twice = Run.objects.create(
        session=slow_session, user=user, mode="run", language="python", code="print(1)",
        status=RunStatus.RUNNING, started_at=now, attempts=2,
    )  # fmt: skip
    stuck = Run.objects.create(
        session=slow_session, user=user, mode="run", language="python", code="print(1)",
        status=RunStatus.RUNNING, started_at=now - timedelta(hours=1), attempts=1,
    )  # fmt: skip
    beat = Heartbeat(stuck.pk)
    beat.start()  # a worker seems alive but the run is far past its limits
    try:
        assert runs_sweep() >= 3
    finally:
        beat.stop()
    orphan.refresh_from_db()
    assert orphan.status == RunStatus.QUEUED and orphan.started_at is None
    for run in (twice, stuck):
        run.refresh_from_db()
        assert (run.status, run.verdict, run.detail) == (
            RunStatus.DONE, Verdict.INTERNAL_ERROR, RUNNER_STOPPED,
        )  # fmt: skip


def _runner_container(client, run_id: str, age_seconds: int, site: str):
    container = client.containers.create(
        "codepusher-runner-python:1", command=["sleep", "60"], network_mode="none",
        labels={LABEL_RUNNER: "1", LABEL_RUN_ID: run_id, LABEL_SITE: site,
                LABEL_CREATED: str(int(time.time()) - age_seconds)},
    )  # fmt: skip
    return container.id


def test_the_reaper_spares_live_runs_and_honours_the_max_age(
    runner_ready, user, slow_session, settings
):
    from execution.containers import site_namespace

    live = Run.objects.create(
        session=slow_session, user=user, mode="run", language="python", code="",
        status=RunStatus.RUNNING, started_at=timezone.now(),
    )  # fmt: skip
    dead = Run.objects.create(
        session=slow_session, user=user, mode="run", language="python", code="",
        status=RunStatus.RUNNING, started_at=timezone.now(),
    )  # fmt: skip
    client = docker_client()
    site = site_namespace()
    # Ages stay under the 300 s other sites' reapers on a shared engine use by default.
    ids = {
        "live": _runner_container(client, str(live.pk), 200, site),
        "dead": _runner_container(client, str(dead.pk), 1, site),
        "young": _runner_container(client, "pool", 10, site),
        "old": _runner_container(client, "pool", 200, site),
        "other-site": _runner_container(client, str(dead.pk), 10, "another-site"),
    }
    beat = Heartbeat(live.pk)
    beat.start()
    try:
        settings.RUNNER_REAP_AFTER_SECONDS = 100
        call_command("reap_runners")
        left = {c.id for c in client.containers.list(all=True)}
        kept = {name for name, cid in ids.items() if cid in left}
        assert kept == {"live", "young", "other-site"}
    finally:
        beat.stop()
        for cid in ids.values():
            with contextlib.suppress(docker.errors.NotFound):
                client.api.remove_container(cid, force=True)
        client.close()


def received(log_dir: Path) -> int:
    """How many run tasks the live worker has received so far."""
    text = (log_dir / "celery-worker.log").read_text()
    return sum("run_execute_task" in line and "received" in line for line in text.splitlines())


def test_one_users_backlog_does_not_hold_other_users_back(live_celery_worker, live_logs, settings):
    settings.RUNNER_RUNS_PER_MINUTE = 100
    received_before = received(live_logs)
    alice, bob = UserFactory(), UserFactory()
    challenge = ChallengeFactory(time_limit_ms=8000)
    alice_runs = [
        run_create(
            session=session_create(challenge=challenge, owner=alice, language="python"),
            user=alice, mode="run", code="import time\ntime.sleep(2)\n",
        )
        for _ in range(3)
    ]  # fmt: skip
    bob_session = session_create(challenge=challenge, owner=bob, language="python")
    bob_run = run_create(session=bob_session, user=bob, mode="run", code="print('bob')\n")
    assert [run_queue_position(run=r) for r in alice_runs] == [0, 1, 2]
    assert run_queue_position(run=bob_run) == 0
    bob_run = wait_done(bob_run.pk)
    alice_runs = [wait_done(r.pk) for r in alice_runs]
    assert bob_run.started_at < alice_runs[1].started_at, "bob did not wait for alice's backlog"
    for earlier, later in zip(alice_runs, alice_runs[1:], strict=False):
        assert earlier.finished_at <= later.started_at, "alice never had two runs at once"
    assert received(live_logs) - received_before == 4, "each run handed out once, no polling"


def test_an_engine_that_goes_away_gets_the_run_run_again_once(
    runner_ready, user, slow_session, settings
):
    """The engine unreachable mid-run (as while it restarts): the run is queued again from the
    start; back, it is judged; lost twice, it ends as Internal Error."""
    from execution.launcher import run_execute

    settings.RUNNER_CONCURRENCY = 0  # this test runs the launcher itself, no worker takes it
    settings.RUNNER_POOL_SIZE = 0
    runs = [
        Run.objects.create(session=slow_session, user=user, mode="run", language="python",
                           code="print('back')\n")
        for _ in range(2)
    ]  # fmt: skip
    settings.DOCKER_HOST = "unix:///nonexistent/docker.sock"
    run_execute(run_id=runs[0].pk)
    runs[0].refresh_from_db()
    assert (runs[0].status, runs[0].attempts) == (RunStatus.QUEUED, 1)
    settings.DOCKER_HOST = ""
    run_execute(run_id=runs[0].pk)
    runs[0].refresh_from_db()
    assert (runs[0].verdict, runs[0].attempts, runs[0].output) == (Verdict.ACCEPTED, 2, "back\n")

    settings.DOCKER_HOST = "unix:///nonexistent/docker.sock"
    run_execute(run_id=runs[1].pk)
    run_execute(run_id=runs[1].pk)
    runs[1].refresh_from_db()
    assert (runs[1].verdict, runs[1].detail) == (Verdict.INTERNAL_ERROR, RUNNER_STOPPED)
