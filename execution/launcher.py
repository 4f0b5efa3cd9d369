"""The launcher: a Celery worker judges one run in a runner and tells the session as it goes.

`run_execute` claims a run the scheduler dispatched, keeps its heartbeat while it works, streams
output to the shared terminal, compares outputs here (expected outputs never enter the
container) and stores the verdicts. `run_internal_error` closes a run it could not judge.

Hidden tests keep their secrets: for a test that is not a sample, nothing derived from its input
or expected output leaves the server except its verdict and its time (``time_ms``, ``cpu_ms``):
no output (it is not streamed), no detail (exception, exit code, signal, diff), no memory figure.
The run's own ``detail`` names a hidden failure by position and verdict only. The full detail is
stored on the test result for staff in the admin.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from challenges.models import Challenge, TestCase
from execution.blame import run_changes
from execution.interactive import interactive_run
from execution.liveness import Heartbeat, run_is_alive
from execution.models import Run, RunMode, RunStatus, TestResult, Verdict
from execution.outcome import SandboxResult
from execution.reaper import run_containers_remove
from execution.sandbox import Sandbox, sandbox_run
from execution.scheduler import MAX_ATTEMPTS, RUNNER_STOPPED, run_recover, runs_dispatch
from execution.terminal import Terminal
from execution.validators import OutputJudge
from execution.verdicts import judge, overall_verdict
from sessions_app.events import session_event_publish_on_commit

logger = logging.getLogger(__name__)

EXCERPT_CHARS = 2000
ENGINE_BACK_SECONDS = 15  # a restarting engine answers again within a few seconds
DONE, BUSY = "done", "busy"


class RunnerLost(Exception):
    """The runner went away under the run (the engine restarted, the container vanished)."""


def run_execute(*, run_id: int) -> str:
    """Judge one run. Returns BUSY when another live worker holds it (ask again later)."""
    run = Run.objects.select_related("session__challenge", "user").get(pk=run_id)
    if run.status == RunStatus.DONE:
        return DONE
    if run.status == RunStatus.RUNNING:
        if run_is_alive(run_id=run.pk):
            return BUSY
        run_recover(run=run)  # its worker died (this task is the redelivered message)
        return DONE
    heartbeat = Heartbeat(run.pk)
    heartbeat.start()
    claimed = Run.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        heartbeat.stop()
        return DONE
    run.refresh_from_db(fields=["attempts"])
    terminal = Terminal(run=run)
    try:
        terminal.start(
            {"type": "run.started", "user": run.user.get_username(), "mode": run.mode,
             "version": run.version, "attempt": run.attempts}
        )  # fmt: skip
        if run.mode == RunMode.PUSH:
            _run_push(run, terminal)
        elif run.mode == RunMode.INTERACTIVE:
            interactive_run(run, terminal)
        else:
            _run_once(run, terminal)
    except RunnerLost as exc:
        if run.attempts < MAX_ATTEMPTS:
            _engine_back(run.pk, ENGINE_BACK_SECONDS)
            _run_lost(run, terminal, str(exc))
        else:
            _run_finish(run, terminal, Verdict.INTERNAL_ERROR, RUNNER_STOPPED)
            _engine_back(run.pk, 0)
    except Exception as exc:  # the launcher must always finish the run it took
        logger.exception("run %s failed in the launcher", run.pk)
        _run_finish(run, terminal, Verdict.INTERNAL_ERROR, f"launcher error: {type(exc).__name__}")
    finally:
        terminal.stopped.set()
        heartbeat.stop()
        runs_dispatch()
    return DONE


def _check_runner(result: SandboxResult) -> None:
    """A runner lost mid-run (a missing image would not heal): the run starts again once."""
    if result.internal_error and "is missing" not in result.internal_error:
        raise RunnerLost(result.internal_error)


def _engine_back(run_id: int, seconds: float) -> None:
    """Wait (at most ``seconds``) for the engine to answer again, then remove what the run left
    on it: re-run at once, the run would lose its second attempt to the same restart."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            run_containers_remove(run_id=run_id)
            return
        except Exception:  # the engine is still away: connection refused, TLS, timeouts
            if time.monotonic() >= deadline:
                logger.warning("the engine did not answer for run %s", run_id, exc_info=True)
                return
            time.sleep(0.5)


def _run_lost(run: Run, terminal: Terminal, why: str) -> None:
    """Queue the run again from the start; the scheduler hands it out when its turn comes."""
    logger.warning("run %s lost its runner (%s); running it again", run.pk, why)
    terminal.stop()
    TestResult.objects.filter(run_id=run.pk).delete()
    Run.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
        status=RunStatus.QUEUED, started_at=None, dispatched_at=None
    )
    terminal.publish({"type": "run.requeued", "reason": "the runner stopped; running it again"})


def _run_once(run: Run, terminal: Terminal) -> None:
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
    _check_runner(result)
    terminal.flush()
    verdict, detail = judge(result, None)
    if verdict == Verdict.COMPILATION_ERROR:
        terminal.publish({"type": "output", "stream": "stderr", "data": result.compile_output})
    ran = not (result.compile_failed or result.internal_error)
    _run_finish(
        run, terminal, verdict, detail,
        exit_code=result.exit_code if ran else None, time_ms=result.wall_time_ms,
    )  # fmt: skip


