"""Compare a program's output with a test case's expected output, outside the runner.

Modes match ``challenges.models.Comparison``:

* ``exact``: byte-for-byte after normalising line endings (``\\r\\n`` and ``\\r`` → ``\\n``).
* ``trailing_whitespace`` (default): each line right-stripped, trailing blank lines ignored
  (Judge0's rule); leading and inner whitespace still count.
* ``float``: line by line, whitespace-separated tokens; a token that is a decimal number in both
  outputs matches when ``|a - e| <= tol`` or ``|a - e| <= tol * |e|``; other tokens must be
  identical; NaN never matches; trailing blank lines ignored (DMOJ's ``floats`` checker).
* ``tokens``: the Kattis problem format's default output validator, steered by the challenge's
  ``validator_flags`` (see ``ValidatorFlags``): whitespace-separated tokens, line breaks count
  as spaces, letters compared without case unless ``case_sensitive``; any run of whitespace
  equals any other unless ``space_change_sensitive``; with a float tolerance, an expected token
  that is a number accepts any number within the absolute OR the relative tolerance.
* ``custom``: a staff-written output validator decides (``execution/validators.py``), so
  ``compare_output`` refuses it.

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
TOKENS = "tokens"
CUSTOM = "custom"
MODES = (EXACT, TRAILING_WHITESPACE, FLOAT, TOKENS, CUSTOM)
DEFAULT_TOLERANCE = 1e-6

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_NAN = re.compile(r"[+-]?nan", re.IGNORECASE)
# The C locale's isspace(): what separates tokens in the Kattis default validator.
_SPACE = re.compile(r"[ \t\n\v\f\r]+")
_SPACE_SPLIT = re.compile(r"([ \t\n\v\f\r]+)")
_FLAG_TOLERANCES = ("float_tolerance", "float_absolute_tolerance", "float_relative_tolerance")


@dataclass(frozen=True)
class CompareResult:
    """``ok`` is the verdict; ``detail`` locates the first difference (empty when ok)."""

    ok: bool
    detail: str = ""

    def __bool__(self) -> bool:
        return self.ok


@dataclass(frozen=True)
class ValidatorFlags:
    """The default validator's options, parsed from a ``validator_flags`` string.

    ``float_tolerance x`` is shorthand for both tolerances; a number within either one matches.
    Without a tolerance, numbers are compared as any other token.
    """

    case_sensitive: bool = False
    space_change_sensitive: bool = False
    float_absolute_tolerance: float | None = None
    float_relative_tolerance: float | None = None

    @property
    def uses_floats(self) -> bool:
        return (
            self.float_absolute_tolerance is not None or self.float_relative_tolerance is not None
        )


def flags_parse(text: str) -> ValidatorFlags:
    """Parse ``validator_flags`` (e.g. ``"case_sensitive float_tolerance 1e-6"``).

    Raises ValueError naming the offending word, so an import or the admin can say what is wrong.
    """
    words = text.split()
    values: dict[str, object] = {}
    index = 0
    while index < len(words):
        word = words[index]
        if word in ("case_sensitive", "space_change_sensitive"):
            values[word] = True
        elif word in _FLAG_TOLERANCES:
            if index + 1 >= len(words):
                raise ValueError(f"'{word}' needs a number after it")
            number = _tolerance(word, words[index + 1])
            index += 1
            if word == "float_tolerance":
                values["float_absolute_tolerance"] = values["float_relative_tolerance"] = number
            else:
                values[word] = number
        else:
            known = "case_sensitive, space_change_sensitive, " + ", ".join(_FLAG_TOLERANCES)
            raise ValueError(f"unknown validator flag '{word}' (known: {known})")
        index += 1
    return ValidatorFlags(**values)


def _tolerance(flag: str, word: str) -> float:
    try:
        number = float(word)
    except ValueError:
        raise ValueError(f"'{flag}' needs a number, not '{word}'") from None
    if not (number >= 0 and math.isfinite(number)):
        raise ValueError(f"'{flag}' must be a finite number >= 0, not '{word}'")
    return number


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


def _fold(token: str) -> bytes:
    """ASCII-only case folding, as the C ``strcasecmp`` of the format's default validator."""
    return token.encode("utf-8", errors="surrogatepass").lower()


def _tokens_match(got: str, want: str, flags: ValidatorFlags) -> str:
    """ "" when ``got`` is accepted for the expected token ``want``, else why not."""
    if flags.uses_floats and _NUMBER.fullmatch(want):
        if not _NUMBER.fullmatch(got):
            return f"expected a number {_short(want)}, got {_short(got)}"
        e, a = float(want), float(got)
        diff = abs(a - e)
        absolute, relative = flags.float_absolute_tolerance, flags.float_relative_tolerance
        if (absolute is not None and diff <= absolute) or (
            relative is not None and diff <= relative * abs(e)
        ):
            return ""
        return f"expected {_short(want)}, got {_short(got)} (difference {diff:.3g})"
    same = got == want if flags.case_sensitive else _fold(got) == _fold(want)
    return "" if same else f"expected {_short(want)}, got {_short(got)}"


def _token_parts(text: str, keep_spaces: bool) -> list[tuple[int, str]]:
    """(line, part) of each token, and of each run of whitespace too when ``keep_spaces``."""
    parts, line = [], 1
    for index, part in enumerate(_SPACE_SPLIT.split(normalize_newlines(text))):
        if index % 2:
            if keep_spaces:
                parts.append((line, part))
            line += part.count("\n")
        elif part or keep_spaces:
            parts.append((line, part))
    return parts


def _compare_tokens(actual: str, expected: str, flags: ValidatorFlags) -> CompareResult:
    strict = flags.space_change_sensitive
    got_parts = _token_parts(actual, strict)
    want_parts = _token_parts(expected, strict)
    for index, (_, want) in enumerate(want_parts):
        literal = strict and (index % 2 == 1 or not want)  # whitespace, or nothing at an end
        if index >= len(got_parts):
            if strict and not want:  # the output simply ends where the answer does
                break
            line = got_parts[-1][0] if got_parts else 1
            return CompareResult(False, f"line {line}: output ended, expected {_short(want)}")
        line, got = got_parts[index]
        if literal:
            problem = (
                ""
                if got == want
                else f"whitespace differs: expected {_short(want)}, got {_short(got)}"
            )
        else:
            problem = _tokens_match(got, want, flags)
        if problem:
            return CompareResult(False, f"line {line}: {problem}")
    extra = [(line, part) for line, part in got_parts[len(want_parts) :] if part]
    if extra:
        line, part = extra[0]
        kind = "whitespace" if strict and not part.strip() else "output"
        return CompareResult(False, f"line {line}: extra {kind} {_short(part)}")
    return CompareResult(True)


def compare_output(
    actual: str,
    expected: str,
    mode: str = TRAILING_WHITESPACE,
    tolerance: float = DEFAULT_TOLERANCE,
    flags: ValidatorFlags | str = "",
) -> CompareResult:
    """Whether ``actual`` is an accepted answer for ``expected`` under ``mode``.

    ``flags`` (a ``ValidatorFlags`` or the challenge's ``validator_flags`` text) only steers
    the ``tokens`` mode.
    """
    if mode == TOKENS:
        parsed = flags if isinstance(flags, ValidatorFlags) else flags_parse(flags)
        return _compare_tokens(actual, expected, parsed)
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
    if mode == CUSTOM:
        raise ValueError("the 'custom' mode is judged by the challenge's output validator")
    raise ValueError(f"unknown comparison mode {mode!r}; known: {', '.join(MODES)}")
