"""Micro-benchmark: text-unicode apply/transform per second, Python port vs the JS library.

The OT server applies and transforms every keystroke, so this measures typical typing ops
(one-character inserts and small deletes) on a 5,000-character document.  The JS figures are
measured inside Node (tests/node/ot_oracle.mjs), so they exclude the pipe.

Run from the repository root:  .venv/bin/python bench/bench_ot_type.py [seconds-per-figure]
Prints figures only; it asserts nothing about speed.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sessions_app.ot import text_unicode as tu  # noqa: E402
from tests.sessions_app.test_text_unicode_differential import NodeOracle  # noqa: E402

DOC_LENGTH = 5000
N_OPS = 1000


def make_doc(rng: random.Random) -> str:
    """Source-code-like text with a sprinkling of non-ASCII and astral characters."""
    alphabet = "abcdefghijklmnopqrstuvwxyz      ().:=_\n" * 4 + "é中😀👻"
    return "".join(rng.choice(alphabet) for _ in range(DOC_LENGTH))


def make_typing_ops(rng: random.Random, doc: str) -> list[list]:
    ops = []
    for _ in range(N_OPS):
        pos = rng.randrange(len(doc))
        r = rng.random()
        if r < 0.7:
            ops.append(tu.insert(pos, rng.choice("abcxyz (){}😀")))
        elif r < 0.85:
            ops.append(tu.remove(pos, 1))
        else:
            ops.append(tu.remove(pos, doc[pos]))  # invertible form
    return ops


def rate(fn: Callable[[int], object], seconds: float) -> float:
    for i in range(2000):  # warm-up
        fn(i)
    n = 0
    start = time.perf_counter()
    elapsed = 0.0
    while elapsed < seconds:
        for _ in range(500):
            fn(n)
            n += 1
        elapsed = time.perf_counter() - start
    return n / elapsed


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    rng = random.Random(1)
    doc = make_doc(rng)
    ops = make_typing_ops(rng, doc)
    other = tu.insert(DOC_LENGTH // 2, "k")
    n_ops = len(ops)

    py_apply = rate(lambda i: tu.apply(doc, ops[i % n_ops]), seconds)
    py_apply_lenient = rate(lambda i: tu.apply(doc, ops[i % n_ops], strict=False), seconds)
    py_transform = rate(lambda i: tu.transform(ops[i % n_ops], other, "left"), seconds)
    py_check = rate(lambda i: tu.check_op(ops[i % n_ops]), seconds)

    oracle = NodeOracle()
    try:
        js = oracle.request({"bench": {"doc": doc, "ops": ops, "other": other, "seconds": seconds}})
        js = js["bench"]
    finally:
        oracle.close()

    print(f"text-unicode typing ops on a {DOC_LENGTH}-character document ({n_ops} distinct ops)")
    print(f"{'':28}{'Python':>14}{'JS (node)':>14}")
    print(f"{'apply (strict) ops/s':28}{py_apply:>14,.0f}{js['apply_per_s']:>14,.0f}")
    print(f"{'apply (JS-lenient) ops/s':28}{py_apply_lenient:>14,.0f}{'':>14}")
    print(f"{'transform(left) ops/s':28}{py_transform:>14,.0f}{js['transform_per_s']:>14,.0f}")
    print(f"{'check_op ops/s':28}{py_check:>14,.0f}{'':>14}")


if __name__ == "__main__":
    main()
