"""Turn what the sandbox observed into a verdict and a short human detail.

Per test, in this order (docs/execution.md, Verdicts): Internal Error (docker/launcher failure),
Compilation Error, Time Limit Exceeded (our wall deadline killed it, or SIGXCPU from the CPU
rlimit), Memory Limit Exceeded (SIGKILL + ``OOMKilled``, or the language's own out-of-memory
error: Python ``MemoryError``, Node "heap out of memory", C++ ``std::bad_alloc``), Output Limit
Exceeded (our output cap killed it), Runtime Error (any other non-zero exit; the detail names the
signal, the exception or the exit code), then Wrong Answer / Accepted from the comparison.

Over all tests: ``overall_verdict`` picks the worst by DMOJ's priority
CE > IE > TLE > MLE > OLE > RTE > WA > AC.
"""

from __future__ import annotations

import re
import signal as signal_module
from collections.abc import Iterable

from execution.compare import DEFAULT_TOLERANCE, TRAILING_WHITESPACE, compare_output
from execution.models import Verdict
from execution.sandbox import SandboxResult

PRIORITY = (
    Verdict.COMPILATION_ERROR,
    Verdict.INTERNAL_ERROR,
    Verdict.TIME_LIMIT_EXCEEDED,
    Verdict.MEMORY_LIMIT_EXCEEDED,
    Verdict.OUTPUT_LIMIT_EXCEEDED,
    Verdict.RUNTIME_ERROR,
    Verdict.WRONG_ANSWER,
    Verdict.ACCEPTED,
)
DETAIL_MAX = 500

_PY_EXCEPTION = re.compile(r"^([A-Za-z_][\w.]*)(?::\s?(.*))?$")
_JS_ERROR = re.compile(r"^([A-Z]\w*(?:Error|Exception))(?::\s?(.*))?$")
_CPP_THROW = re.compile(r"terminate called after throwing an instance of '([^']+)'")
_CPP_WHAT = re.compile(r"^\s*what\(\):\s*(.*)$", re.MULTILINE)
_TSC_ERROR = re.compile(r"\(\d+,\d+\): error TS\d+:")
_RUBY_SYNTAX = re.compile(r"^\S+:\d+: syntax error")
_RUSTC_ERROR = re.compile(r"^error(\[E\d+\])?: ")
_RUSTC_AT = re.compile(r"^\s*--> (\S+:\d+:\d+)")
# Uncaught errors of the other runtimes: Java, Go, Rust, Ruby.
_OTHER_ERRORS = (
    re.compile(r'^Exception in thread "main" (?:java\.\w+\.)*([\w$]+(?:: .*)?)$', re.MULTILINE),
    re.compile(r"^(panic: .*)$", re.MULTILINE),
    re.compile(r"^thread 'main' panicked at (.*)$", re.MULTILINE),
    re.compile(r"^\S+\.rb:\d+:in [^:]+: (.*)$", re.MULTILINE),
)
_SIGNAL_HINTS = {
    "SIGSEGV": "segmentation fault",
    "SIGFPE": "arithmetic error",
    "SIGABRT": "aborted",
    "SIGXFSZ": "file size limit exceeded",
    "SIGBUS": "bus error",
}


