"""Mapping sandbox observations to verdicts (pure, no Docker)."""

from __future__ import annotations

import pytest

from execution.models import Verdict
from execution.sandbox import SandboxResult
from execution.verdicts import (
    compile_error_detail,
    judge,
    overall_verdict,
    runtime_error_detail,
    verdict_for,
)

PY_TRACEBACK = b"""Traceback (most recent call last):
  File "/sandbox/main.py", line 1, in <module>
    1/0
ZeroDivisionError: division by zero
"""
NODE_ERROR = b"""/sandbox/main.js:1
throw new TypeError("x is not a function");
^

TypeError: x is not a function
    at Object.<anonymous> (/sandbox/main.js:1:7)

Node.js v18.20.4
"""


def ok(stdout: bytes = b"", **kw) -> SandboxResult:
    return SandboxResult(exit_code=0, stdout=stdout, **kw)


def test_internal_error_wins_over_everything():
    result = SandboxResult(internal_error="docker down", timed_out=True, compile_failed=True)
    assert verdict_for(result) == (Verdict.INTERNAL_ERROR, "docker down")


def test_compile_error_detail_picks_first_gcc_error():
    output = "main.cpp: In function 'int main()':\nmain.cpp:1:20: error: 'x' was not declared\n"
    verdict, detail = verdict_for(SandboxResult(compile_failed=True, compile_output=output))
    assert verdict == Verdict.COMPILATION_ERROR
    assert detail == "main.cpp:1:20: error: 'x' was not declared"


def test_compile_error_detail_for_python_and_node():
    assert compile_error_detail('  File "main.py", line 1\n    (\nSyntaxError: bad\n') == (
        "SyntaxError: bad"
    )
    node = "/sandbox/main.js:1\nlet = ;\n\nSyntaxError: Unexpected token '='\n\nNode.js v18.20.4\n"
    assert compile_error_detail(node) == "SyntaxError: Unexpected token '='"


def test_timeout_is_tle_even_with_sigkill():
    result = SandboxResult(timed_out=True, signal=9, exit_code=None, wall_time_ms=2150)
    assert verdict_for(result)[0] == Verdict.TIME_LIMIT_EXCEEDED


def test_sigxcpu_is_tle():
    assert verdict_for(SandboxResult(exit_code=152, signal=24))[0] == Verdict.TIME_LIMIT_EXCEEDED


def test_oom_kill_is_mle_but_plain_sigkill_is_rte():
    assert verdict_for(SandboxResult(exit_code=137, signal=9, oom_killed=True))[0] == (
        Verdict.MEMORY_LIMIT_EXCEEDED
    )
    verdict, detail = verdict_for(SandboxResult(exit_code=137, signal=9))
    assert (verdict, detail) == (Verdict.RUNTIME_ERROR, "SIGKILL")


@pytest.mark.parametrize(
    "stderr",
    [
        b"Traceback (most recent call last):\n  File x\nMemoryError\n",
        b"FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n",
        b"terminate called after throwing an instance of 'std::bad_alloc'\n  what():  std::bad_alloc\n",
    ],
)
def test_language_out_of_memory_messages_are_mle(stderr):
    result = SandboxResult(exit_code=134, signal=6, stderr=stderr)
    assert verdict_for(result)[0] == Verdict.MEMORY_LIMIT_EXCEEDED


def test_output_exceeded_is_ole():
    assert verdict_for(SandboxResult(output_exceeded=True))[0] == Verdict.OUTPUT_LIMIT_EXCEEDED


@pytest.mark.parametrize(
    ("result", "detail"),
    [
        (SandboxResult(exit_code=139, signal=11), "SIGSEGV (segmentation fault)"),
        (SandboxResult(exit_code=153, signal=25), "SIGXFSZ (file size limit exceeded)"),
        (SandboxResult(exit_code=1, stderr=PY_TRACEBACK), "ZeroDivisionError: division by zero"),
        (SandboxResult(exit_code=1, stderr=NODE_ERROR), "TypeError: x is not a function"),
        (SandboxResult(exit_code=3, stderr=b"bye\n"), "exit code 3"),
        (
            SandboxResult(
                exit_code=134,
                signal=6,
                stderr=b"terminate called after throwing an instance of 'std::out_of_range'\n"
                b"  what():  vector::_M_range_check\n",
            ),
            "SIGABRT (aborted): uncaught std::out_of_range: vector::_M_range_check",
        ),
    ],
)
def test_runtime_error_details(result, detail):
    assert verdict_for(result) == (Verdict.RUNTIME_ERROR, detail)
    assert runtime_error_detail(result) == detail


def test_python_exception_without_message():
    stderr = b"Traceback (most recent call last):\n  File x\nKeyboardInterrupt\n"
    assert verdict_for(SandboxResult(exit_code=1, stderr=stderr))[1] == "KeyboardInterrupt"


def test_accepted_and_wrong_answer():
    assert verdict_for(ok(), matched=True) == (Verdict.ACCEPTED, "")
    assert verdict_for(ok(), matched=False)[0] == Verdict.WRONG_ANSWER
    assert verdict_for(ok(), matched=None)[0] == Verdict.ACCEPTED


def test_judge_compares_only_clean_exits():
    assert judge(ok(b"42\n"), "42")[0] == Verdict.ACCEPTED
    verdict, detail = judge(ok(b"41\n"), "42")
    assert verdict == Verdict.WRONG_ANSWER and "expected '42', got '41'" in detail
    assert judge(ok(b"3.1415927\n"), "3.14159265", "float", 1e-6)[0] == Verdict.ACCEPTED
    # Right output but a crash is still a runtime error.
    crashed = SandboxResult(exit_code=1, stdout=b"42\n", stderr=PY_TRACEBACK)
    assert judge(crashed, "42")[0] == Verdict.RUNTIME_ERROR
    # Bad UTF-8 is decoded with replacement and judged, never raises.
    assert judge(ok(b"\xff\xfe 42\n"), "42")[0] == Verdict.WRONG_ANSWER


def test_overall_priority():
    V = Verdict
    assert overall_verdict([V.ACCEPTED, V.ACCEPTED]) == V.ACCEPTED
    assert overall_verdict([V.ACCEPTED, V.WRONG_ANSWER, V.RUNTIME_ERROR]) == V.RUNTIME_ERROR
    assert overall_verdict([V.RUNTIME_ERROR, V.OUTPUT_LIMIT_EXCEEDED]) == V.OUTPUT_LIMIT_EXCEEDED
    assert overall_verdict([V.OUTPUT_LIMIT_EXCEEDED, V.MEMORY_LIMIT_EXCEEDED]) == (
        V.MEMORY_LIMIT_EXCEEDED
    )
    assert overall_verdict([V.MEMORY_LIMIT_EXCEEDED, V.TIME_LIMIT_EXCEEDED]) == (
        V.TIME_LIMIT_EXCEEDED
    )
    assert overall_verdict([V.TIME_LIMIT_EXCEEDED, V.INTERNAL_ERROR]) == V.INTERNAL_ERROR
    assert overall_verdict(["WRONG_ANSWER", "ACCEPTED"]) == V.WRONG_ANSWER
    assert overall_verdict([]) == V.INTERNAL_ERROR
