"""Compare a program's output with a test case's expected output, outside the runner.

Modes match ``challenges.models.Comparison``:

* ``exact``: byte-for-byte after normalising line endings (``\\r\\n`` and ``\\r`` → ``\\n``).
* ``trailing_whitespace`` (default): each line right-stripped, trailing blank lines ignored
  (Judge0's rule); leading and inner whitespace still count.
* ``float``: line by line, whitespace-separated tokens; a token that is a decimal number in both
  outputs matches when ``|a - e| <= tol`` or ``|a - e| <= tol * |e|``; other tokens must be
  identical; NaN never matches; trailing blank lines ignored (DMOJ's ``floats`` checker).

``compare_output`` returns a ``Comparison`` result whose ``detail`` says where the first
difference is, for the Wrong Answer message.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

EXACT = "exact"
TRAILING_WHITESPACE = "trailing_whitespace"
FLOAT = "float"
MODES = (EXACT, TRAILING_WHITESPACE, FLOAT)
DEFAULT_TOLERANCE = 1e-6

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_NAN = re.compile(r"[+-]?nan", re.IGNORECASE)


@dataclass(frozen=True)
class CompareResult:
    """``ok`` is the verdict; ``detail`` locates the first difference (empty when ok)."""

    ok: bool
    detail: str = ""

    def __bool__(self) -> bool:
        return self.ok


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _lines_without_trailing_blanks(text: str, strip_each: bool) -> list[str]:
    lines = normalize_newlines(text).split("\n")
    if strip_each:
        lines = [line.rstrip() for line in lines]
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _short(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _first_line_difference(actual: list[str], expected: list[str]) -> str:
    for number, (got, want) in enumerate(zip(actual, expected, strict=False), start=1):
        if got != want:
            return f"line {number}: expected {_short(want)}, got {_short(got)}"
    if len(actual) < len(expected):
        return f"output ended after {len(actual)} line(s), expected {len(expected)}"
    return f"extra output after line {len(expected)}: {_short(actual[len(expected)])}"


def _numbers_match(got: str, want: str, tolerance: float) -> bool:
    if _NAN.fullmatch(got) or _NAN.fullmatch(want):
        return False
    if not (_NUMBER.fullmatch(got) and _NUMBER.fullmatch(want)):
        return got == want
    a, e = float(got), float(want)
    if math.isinf(a) or math.isinf(e):  # only from overflowing literals like 1e999
        return a == e
    diff = abs(a - e)
    return diff <= tolerance or diff <= tolerance * abs(e)


def compare_output(
    actual: str,
    expected: str,
    mode: str = TRAILING_WHITESPACE,
    tolerance: float = DEFAULT_TOLERANCE,
) -> CompareResult:
    """Whether ``actual`` is an accepted answer for ``expected`` under ``mode``."""
    if mode == EXACT:
        got, want = normalize_newlines(actual), normalize_newlines(expected)
        if got == want:
            return CompareResult(True)
        return CompareResult(
            False, _first_line_difference(got.split("\n"), want.split("\n")) or "whitespace differs"
        )
    if mode == TRAILING_WHITESPACE:
        got_lines = _lines_without_trailing_blanks(actual, strip_each=True)
        want_lines = _lines_without_trailing_blanks(expected, strip_each=True)
        if got_lines == want_lines:
            return CompareResult(True)
        return CompareResult(False, _first_line_difference(got_lines, want_lines))
    if mode == FLOAT:
        if tolerance < 0 or math.isnan(tolerance):
            raise ValueError("tolerance must be a non-negative number")
        got_lines = _lines_without_trailing_blanks(actual, strip_each=True)
        want_lines = _lines_without_trailing_blanks(expected, strip_each=True)
        if len(got_lines) != len(want_lines):
            return CompareResult(False, _first_line_difference(got_lines, want_lines))
        for number, (got_line, want_line) in enumerate(
            zip(got_lines, want_lines, strict=True), start=1
        ):
            got_tokens, want_tokens = got_line.split(), want_line.split()
            if len(got_tokens) != len(want_tokens):
                return CompareResult(
                    False,
                    f"line {number}: expected {len(want_tokens)} value(s), got {len(got_tokens)}",
                )
            for got, want in zip(got_tokens, want_tokens, strict=True):
                if not _numbers_match(got, want, tolerance):
                    return CompareResult(
                        False, f"line {number}: expected {_short(want)}, got {_short(got)}"
                    )
        return CompareResult(True)
    raise ValueError(f"unknown comparison mode {mode!r}; known: {', '.join(MODES)}")