def signal_name(number: int) -> str:
    try:
        return signal_module.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def _clip(text: str, limit: int = DETAIL_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def python_exception(stderr: str) -> str:
    """``ZeroDivisionError: division by zero`` from a traceback's last line, or ""."""
    if "Traceback (most recent call last)" not in stderr:
        return ""
    match = _PY_EXCEPTION.match(_last_line(stderr))
    if not match:
        return ""
    name, message = match.group(1), (match.group(2) or "").strip()
    return f"{name}: {_clip(message, 200)}" if message else name


def javascript_error(stderr: str) -> str:
    """``TypeError: x is not a function`` from Node's uncaught-exception report, or ""."""
    for line in stderr.splitlines():
        match = _JS_ERROR.match(line.strip())
        if match:
            name, message = match.group(1), (match.group(2) or "").strip()
            return f"{name}: {_clip(message, 200)}" if message else name
    return ""


def other_error(stderr: str) -> str:
    """The uncaught error line of Java, Go, Rust or Ruby, e.g. ``panic: runtime error: …``."""
    for pattern in _OTHER_ERRORS:
        match = pattern.search(stderr)
        if match:
            return _clip(match.group(1).strip(), 200)
    return ""


def _out_of_memory_message(stderr: str) -> bool:
    last = _last_line(stderr)
    return (
        last == "MemoryError"
        or last.startswith("MemoryError:")
        or "JavaScript heap out of memory" in stderr
        or "std::bad_alloc" in stderr
        or "java.lang.OutOfMemoryError" in stderr
        or "memory allocation of" in stderr  # Rust's allocation failure
        or "runtime: out of memory" in stderr  # Go's
    )


def compile_error_detail(compile_output: str) -> str:
    """The first compiler error with its place, e.g. ``main.rs:2:5: error[E0425]: …``, or the
    last line (Python/Node/Ruby syntax errors, Go's ``./main.go:3:2: …``)."""
    lines = compile_output.splitlines()
    for index, line in enumerate(lines):
        if (
            ": error:" in line
            or ": fatal error:" in line
            or _TSC_ERROR.search(line)
            or _RUBY_SYNTAX.match(line)
        ):
            return _clip(line.strip())
        if _RUSTC_ERROR.match(line):  # rustc names the place on a following ``-->`` line
            place = next(
                (m for rest in lines[index + 1 : index + 4] if (m := _RUSTC_AT.match(rest))), None
            )
            return _clip(f"{place.group(1)}: {line.strip()}" if place else line.strip())
    for line in lines:
        if _JS_ERROR.match(line.strip()):
            return _clip(line.strip())
    return _clip(_last_line(compile_output)) or "compilation failed"


def runtime_error_detail(result: SandboxResult) -> str:
    """Signal name, exception name or exit code, e.g. ``SIGSEGV (segmentation fault)``."""
    stderr = result.stderr_text
    if result.signal:
        name = signal_name(result.signal)
        hint = _SIGNAL_HINTS.get(name, "")
        detail = f"{name} ({hint})" if hint else name
        thrown = _CPP_THROW.search(stderr)
        if thrown:
            what = _CPP_WHAT.search(stderr)
            detail += f": uncaught {thrown.group(1)}" + (f": {what.group(1)}" if what else "")
        return _clip(detail)
    exception = python_exception(stderr) or javascript_error(stderr) or other_error(stderr)
    if exception:
        return _clip(exception)
    return f"exit code {result.exit_code}"


def verdict_for(result: SandboxResult, matched: bool | None = None) -> tuple[Verdict, str]:
    """Verdict and detail for one run. ``matched=None`` means no expected output (``run`` mode)."""
    if result.internal_error:
        return Verdict.INTERNAL_ERROR, _clip(result.internal_error)
    if result.compile_failed:
        return Verdict.COMPILATION_ERROR, compile_error_detail(result.compile_output)
    if result.timed_out:
        return Verdict.TIME_LIMIT_EXCEEDED, f"killed after {result.wall_time_ms} ms"
    if result.signal == signal_module.SIGXCPU:
        return Verdict.TIME_LIMIT_EXCEEDED, "CPU time limit exceeded"
    stderr = result.stderr_text
    if result.oom_killed or (result.exit_code != 0 and _out_of_memory_message(stderr)):
        return Verdict.MEMORY_LIMIT_EXCEEDED, "memory limit exceeded"
    if result.output_exceeded:
        return Verdict.OUTPUT_LIMIT_EXCEEDED, "output limit exceeded"
    if result.exit_code != 0:
        return Verdict.RUNTIME_ERROR, runtime_error_detail(result)
    if matched is False:
        return Verdict.WRONG_ANSWER, ""
    return Verdict.ACCEPTED, ""


def judge(
    result: SandboxResult,
    expected: str | None,
    comparison: str = TRAILING_WHITESPACE,
    tolerance: float = DEFAULT_TOLERANCE,
) -> tuple[Verdict, str]:
    """Compare (only when the run ended normally) and return (verdict, detail).

    For Wrong Answer the detail locates the first difference.
    """
    verdict, detail = verdict_for(result, matched=None)
    if verdict != Verdict.ACCEPTED or expected is None:
        return verdict, detail
    compared = compare_output(result.stdout_text, expected, comparison, tolerance)
    if compared.ok:
        return Verdict.ACCEPTED, ""
    return Verdict.WRONG_ANSWER, _clip(compared.detail)


def overall_verdict(verdicts: Iterable[Verdict | str]) -> Verdict:
    """The worst verdict by priority; Internal Error when there is nothing to aggregate."""
    seen = {Verdict(v) for v in verdicts}
    if not seen:
        return Verdict.INTERNAL_ERROR
    return next(v for v in PRIORITY if v in seen)
