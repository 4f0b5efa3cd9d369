"""Which edits broke or fixed a test: verdict changes between two pushes, blamed from the op log.

When a push finishes, each test's verdict is compared with the session's previous push. For a
test that went from passing to failing or back, the changed lines of the code are attributed to
the member whose op last touched them (op-level blame: the ops between the two runs' versions are
replayed over the earlier run's code, each character remembering the last op that inserted it or
deleted next to it). Lines named in a failure the members can see (a traceback's or a compiler's
line numbers in the run's output) come first. Hidden tests take part with their verdicts only.
"""

from __future__ import annotations

import re
from typing import Any

from execution.models import Run, RunMode, RunStatus, TestResult, Verdict
from sessions_app.selectors import session_code_ops

NO_VERSION = "cannot compare: a run with its own code has no document version"
FLAKY = "flaky: the code did not change"
REPLAY_FAILED = "cannot compare: the edits between the two runs could not be replayed"
_NAMED_LINE = re.compile(r'File "main\.\w+", line (\d+)|main\.\w+:(\d+)')

Touch = tuple[str, int]  # (member, document version the op produced)


def _dlen(d: int | str) -> int:
    return d if isinstance(d, int) else len(d)


def code_replay(base: str, ops: list[tuple[int, str, list]]) -> tuple[str, list[Touch | None]]:
    """The text after `ops` and, per character, the last op that touched it (None: untouched)."""
    text: list[str] = list(base)
    touched: list[Touch | None] = [None] * len(text)
    for version, user, op in ops:
        touch = (user, version + 1)
        pos = 0
        for component in op:
            if isinstance(component, int):
                pos += component
            elif isinstance(component, str):
                text[pos:pos] = component
                touched[pos:pos] = [touch] * len(component)
                pos += len(component)
            else:
                end = pos + _dlen(component["d"])
                del text[pos:end], touched[pos:end]
                if pos < len(touched):  # a deletion changes the line it happened in
                    touched[pos] = touch
    return "".join(text), touched


def lines_blame(text: str, touched: list[Touch | None]) -> list[dict[str, Any]]:
    """Ranges of changed lines, each with its last member and the versions of the ops in it."""
    per_line: list[tuple[str, int, int] | None] = []
    current: list[Touch] = []
    for char, touch in zip(text + "\n", [*touched, None], strict=True):
        if touch is not None:
            current.append(touch)
        if char == "\n":
            if current:
                last = max(current, key=lambda t: t[1])
                versions = [t[1] for t in current]
                per_line.append((last[0], min(versions), max(versions)))
            else:
                per_line.append(None)
            current = []
    if text.endswith("\n"):
        per_line.pop()  # no line after the final newline
    ranges: list[dict[str, Any]] = []
    for number, line in enumerate(per_line, start=1):
        if line is None:
            continue
        user, first, last = line
        prev = ranges[-1] if ranges else None
        if prev and prev["user"] == user and prev["lines"][1] == number - 1:
            prev["lines"][1] = number
            prev["versions"] = [min(prev["versions"][0], first), max(prev["versions"][1], last)]
        else:
            ranges.append({"user": user, "lines": [number, number], "versions": [first, last]})
    return ranges


def _named_lines(output: str) -> set[int]:
    return {int(a or b) for a, b in _NAMED_LINE.findall(output)}


def _blame_between(previous: Run, run: Run) -> tuple[list[dict[str, Any]], str]:
    """(blame ranges, note) for the edits from `previous`'s version to `run`'s."""
    if previous.version is None or run.version is None:
        return [], NO_VERSION
    if previous.code == run.code:
        return [], FLAKY
    ops = session_code_ops(session_id=run.session_id, start=previous.version, end=run.version)
    text, touched = code_replay(previous.code, ops)
    if text != run.code:
        return [], REPLAY_FAILED
    ranges = lines_blame(text, touched)
    named = _named_lines(run.output)
    ranges.sort(key=lambda r: not any(r["lines"][0] <= n <= r["lines"][1] for n in named))
    return ranges, ""


def _verdicts(run: Run, results: list[TestResult]) -> dict[int, str]:
    return {r.position: r.verdict for r in results}


def run_previous_push(*, run: Run) -> Run | None:
    return (
        Run.objects.filter(
            session_id=run.session_id, mode=RunMode.PUSH, status=RunStatus.DONE, pk__lt=run.pk
        )
        .order_by("-pk")
        .first()
    )


def run_changes(
    *, run: Run, verdict: str, results: list[TestResult], total: int
) -> tuple[Run | None, list[dict[str, Any]]]:
    """(the push compared against, the tests whose pass/fail changed with their blame).

    A test that did not run (a compile error) counts with the run's verdict.
    """
    previous = run_previous_push(run=run)
    if previous is None:
        return None, []
    before = _verdicts(previous, list(previous.tests.all()))
    after = _verdicts(run, results)
    samples = {r.position: r.is_sample for r in [*results, *previous.tests.all()]}
    changed = []
    for position in range(1, total + 1):
        old, new = before.get(position, previous.verdict), after.get(position, verdict)
        if (old == Verdict.ACCEPTED) != (new == Verdict.ACCEPTED):
            changed.append((position, old, new))
    if not changed:
        return previous, []
    ranges, note = _blame_between(previous, run)
    return previous, [
        {"position": position, "sample": samples.get(position, False), "before": old,
         "after": new, "blame": ranges, "note": note}
        for position, old, new in changed
    ]  # fmt: skip
