"""Benchmark the runner: push-to-verdict of a 7-test Python push against a bare ``docker run``.

Measured side by side, interleaved, in one invocation:

* ``api push``: POST of a push through the real API (Django test client, real database), a real
  Celery worker (``RUNNER_CONCURRENCY`` processes) judging it, until the run reads ``done``
  (polled every ``--poll-ms``); each push is split into phases from the Run row's timestamps and
  the worker's log (where the time goes);
* ``sandbox``: the launcher's sandbox alone, in this process (take a container, compile, one exec
  per test, close), timed per phase;
* ``docker run x1``: one ``docker run --rm --network none`` of the same image whose shell loops
  over the 7 inputs (the floor); ``--per-test`` adds one container per test.

Then throughput: submissions per minute with ``RUNNER_CONCURRENCY`` in flight, through the
sandbox (as before) and through the API and worker.

Usage (from the repository root, engine, images, PostgreSQL and Redis ready):
    DATABASE_URL=postgres://... .venv/bin/python bench/bench_runner.py [--iterations 10]
        [--throughput 12]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codepusher.settings")
# The bench's pushes go to a queue only its own worker reads (the name tests/live.py gives its
# worker), never eagerly, and are not held back by the run or API rate limits.
os.environ["RUNNER_TASK_QUEUE"] = f"runs-test-{os.getpid()}"
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
os.environ["RUNNER_RUNS_PER_MINUTE"] = "100000"
os.environ["RATE_LIMIT_API_USER"] = os.environ["RATE_LIMIT_API_CLIENT"] = "100000/min"  # polling

import django  # noqa: E402

django.setup()

import re  # noqa: E402
import tempfile  # noqa: E402
import uuid  # noqa: E402
from datetime import datetime  # noqa: E402

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from execution.languages import get_language  # noqa: E402
from execution.models import Run, RunStatus, Verdict  # noqa: E402
from execution.sandbox import Sandbox  # noqa: E402
from execution.verdicts import judge, overall_verdict  # noqa: E402

PROGRAM = "n = int(input())\nprint(n * n)\n"
TESTS = [(str(n), str(n * n)) for n in (3, 14, 159, 2653, 58979, 323846, 2643383)]
LIMITS = {"time_limit_ms": 5000}
RECEIVED = re.compile(r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}): INFO/MainProcess\] Task "
                      r"execution\.tasks\.run_execute_task\[[^\]]+\] received", re.M)  # fmt: skip


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def sandbox_submission() -> dict[str, float]:
    """Push a submission through the sandbox; return first-byte, verdict and cleanup times."""
    started = time.monotonic()
    first: list[float] = []

    def on_output(stream: str, chunk: bytes) -> None:
        if not first:
            first.append(time.monotonic())

    verdicts = []
    box = Sandbox(language="python", code=PROGRAM, run_id="bench", on_output=on_output)
    try:
        compiled = box.compile()  # takes a container (pool, or create + start), then compiles
        compiled_at = time.monotonic()
        assert not (compiled.compile_failed or compiled.internal_error), compiled
        for stdin, expected in TESTS:
            verdicts.append(judge(box.run(stdin=stdin, **LIMITS), expected)[0])
        verdict_at = time.monotonic()
    finally:
        box.close()
    done = time.monotonic()
    assert overall_verdict(verdicts) == Verdict.ACCEPTED, verdicts
    return {
        "first_byte": first[0] - started,
        "verdict": verdict_at - started,
        "with_cleanup": done - started,
        "take+exec create": compiled_at - started - compiled.wall_time_ms / 1000,
        "compile exec": compiled.wall_time_ms / 1000,
        "exec per test": (verdict_at - compiled_at) / len(TESTS),
        "close": done - verdict_at,
    }


def docker_run_floor(per_test: bool) -> dict[str, float]:
    """Plain ``docker run --rm`` of the same image and program (x1 loop, or one per test)."""
    image = get_language("python").image
    started = time.monotonic()
    first = None
    inputs = [stdin for stdin, _ in TESTS]
    batches = [[i] for i in inputs] if per_test else [inputs]
    outputs = []
    for batch in batches:
        script = 'for x in "$@"; do echo "$x" | python3 -u -c "$PROGRAM"; done'
        proc = subprocess.Popen(
            [
                "docker",
                "run",
                "--rm",
                "--network",
                "none",
                "-e",
                f"PROGRAM={PROGRAM}",
                image,
                "sh",
                "-c",
                script,
                "sh",
            ]
            + batch,
            stdout=subprocess.PIPE,
        )
        chunk = proc.stdout.read(1)
        if first is None:
            first = time.monotonic()
        outputs.append(chunk + proc.stdout.read())
        proc.wait()
    done = time.monotonic()
    lines = b"".join(outputs).decode().split()
    assert lines == [expected for _, expected in TESTS], lines
    return {"first_byte": first - started, "verdict": done - started}


def summarize(name: str, samples: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    out = {}
    for key in samples[0]:
        values = [s[key] for s in samples]
        out[key] = {
            "p50": statistics.median(values),
            "p95": percentile(values, 95),
            "min": min(values),
        }
        print(
            f"{name:<14} {key:<22} p50 {out[key]['p50'] * 1000:7.0f} ms   "
            f"p95 {out[key]['p95'] * 1000:7.0f} ms   min {out[key]['min'] * 1000:7.0f} ms"
        )
    return out


class ApiBench:
    """A throwaway user, challenge (the 7 tests, the first a sample) and session, and a client
    logged in as the user, pushing through the real API to the bench's own worker."""

    def __init__(self, worker_log: Path) -> None:
        from django.contrib.auth import get_user_model

        from challenges.models import Challenge, ChallengeLanguage, Repository, TestCase
        from sessions_app.services import session_create

        tag = uuid.uuid4().hex[:10]
        self.worker_log = worker_log
        self.user = get_user_model().objects.create_user(username=f"bench-{tag}")
        self.repository = Repository.objects.create(slug=f"bench-{tag}", name="Bench", owner="b")
        challenge = Challenge.objects.create(
            repository=self.repository, slug=f"squares-{tag}", title="Squares", statement="n*n",
            author="bench", published=True,
        )  # fmt: skip
        ChallengeLanguage.objects.create(challenge=challenge, language="python", solution=PROGRAM)
        for position, (stdin, expected) in enumerate(TESTS, start=1):
            TestCase.objects.create(
                challenge=challenge, position=position, stdin=f"{stdin}\n",
                expected_output=f"{expected}\n", is_sample=position == 1,
            )  # fmt: skip
        self.session = session_create(challenge=challenge, owner=self.user, language="python")
        self.client = Client()
        self.client.force_login(self.user)

    def post(self) -> tuple[int, float, float]:
        """POST one push; its id, and the wall clock before and after the request."""
        before = time.time()
        response = self.client.post(
            f"/api/sessions/{self.session.pk}/runs/",
            {"mode": "push", "code": PROGRAM, "language": "python"},
            content_type="application/json",
        )
        after = time.time()
        assert response.status_code == 201, response.content
        return response.json()["id"], before, after

    def wait_done(self, run_id: int, poll: float) -> float:
        """Poll the run through the API until it reads done; the wall clock when it did."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            body = self.client.get(f"/api/runs/{run_id}/").json()
            if body["status"] == RunStatus.DONE:
                assert body["verdict"] == Verdict.ACCEPTED, body
                return time.time()
            time.sleep(poll)
        raise RuntimeError(f"run {run_id} not done within 120 s")

    def received_times(self) -> list[float]:
        """When the worker received each run task, from its log (local time, milliseconds)."""
        return [
            datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f").timestamp()
            for stamp in RECEIVED.findall(self.worker_log.read_text())
        ]

    def push(self, poll: float) -> dict[str, float]:
        """One push, alone in the system; end to end and its phases."""
        seen = len(self.received_times())
        run_id, before, after = self.post()
        done = self.wait_done(run_id, poll)
        run = Run.objects.get(pk=run_id)
        received = self.received_times()[seen]
        tests_ms = sum(t.time_ms for t in run.tests.all())
        return {
            "verdict": done - before,
            "POST (row, dispatch)": after - before,
            "dispatch→worker": received - run.dispatched_at.timestamp(),
            "worker→started": run.started_at.timestamp() - received,
            "started→finished": (run.finished_at - run.started_at).total_seconds(),
            " of which test execs": tests_ms / 1000,
            "finished→seen": done - run.finished_at.timestamp(),
        }

    def delete(self) -> None:
        self.session.delete()
        self.repository.delete()
        self.user.delete()


def api_throughput(benches: list[ApiBench], count: int, poll: float) -> dict[str, float]:
    """``count`` pushes at once, spread over the benches' sessions (the scheduler runs one push
    per session and a few per user at a time), until every one reads done."""
    started = time.monotonic()
    posted = []
    for n in range(count):
        bench = benches[n % len(benches)]
        posted.append((bench, bench.post()[0]))
    for bench, run_id in posted:
        bench.wait_done(run_id, poll)
    elapsed = time.monotonic() - started
    return {"submissions": count, "seconds": elapsed, "per_minute": count / elapsed * 60}


def main() -> None:
    from tests.live import celery_worker, task_queues_delete

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--throughput", type=int, default=12, help="submissions for throughput")
    parser.add_argument("--poll-ms", type=int, default=20, help="API polling interval")
    parser.add_argument("--per-test", action="store_true", help="also one container per test")
    args = parser.parse_args()
    poll = args.poll_ms / 1000
    concurrency = settings.RUNNER_CONCURRENCY
    logs = Path(tempfile.mkdtemp(prefix="bench-runner-"))
    load_start = os.getloadavg()
    results: dict[str, object] = {"iterations": args.iterations, "tests": len(TESTS)}
    with celery_worker(logs, concurrency=concurrency, queues=settings.RUNNER_TASK_QUEUE):
        api = ApiBench(logs / "celery-worker.log")
        benches = [api]  # one session and member per push in flight, for the throughput
        try:
            # Warm up: the worker's first task pays for imports and its warm pool's first fill.
            api.push(poll)
            api.push(poll)
            sandbox_submission()
            docker_run_floor(per_test=False)
            samples: dict[str, list[dict[str, float]]] = {
                "api push": [],
                "sandbox": [],
                "docker run x1": [],
            }
            if args.per_test:
                samples["docker run x7"] = []
            for _ in range(args.iterations):  # interleaved so load changes hit all alike
                samples["api push"].append(api.push(poll))
                samples["sandbox"].append(sandbox_submission())
                samples["docker run x1"].append(docker_run_floor(per_test=False))
                if args.per_test:
                    samples["docker run x7"].append(docker_run_floor(per_test=True))
                time.sleep(0.5)  # let the worker's pool refill, as between real pushes
            print(f"{args.iterations} iterations, {len(TESTS)} tests per submission, 1 at a time")
            for name, values in samples.items():
                results[name] = summarize(name, values)
            floor = results["docker run x1"]["verdict"]
            for name in ("api push", "sandbox"):
                for pct in ("p50", "p95"):
                    ratio = results[name]["verdict"][pct] / floor[pct]
                    results[f"{name} verdict {pct} / docker run x1"] = ratio
                    print(f"{name} verdict {pct} / docker run x1 {pct} = {ratio:.2f}")
            benches += [ApiBench(api.worker_log) for _ in range(concurrency - 1)]
            api_tp = api_throughput(benches, args.throughput, poll)
        finally:
            for bench in benches:
                bench.delete()
            task_queues_delete()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        latencies = list(pool.map(lambda _: sandbox_submission(), range(args.throughput)))
    elapsed = time.monotonic() - started
    results["throughput"] = {
        "concurrency": concurrency,
        "sandbox": {"submissions": args.throughput, "seconds": elapsed,
                    "per_minute": args.throughput / elapsed * 60,
                    "verdict_p50": statistics.median(x["verdict"] for x in latencies)},
        "api": api_tp,
    }  # fmt: skip
    for name, figures in (("sandbox", results["throughput"]["sandbox"]), ("api+worker", api_tp)):
        print(
            f"throughput {name}: {figures['submissions']} submissions, concurrency "
            f"{concurrency}: {figures['seconds']:.1f} s -> {figures['per_minute']:.0f} /min"
        )
    load = os.getloadavg()
    results["loadavg"] = {"start": load_start, "end": load}
    print(f"host load average: start {load_start[0]:.1f} {load_start[1]:.1f}, "
          f"end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")  # fmt: skip
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "runner.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
