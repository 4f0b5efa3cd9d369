"""Differential test: the Python text-unicode type against the real JS ``ot-text-unicode``.

Seeded random documents (ASCII, astral emoji, ZWJ sequences, combining marks, CJK, JSON edge
characters) and ops are generated in Python and sent in batches to a long-lived Node process
(``tests/node/ot_oracle.mjs``).  Presence transforms are compared with the browser's wrapped
type (``frontend/textops.js`` ``transformPresence``).  Every answer must agree exactly with Python, including which
inputs are rejected.  The only allowed differences are the documented stricter Python checks
(see ``sessions_app/ot/text_unicode.py``): for those Python must reject, whatever JS does.

``OT_DIFF_SEED`` / ``OT_DIFF_CASES`` override the seed and the number of documents.
"""

from __future__ import annotations

import json
import os
import random
import select
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sessions_app.ot import text_unicode as tu
from tests.sessions_app.test_text_unicode import (
    random_doc,
    random_op,
    random_text,
    random_typing_op,
)

pytestmark = pytest.mark.node

REPO = Path(__file__).resolve().parents[2]
ORACLE = REPO / "tests" / "node" / "ot_oracle.mjs"
SEED = int(os.environ.get("OT_DIFF_SEED", "20261126"))
CASES = int(os.environ.get("OT_DIFF_CASES", "4000"))
BATCH = 200
REPLY_TIMEOUT_S = 120


class NodeOracle:
    """A long-lived ``node ot_oracle.mjs`` process spoken to in JSON lines."""

    def __init__(self) -> None:
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("node is not on PATH; the differential test needs Node.js")
        self.proc = subprocess.Popen(
            [node, str(ORACLE)],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="strict",
        )
        self._next_id = 0

    def request(self, payload: dict[str, Any]) -> dict[str, Any]:
        self._next_id += 1
        payload = {"id": self._next_id, **payload}
        assert self.proc.stdin is not None and self.proc.stdout is not None
        # ensure_ascii: astral characters travel as surrogate-pair escapes, which JS decodes to
        # the same string; lone surrogates travel as lone escapes.
        self.proc.stdin.write(json.dumps(payload, ensure_ascii=True) + "\n")
        self.proc.stdin.flush()
        # One request, one reply line, so nothing sits in the reader's buffer between requests
        # and select() on the raw pipe tells whether the reply has started.
        ready, _, _ = select.select([self.proc.stdout], [], [], REPLY_TIMEOUT_S)
        if not ready:
            self.proc.kill()
            raise RuntimeError(f"ot_oracle.mjs gave no answer in {REPLY_TIMEOUT_S}s")
        line = self.proc.stdout.readline()
        if not line:
            self.proc.kill()
            stderr = self.proc.stderr.read() if self.proc.stderr else ""
            raise RuntimeError(f"ot_oracle.mjs exited: {stderr}")
        response = json.loads(line)
        assert response["id"] == self._next_id, response
        return response

    def calls(self, calls: list[list[Any]]) -> list[dict[str, Any]]:
        return self.request({"calls": calls})["results"]

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def oracle() -> NodeOracle:
    proc = NodeOracle()
    yield proc
    proc.close()


# --------------------------------------------------------------------------- Python side


def py(fn: Callable[..., Any], *args: Any) -> dict[str, Any]:
    """Run a Python function, turning a rejection into ``{"err": ...}`` like the oracle."""
    try:
        value = fn(*args)
    except ValueError as exc:  # InvalidOpError and the bad-side ValueError
        return {"err": str(exc)}
    return {"ok": value}


PY_FUNCS: dict[str, Callable[..., Any]] = {
    "checkOp": tu.check_op,
    "normalize": tu.normalize,
    "create": tu.create,
    "apply": lambda doc, op: tu.apply(doc, op, strict=False),
    "applyStrict": tu.apply,
    "transform": tu.transform,
    "compose": tu.compose,
    "transformPosition": tu.transform_position,
    "transformSelection": tu.transform_selection,
    "makeInvertible": tu.make_invertible,
    "invert": tu.invert,
    "invertWithDoc": tu.invert_with_doc,
    "stripInvertible": tu.strip_invertible,
    "isInvertible": tu.is_invertible,
    "transformPresence": tu.transform_presence,
}


