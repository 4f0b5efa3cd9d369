"""Benchmark the runner: time to first output byte and to verdict for a 5-test Python program.

Compares the hardened, streaming sandbox (``execution.sandbox.Sandbox``: one container per
submission, compile step, one exec per test, verdicts judged) against two floors that use the
same image and program with no hardening, no streaming and no judging:

* ``docker run x1``: one ``docker run --rm`` whose shell loops over the 5 inputs (the floor);
* ``docker run x5``: one ``docker run --rm`` per test case (what a naive launcher does).

Then throughput: submissions per minute with ``RUNNER_CONCURRENCY`` submissions in flight.

Usage (from the repository root, engine and images ready):
    .venv/bin/python bench/bench_runner.py [--iterations 10] [--throughput 12]
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

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from execution.languages import get_language  # noqa: E402
from execution.models import Verdict  # noqa: E402
from execution.sandbox import Sandbox  # noqa: E402
from execution.verdicts import judge, overall_verdict  # noqa: E402

PROGRAM = "n = int(input())\nprint(n * n)\n"
TESTS = [(str(n), str(n * n)) for n in (3, 14, 159, 2653, 58979)]
LIMITS = {"time_limit_ms": 5000}


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
        compiled = box.compile()
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
    }


def docker_run_floor(per_test: bool) -> dict[str, float]:
    """Plain ``docker run --rm`` of the same image and program (x1 loop, or x5 containers)."""
    image = get_language("python").image
    started = time.monotonic()
    first = None
    inputs = [stdin for stdin, _ in TESTS]
    batches = [[i] for i in inputs] if per_test else [inputs]
    outputs = []
    for batch in batches:
        script = 'for x in "$@"; do echo "$x" | python3 -u -c "$PROGRAM"; done'
        proc = subprocess.Popen(
            ["docker", "run", "--rm", "-e", f"PROGRAM={PROGRAM}", image, "sh", "-c", script, "sh"]
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
            f"{name:<16} {key:<13} p50 {out[key]['p50'] * 1000:7.0f} ms   "
            f"p95 {out[key]['p95'] * 1000:7.0f} ms   min {out[key]['min'] * 1000:7.0f} ms"
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--throughput", type=int, default=12, help="submissions for throughput")
    args = parser.parse_args()

    # Warm up (first container start pays for page cache and image layer setup).
    sandbox_submission()
    docker_run_floor(per_test=False)

    results: dict[str, object] = {"iterations": args.iterations, "tests": len(TESTS)}
    samples: dict[str, list[dict[str, float]]] = {"sandbox": [], "docker run x1": [], "x5": []}
    for _ in range(args.iterations):  # interleaved so load changes hit all three alike
        samples["sandbox"].append(sandbox_submission())
        samples["docker run x1"].append(docker_run_floor(per_test=False))
        samples["x5"].append(docker_run_floor(per_test=True))
    print(f"{args.iterations} iterations, {len(TESTS)} tests per submission, 1 at a time")
    for name, values in samples.items():
        label = "docker run x5" if name == "x5" else name
        results[label] = summarize(label, values)
    ratio = results["sandbox"]["verdict"]["p50"] / results["docker run x1"]["verdict"]["p50"]
    results["verdict_p50_ratio_vs_docker_run_x1"] = ratio
    print(f"sandbox verdict p50 / docker run x1 p50 = {ratio:.2f}")

    concurrency = settings.RUNNER_CONCURRENCY
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        latencies = list(pool.map(lambda _: sandbox_submission(), range(args.throughput)))
    elapsed = time.monotonic() - started
    per_minute = args.throughput / elapsed * 60
    results["throughput"] = {
        "concurrency": concurrency,
        "submissions": args.throughput,
        "seconds": elapsed,
        "per_minute": per_minute,
        "verdict_p50": statistics.median(x["verdict"] for x in latencies),
    }
    print(
        f"throughput: {args.throughput} submissions, concurrency {concurrency}: "
        f"{elapsed:.1f} s -> {per_minute:.0f} submissions/min "
        f"(verdict p50 under load {results['throughput']['verdict_p50'] * 1000:.0f} ms)"
    )
    load = os.getloadavg()
    results["loadavg"] = load
    print(f"host load average during the run: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "runner.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