def _test_event(test: TestCase, index: int, verdict: Verdict, detail: str, result) -> dict:
    """A test's line in the terminal: a hidden test shows its verdict and times only."""
    event = {
        "type": "test.result", "position": index, "sample": test.is_sample, "verdict": verdict,
        "detail": "", "time_ms": result.wall_time_ms, "cpu_ms": result.cpu_ms, "memory_kb": None,
    }  # fmt: skip
    if test.is_sample:
        event |= {
            "detail": detail,
            "memory_kb": result.memory_kb,
            "stdin": test.stdin[:EXCERPT_CHARS],
            "expected": test.expected_output[:EXCERPT_CHARS],
            "actual": result.stdout_text[:EXCERPT_CHARS],
        }
    return event


def _run_push(run: Run, terminal: Terminal) -> None:
    challenge: Challenge = run.session.challenge
    tests = list(challenge.test_cases.order_by("position", "id"))
    results: list[TestResult] = []
    with (
        Sandbox(
            language=run.language,
            code=run.code,
            memory_limit_mb=challenge.memory_limit_mb,
            run_id=run.pk,
        ) as sandbox,
        OutputJudge(challenge=challenge, run_id=run.pk) as output_judge,
    ):
        compiled = sandbox.compile()
        _check_runner(compiled)
        if compiled.compile_failed or compiled.internal_error:
            verdict, detail = judge(compiled, None)
            if compiled.compile_output:
                terminal.publish(
                    {"type": "output", "stream": "stderr", "data": compiled.compile_output}
                )
            _run_finish(run, terminal, verdict, detail, total=len(tests), results=[])
            return
        # Samples first: a test whose output members see never runs after a hidden test in
        # the same container, so nothing a hidden test leaves (even a process id) reaches them.
        numbered = sorted(enumerate(tests, start=1), key=lambda item: not item[1].is_sample)
        for index, test in numbered:
            # Hidden tests are judged silently: their output could reveal their input.
            result = sandbox.run(
                stdin=test.stdin,
                time_limit_ms=challenge.time_limit_ms,
                output_limit_bytes=settings.RUNNER_OUTPUT_LIMIT_BYTES,
                on_output=terminal.output if test.is_sample else None,
            )
            _check_runner(result)
            terminal.flush()
            verdict, detail = output_judge.judge(result, test)  # comparison or validator
            results.append(
                TestResult(
                    run=run, test_case=test, position=index, is_sample=test.is_sample,
                    verdict=verdict, detail=detail[:500], time_ms=result.wall_time_ms,
                    cpu_ms=result.cpu_ms, memory_kb=result.memory_kb,
                    output_excerpt=result.stdout_text[:EXCERPT_CHARS],
                )
            )  # fmt: skip
            terminal.publish(_test_event(test, index, verdict, detail, result))
        # Finished before the containers are removed: removal is off the push's critical path
        # (the next run is dispatched only after it, so no more containers run at once).
        results.sort(key=lambda r: r.position)
        verdicts = [r.verdict for r in results]
        TestResult.objects.bulk_create(results)
        first_failure = next((r for r in results if r.verdict != Verdict.ACCEPTED), None)
        _run_finish(
            run, terminal, overall_verdict(verdicts), run_failure_detail(first_failure),
            passed=verdicts.count(Verdict.ACCEPTED), total=len(tests), results=results,
        )  # fmt: skip


def run_failure_detail(result: TestResult | None) -> str:
    """The run's one-line summary of its first failing test, safe to show every member."""
    if result is None:
        return ""
    if not result.is_sample:
        return f"hidden test {result.position}: {Verdict(result.verdict).label}"
    return f"test {result.position}: {result.detail}".rstrip(": ")


def _run_finish(
    run: Run,
    terminal: Terminal,
    verdict: Verdict,
    detail: str,
    *,
    passed: int | None = None,
    total: int | None = None,
    time_ms: int | None = None,
    exit_code: int | None = None,
    results: list[TestResult] | None = None,
) -> None:
    terminal.stop()
    fields = {"exit_code": exit_code, "time_ms": time_ms} if run.mode == RunMode.RUN else {}
    blame = {}
    if results is not None:
        run.output = terminal.text
        previous, changes = _blame(run, verdict, results, total or 0)
        fields |= {"previous": previous, "changes": changes}
        blame = {"previous": previous.pk if previous else None, "changes": changes}
    Run.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE,
        verdict=verdict,
        detail=detail[:500],
        output=terminal.text,
        finished_at=timezone.now(),
        **fields,
    )
    event = {"type": "run.finished", "verdict": verdict, "detail": detail, "version": run.version}
    if total is not None:
        event |= {"passed": passed or 0, "total": total}
    if run.mode == RunMode.RUN:
        event |= {"exit_code": exit_code, "time_ms": time_ms}
    terminal.publish(event | blame)


def _blame(run: Run, verdict: str, results: list[TestResult], total: int) -> tuple:
    """(previous push, changed tests with blame); a failure here never fails the run."""
    try:
        return run_changes(run=run, verdict=verdict, results=results, total=total)
    except Exception:
        logger.exception("blaming run %s failed", run.pk)
        return None, []


def run_internal_error(*, run_id: int, message: str) -> bool:
    """Close a run the launcher could not judge, so nobody waits on it forever.

    Returns whether this call closed it (False: it had already ended).
    """
    updated = Run.objects.filter(pk=run_id).exclude(status=RunStatus.DONE).update(
        status=RunStatus.DONE, verdict=Verdict.INTERNAL_ERROR, detail=message[:500],
        finished_at=timezone.now(),
    )  # fmt: skip
    if updated:
        run = Run.objects.get(pk=run_id)
        session_event_publish_on_commit(
            session_id=run.session_id,
            feature="terminal",
            event={
                "type": "run.finished", "run": run_id, "verdict": Verdict.INTERNAL_ERROR,
                "detail": message, "version": run.version,
            },
        )  # fmt: skip
        runs_dispatch()
    return bool(updated)