def stricter_feature(value: Any) -> str | None:
    """Name the Python-only rejection an op triggers (bool, float, extra key, ...), if any."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, float):
        return "float"
    if isinstance(value, int) and value > tu.MAX_SAFE_INTEGER:
        return "unsafe-integer"
    if isinstance(value, str) and any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        return "lone-surrogate"
    if isinstance(value, dict):
        if set(value) - {"d"}:
            return "extra-key"
        return stricter_feature(value.get("d"))
    if isinstance(value, list):
        for item in value:
            reason = stricter_feature(item)
            if reason:
                return reason
    return None


def strict_problem(doc: str, op: Any) -> str | None:
    """Why strict ``apply`` rejects a checkOp-valid op that JS applies (None if it should not)."""
    pos = 0
    for c in op:
        if type(c) is int:
            pos += c
        elif type(c) is dict:
            d = c["d"]
            end = pos + (d if type(d) is int else len(d))
            if end > len(doc):
                return "delete past end"
            if type(d) is str and doc[pos:end] != d:
                return "delete text mismatch"
            pos = end
    return None


# --------------------------------------------------------------------------- generators

JS_REJECTED_MUTATIONS = (
    "zero-skip",
    "empty-insert",
    "zero-delete",
    "empty-delete",
    "negative-skip",
    "negative-delete",
    "adjacent-skips",
    "trailing-skip",
    "null",
    "nested-list",
    "empty-object",
    "legacy-insert",
    "delete-null",
    "not-a-list",
)
STRICTER_MUTATIONS = (
    "bool",
    "float-skip",
    "integral-float-skip",
    "float-delete",
    "bool-delete",
    "extra-key",
    "lone-surrogate-insert",
    "lone-surrogate-delete",
    "unsafe-integer",
)


def mutate(rng: random.Random, op: list, kind: str) -> Any:
    """Break a valid op in one specific way."""
    out = [dict(c) if isinstance(c, dict) else c for c in op]
    at = rng.randint(0, len(out))
    inject = {
        "zero-skip": 0,
        "empty-insert": "",
        "zero-delete": {"d": 0},
        "empty-delete": {"d": ""},
        "negative-skip": -rng.randint(1, 5),
        "negative-delete": {"d": -rng.randint(1, 5)},
        "null": None,
        "nested-list": [rng.randint(1, 3)],
        "empty-object": {},
        "legacy-insert": {"i": "x"},
        "delete-null": {"d": None},
        "bool": rng.choice([True, False]),
        "float-delete": {"d": rng.choice([0.5, 1.5, 2.0])},
        "bool-delete": {"d": True},
        "extra-key": {"d": rng.randint(1, 3), "x": 1},
        "lone-surrogate-insert": rng.choice(["a\ud800", "\udc00b", "\ud83d"]),
        "lone-surrogate-delete": {"d": rng.choice(["\ud800", "x\udfff"])},
    }
    if kind in inject:
        out.insert(at, inject[kind])
    elif kind == "adjacent-skips":
        out[at:at] = [rng.randint(1, 3), rng.randint(1, 3)]
    elif kind == "trailing-skip":
        out.append(rng.randint(1, 5))
        if len(out) >= 2 and type(out[-2]) is int:
            out[-2:] = [out[-2] + out[-1]]  # keep the trailing skip the only fault
    elif kind in ("float-skip", "integral-float-skip"):
        f = 1.5 if kind == "float-skip" else 2.0
        out.insert(at, f)
        out.insert(at + 1, "q")  # JS accepts a positive float skip followed by an insert
    elif kind == "unsafe-integer":
        out[at:at] = [2**53 + rng.randint(0, 5), "q"]
    elif kind == "not-a-list":
        return rng.choice(["abc", 5, None, {"d": 1}, True])
    return out


def sloppy(rng: random.Random, op: list) -> list:
    """Same meaning as ``op`` but with zero/empty components, split runs and a trailing skip."""
    out: list = []
    for c in op:
        if type(c) is int and c > 1 and rng.random() < 0.3:
            k = rng.randint(1, c - 1)
            out += [k, c - k]
        elif type(c) is str and len(c) > 1 and rng.random() < 0.3:
            k = rng.randint(1, len(c) - 1)
            out += [c[:k], c[k:]]
        elif type(c) is dict and rng.random() < 0.3:
            d = c["d"]
            n = d if type(d) is int else len(d)
            if n > 1:
                k = rng.randint(1, n - 1)
                if type(d) is int:
                    out += [{"d": k}, {"d": n - k}]
                else:
                    out += [{"d": d[:k]}, {"d": k if rng.random() < 0.5 else d[k:]}]
            else:
                out.append(dict(c))
        else:
            out.append(dict(c) if isinstance(c, dict) else c)
        if rng.random() < 0.15:
            out.append(rng.choice([0, "", {"d": 0}, {"d": ""}]))
    if rng.random() < 0.4:
        out.append(rng.randint(0, 7))
    return out


def misfit(rng: random.Random, doc: str, op: list) -> list:
    """A checkOp-valid op that does not fit ``doc``: too long, or deleting different text."""
    n = len(doc)
    kind = rng.choice(["skip-past-end", "delete-past-end", "text-mismatch"])
    if kind == "skip-past-end":
        return [n + rng.randint(1, 3), random_text(rng)]
    if kind == "delete-past-end" or n == 0:
        start = rng.randint(0, n)
        d = rng.randint(n - start + 1, n - start + 4)
        tail = rng.choice([[], [random_text(rng)], [random_text(rng), 1, "z"]])
        as_text = doc[start:] + "xyz"[: d - (n - start)]
        return [*([start] if start else []), {"d": d if rng.random() < 0.5 else as_text}, *tail]
    start = rng.randrange(n)
    k = rng.randint(1, n - start)
    wrong = list(doc[start : start + k])
    i = rng.randrange(k)
    wrong[i] = "Q" if wrong[i] != "Q" else "R"
    return [*([start] if start else []), {"d": "".join(wrong)}]


def big_doc(rng: random.Random) -> str:
    return "".join(random_text(rng, 8) for _ in range(rng.randint(100, 400)))


# --------------------------------------------------------------------------- the test


def build_case(rng: random.Random, calls: list[tuple[str, list[Any], str, Any]]) -> None:
    """Append (fn, args, rule, extra) checks for one random document."""
    doc = big_doc(rng) if rng.random() < 0.03 else random_doc(rng)

    def op_on(d: str) -> list:
        r = rng.random()
        if r < 0.25:
            return random_typing_op(rng, d)
        return random_op(rng, d, normalized=None if r < 0.6 else True)

    a = op_on(doc)
    b = op_on(doc) if rng.random() < 0.9 else op_on(random_doc(rng))  # sometimes unrelated
    after_a = tu.apply(doc, a, strict=False)
    c = op_on(after_a)

    exact = "exact"
    calls.append(("create", [doc], exact, None))
    calls.append(("checkOp", [a], exact, None))
    calls.append(("apply", [doc, a], exact, None))
    calls.append(("applyStrict", [doc, a], "strict-apply", doc))
    for side in ("left", "right"):
        calls.append(("transform", [a, b, side], exact, None))
        calls.append(("transform", [b, a, side], exact, None))
    calls.append(("compose", [a, c], exact, None))
    calls.append(("compose", [a, b], exact, None))  # not necessarily composable in meaning
    calls.append(("normalize", [sloppy(rng, a)], exact, None))
    n = len(doc)
    cursors = [rng.randint(0, n), rng.randint(0, n + 3), rng.randint(0, 3)]
    for cursor in cursors:
        calls.append(("transformPosition", [cursor, a], exact, None))
    calls.append(("transformSelection", [[cursors[0], cursors[1]], b], exact, None))
    presence = {
        "start": rng.randint(0, n + 2),
        "end": rng.randint(0, n + 2),
        "u": "ann",
        "c": "#f0a",
    }
    for own in (False, True):
        calls.append(("transformPresence", [presence, a, own], exact, None))
    calls.append(("transformPresence", [None, a, False], exact, None))
    calls.append(("makeInvertible", [a, doc], exact, None))
    calls.append(("invertWithDoc", [a, doc], exact, None))
    calls.append(("invert", [a], exact, None))
    calls.append(("stripInvertible", [a], exact, None))
    calls.append(("isInvertible", [a], exact, None))

    bad_fit = misfit(rng, doc, a)
    calls.append(("checkOp", [bad_fit], exact, None))
    calls.append(("apply", [doc, bad_fit], exact, None))
    calls.append(("applyStrict", [doc, bad_fit], "strict-apply", doc))

    kind = rng.choice(JS_REJECTED_MUTATIONS + STRICTER_MUTATIONS)
    bad = mutate(rng, a, kind)
    rule = "py-stricter" if stricter_feature(bad) else exact
    calls.append(("checkOp", [bad], rule, kind))
    # JS apply walks a skip one code point at a time, so a 2**53 skip never returns there:
    # only Python is asked (and must reject it up front).
    calls.append(("apply", [doc, bad], "py-only" if kind == "unsafe-integer" else rule, kind))
    calls.append(("transform", [bad, b, "left"], rule, kind))
    calls.append(("transform", [b, bad, "right"], rule, kind))
    calls.append(("compose", [bad, c], rule, kind))
    calls.append(("compose", [a, bad], rule, kind))

    if rng.random() < 0.05:
        surrogate_doc = doc[: n // 2] + rng.choice(["\ud800", "\udfff"]) + doc[n // 2 :]
        calls.append(("create", [surrogate_doc], "py-stricter", "lone-surrogate-create"))


def test_python_and_js_agree(oracle: NodeOracle) -> None:
    version = oracle.request({"version": True})["version"]
    assert version.split(".")[0] == "4", version

    rng = random.Random(SEED)
    stats: Counter[str] = Counter()
    mismatches: list[str] = []
    for start in range(0, CASES, BATCH):
        checks: list[tuple[str, list[Any], str, Any]] = []
        for _ in range(min(BATCH, CASES - start)):
            build_case(rng, checks)
        js_fn = {"applyStrict": "apply"}
        to_js = [[js_fn.get(fn, fn), *args] for fn, args, rule, _ in checks if rule != "py-only"]
        js_replies = iter(oracle.calls(to_js))
        for fn, args, rule, extra in checks:
            js = {"skipped": True} if rule == "py-only" else next(js_replies)
            assert "ok" in js or "err" in js or rule == "py-only", js
            mine = py(PY_FUNCS[fn], *args)
            stats["checks"] += 1
            stats[f"fn:{fn}"] += 1
            if "err" in js:
                stats["js-rejected"] += 1
            ok = True
            if rule == "exact":
                ok = ("err" in mine and "err" in js) or mine == js
            elif rule == "py-only":
                ok = "err" in mine
                stats[f"python-only:{extra}"] += 1
            elif rule == "py-stricter":
                ok = "err" in mine
                if "ok" in js:
                    stats[f"stricter-than-js:{extra}"] += 1
            elif rule == "strict-apply":
                problem = strict_problem(extra, args[1]) if "ok" in js else None
                if "err" in js or problem:
                    ok = "err" in mine
                    if problem:
                        stats[f"strict-apply-rejects:{problem}"] += 1
                else:
                    ok = mine == js
            if not ok:
                mismatches.append(
                    f"{fn}{json.dumps(args, ensure_ascii=True)} rule={rule}: "
                    f"python={json.dumps(mine, ensure_ascii=True)} "
                    f"js={json.dumps(js, ensure_ascii=True)}"
                )
    summary = ", ".join(f"{k}={v}" for k, v in sorted(stats.items()))
    print(f"\ndifferential seed={SEED} documents={CASES}: {summary}")
    assert not mismatches, f"{len(mismatches)} mismatches, first ones:\n" + "\n".join(
        mismatches[:20]
    )
    # The run really exercised what it claims to.
    assert stats["checks"] >= CASES * 30
    assert stats["js-rejected"] > CASES
    assert stats["strict-apply-rejects:delete past end"] > 0
    assert stats["strict-apply-rejects:delete text mismatch"] > 0


def test_upstream_vectors_agree_with_js(oracle: NodeOracle) -> None:
    """The vectors in test_text_unicode.py are what the JS library computes, too."""
    from tests.sessions_app.test_text_unicode import NORMALIZE_VECTORS, TRANSFORM_VECTORS

    calls = [["transform", op, other, side] for op, other, side, _ in TRANSFORM_VECTORS]
    calls += [["normalize", op] for op, _ in NORMALIZE_VECTORS]
    results = oracle.calls(calls)
    expected = [exp for *_, exp in TRANSFORM_VECTORS] + [exp for _, exp in NORMALIZE_VECTORS]
    assert [r.get("ok") for r in results] == expected


def test_astral_text_survives_the_pipe(oracle: NodeOracle) -> None:
    text = 'a😀b👨‍👩‍👧\U0010ffff\u2028\x00"\\中e\u0301'
    results = oracle.calls([["apply", "", [text]], ["apply", "", ["\ud800"]]])
    assert results[0] == {"ok": text}
    assert results[1] == {"ok": "\ud800"}  # lone surrogates round-trip as escapes
