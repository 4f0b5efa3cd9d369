"""Benchmark output judging: what a custom output validator costs a push, next to the tokens
comparison done in the worker.

For each case it reports the first validation of a push (starting the validator's container and
compiling it, then one run) and the median of the following ones (one exec per test), from a
fresh ``ValidatorBox`` per iteration; the tokens comparison is timed in-process on the same output.

Cases: the demo pack's Friend Groups validator (Python) on its largest test (20 000 people), and
a C++ validator doing the same check.

Usage (from the repository root, engine and images ready):
    .venv/bin/python bench/bench_validators.py [--iterations 5] [--tests 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codepusher.settings")

import django  # noqa: E402

django.setup()

from execution.compare import compare_output  # noqa: E402
from execution.models import Verdict  # noqa: E402
from execution.validators import ValidatorBox  # noqa: E402

CHALLENGE = ROOT / "challenges" / "packs" / "demo" / "open-answers" / "friend-groups"
CPP_VALIDATOR = r"""
#include <bits/stdc++.h>
using namespace std;
int main(int argc, char** argv) {
    ifstream in(argv[1]);
    int n, m; in >> n >> m;
    vector<int> parent(n + 1); iota(parent.begin(), parent.end(), 0);
    function<int(int)> find = [&](int a) { return parent[a] == a ? a : parent[a] = find(parent[a]); };
    for (int i = 0; i < m; i++) { int a, b; in >> a >> b; parent[find(a)] = find(b); }
    int g; if (!(cin >> g)) return 43;
    vector<int> group(n + 1, 0); int seen = 0;
    string line; getline(cin, line);
    for (int k = 1; k <= g && getline(cin, line); k++) {
        istringstream words(line); int p, root = -1;
        while (words >> p) {
            if (p < 1 || p > n || group[p]) return 43;
            group[p] = k; seen++;
            if (root < 0) root = find(p); else if (find(p) != root) return 43;
        }
    }
    return seen == n ? 42 : 43;
}
"""


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"


def bench(name: str, files: dict[str, str], stdin: str, answer: str, output: bytes, args) -> None:
    firsts, rests = [], []
    for _ in range(args.iterations):
        with ValidatorBox(files=files, run_id="bench") as box:
            started = time.perf_counter()
            verdict, _, note = box.validate(stdin=stdin, answer=answer, output=output)
            firsts.append(time.perf_counter() - started)
            assert verdict == Verdict.ACCEPTED, note
            for _ in range(args.tests - 1):
                started = time.perf_counter()
                verdict, _, note = box.validate(stdin=stdin, answer=answer, output=output)
                rests.append(time.perf_counter() - started)
                assert verdict == Verdict.ACCEPTED, note
    print(f"{name:34} {ms(statistics.median(firsts))} {ms(statistics.median(rests))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--tests", type=int, default=5)
    args = parser.parse_args()
    stdin = (CHALLENGE / "tests" / "07.in").read_text()
    answer = (CHALLENGE / "tests" / "07.out").read_text()
    output = subprocess.run(
        ["node", str(CHALLENGE / "solution" / "javascript.js")],
        input=stdin.encode(), capture_output=True, check=True,
    ).stdout  # fmt: skip
    print(f"input {len(stdin)} bytes, output {len(output)} bytes, "
          f"{args.iterations} pushes x {args.tests} tests")  # fmt: skip
    print(f"{'case':34} {'first ms':>8} {'next ms':>8}")
    python = {"validate.py": (CHALLENGE / "validator" / "validate.py").read_text()}
    bench("custom validator, Python", python, stdin, answer, output, args)
    bench("custom validator, C++", {"validate.cpp": CPP_VALIDATOR}, stdin, answer, output, args)
    text = output.decode()
    times = []
    for _ in range(args.iterations * args.tests):
        started = time.perf_counter()
        compare_output(text, text, "tokens", flags="float_tolerance 1e-6")
        times.append(time.perf_counter() - started)
    print(f"{'tokens comparison, in the worker':34} {'':8} {ms(statistics.median(times))}")


if __name__ == "__main__":
    main()
