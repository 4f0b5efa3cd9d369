"""The sandbox through the real Docker engine: languages, hostile programs, streaming, load.

Hostile programs: the list in docs/execution.md. Every test uses the ``run_id`` fixture, which
fails the test if a container with its id is left behind. No assertion depends on speed.
"""

from __future__ import annotations

import textwrap
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from execution.models import Verdict
from execution.sandbox import ALLOWED_ENV_KEYS, Sandbox, SandboxResult, sandbox_run
from execution.verdicts import judge, verdict_for

pytestmark = [pytest.mark.docker, pytest.mark.timeout(300)]

LIMITS = {"time_limit_ms": 2000, "memory_limit_mb": 128, "output_limit_bytes": 64 * 1024}


def run_py(code: str, run_id: str, stdin: str = "", **overrides) -> SandboxResult:
    return sandbox_run(
        language="python",
        code=textwrap.dedent(code),
        stdin=stdin,
        run_id=run_id,
        **{**LIMITS, **overrides},
    )


HELLO = {
    "python": "name = input()\nprint(f'Hello, {name}!')\n",
    "javascript": (
        "const name = require('fs').readFileSync(0, 'utf8').trim();\n"
        "console.log(`Hello, ${name}!`);\n"
    ),
    "cpp": (
        "#include <iostream>\n#include <string>\n"
        'int main() { std::string n; std::cin >> n; std::cout << "Hello, " << n << "!\\n"; }\n'
    ),
}


@pytest.mark.parametrize("language", sorted(HELLO))
def test_hello_world_in_each_language(language, run_id):
    result = sandbox_run(
        language=language, code=HELLO[language], stdin="Ada\n", run_id=run_id, **LIMITS
    )
    assert not result.internal_error, result.internal_error
    assert judge(result, "Hello, Ada!") == (Verdict.ACCEPTED, "")
    assert result.stdout == b"Hello, Ada!\n"


def test_cpp_compile_error(run_id):
    result = sandbox_run(language="cpp", code="int main() { return x; }\n", run_id=run_id, **LIMITS)
    verdict, detail = verdict_for(result)
    assert verdict == Verdict.COMPILATION_ERROR
    assert "error:" in detail and "x" in detail
    assert "was not declared" in result.compile_output


@pytest.mark.parametrize(
    ("language", "code", "needle"),
    [
        ("python", "print('a'\n", "SyntaxError"),
        ("javascript", "let = ;\n", "SyntaxError"),
    ],
)
def test_syntax_errors_are_compilation_errors(language, code, needle, run_id):
    result = sandbox_run(language=language, code=code, run_id=run_id, **LIMITS)
    verdict, detail = verdict_for(result)
    assert verdict == Verdict.COMPILATION_ERROR
    assert needle in detail


def test_infinite_loop_is_tle(run_id):
    result = run_py("while True: pass\n", run_id, time_limit_ms=1000)
    assert result.timed_out
    assert verdict_for(result)[0] == Verdict.TIME_LIMIT_EXCEEDED


def test_sleep_forever_is_tle(run_id):
    result = run_py("import time\ntime.sleep(10**6)\n", run_id, time_limit_ms=1000)
    assert verdict_for(result)[0] == Verdict.TIME_LIMIT_EXCEEDED


def test_reading_closed_stdin_gets_eof_not_a_hang(run_id):
    result = run_py("input()\n", run_id, stdin="")
    verdict, detail = verdict_for(result)
    assert (verdict, detail.split(":")[0]) == (Verdict.RUNTIME_ERROR, "EOFError")


def test_sigterm_ignoring_loop_is_tle(run_id):
    code = """
        import signal
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        while True:
            pass
    """
    result = run_py(code, run_id, time_limit_ms=1000)
    assert verdict_for(result)[0] == Verdict.TIME_LIMIT_EXCEEDED


def test_fork_bomb_is_tle_or_rte_and_next_test_still_runs(run_id):
    bomb = """
        import os, sys
        if sys.stdin.read() == "bomb":
            while True:
                try:
                    os.fork()
                except OSError:
                    pass
        print(6 * 7)
    """
    with Sandbox(language="python", code=textwrap.dedent(bomb), run_id=run_id) as box:
        assert not box.compile().compile_failed
        first = box.run(stdin="bomb", time_limit_ms=1500)
        assert verdict_for(first)[0] in {Verdict.TIME_LIMIT_EXCEEDED, Verdict.RUNTIME_ERROR}
        # The next test of the same submission still runs normally.
        after = box.run(stdin="calm", time_limit_ms=3000)
        assert judge(after, "42")[0] == Verdict.ACCEPTED


def test_thread_bomb_hits_pids_limit(run_id):
    code = """
        import threading, time
        threads = [threading.Thread(target=time.sleep, args=(30,), daemon=True) for _ in range(10000)]
        for t in threads:
            t.start()
    """
    result = run_py(code, run_id, time_limit_ms=10_000)  # bounded anyway; the host may be busy
    verdict, detail = verdict_for(result)
    assert verdict == Verdict.RUNTIME_ERROR
    assert "RuntimeError" in detail


def test_huge_allocation_is_mle(run_id):
    result = run_py("a = [0] * 10**10\n", run_id)
    assert verdict_for(result)[0] == Verdict.MEMORY_LIMIT_EXCEEDED


def test_growing_memory_is_oom_killed_and_mle(run_id):
    code = """
        chunks = []
        while True:
            chunks.append(bytearray(10 * 1024 * 1024))
    """
    result = run_py(code, run_id, time_limit_ms=5000)
    assert result.oom_killed, result
    assert verdict_for(result)[0] == Verdict.MEMORY_LIMIT_EXCEEDED


def test_cpp_memory_bomb_is_mle(run_id):
    code = """
        #include <vector>
        #include <cstdio>
        int main() {
            std::vector<std::vector<char>> v;
            while (true) v.emplace_back(10 << 20, 'x');
        }
    """
    result = sandbox_run(
        language="cpp",
        code=textwrap.dedent(code),
        run_id=run_id,
        **{**LIMITS, "time_limit_ms": 5000},
    )
    assert verdict_for(result)[0] == Verdict.MEMORY_LIMIT_EXCEEDED


@pytest.mark.parametrize(
    "code",
    [
        "while True: print('x' * 80)\n",
        "import sys\nsys.stdout.write('a' * 10**7)\n",
        "import sys\nwhile True: sys.stderr.write('e' * 100 + '\\n')\n",
    ],
    ids=["stdout-lines", "one-huge-line", "stderr"],
)
def test_output_floods_are_ole_and_capped(code, run_id):
    seen = []
    result = run_py(
        code,
        run_id,
        output_limit_bytes=32 * 1024,
        memory_limit_mb=256,
        on_output=lambda s, c: seen.append(c),
    )
    assert verdict_for(result)[0] == Verdict.OUTPUT_LIMIT_EXCEEDED
    assert len(result.stdout) + len(result.stderr) == 32 * 1024
    assert sum(len(c) for c in seen) == 32 * 1024


def test_huge_file_is_rte(run_id):
    code = """
        with open("beans", "wb") as f:
            for _ in range(218):
                f.write(b"\\0" * (1 << 20))
    """
    result = run_py(code, run_id)
    verdict, detail = verdict_for(result)
    assert verdict == Verdict.RUNTIME_ERROR
    assert detail.startswith(("SIGXFSZ", "OSError")), detail


def test_root_filesystem_is_read_only(run_id):
    result = run_py("open('/usr/lib/x', 'w')\n", run_id)
    verdict, detail = verdict_for(result)
    assert verdict == Verdict.RUNTIME_ERROR
    assert detail.startswith(("PermissionError", "OSError")), detail


def test_files_do_not_persist_between_runs(run_id):
    code = """
        import os
        for d in ("/tmp", "/sandbox", "/dev/shm"):
            path = os.path.join(d, "marker")
            print(d, os.path.exists(path))
            open(path, "w").write("x")
    """
    first, second = run_py(code, run_id), run_py(code, run_id)
    assert first.stdout == second.stdout == b"/tmp False\n/sandbox False\n/dev/shm False\n"


def test_network_is_unreachable(run_id):
    code = """
        import socket, urllib.request
        for target in [("1.1.1.1", 53), ("172.17.0.1", 6379), ("169.254.169.254", 80)]:
            s = socket.socket()
            s.settimeout(1)
            try:
                s.connect(target)
                print("connected", target)
            except OSError as e:
                print("blocked")
        try:
            socket.gethostbyname("pypi.org")
            print("resolved")
        except OSError:
            print("blocked")
        try:
            urllib.request.urlopen("http://example.com", timeout=1)
            print("fetched")
        except OSError:
            print("blocked")
        print(sorted(name for _, name in socket.if_nameindex()))
    """
    result = run_py(code, run_id, time_limit_ms=5000)
    assert result.exit_code == 0, result.stderr_text
    assert result.stdout_text.splitlines() == ["blocked"] * 5 + ["['lo']"]


def test_environment_holds_only_whitelisted_keys(run_id, monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "launcher-secret-value-123")
    code = """
        import os
        print(sorted(os.environ))
        try:
            environ = open("/proc/1/environ", "rb").read().split(b"\\0")
            print(sorted(e.split(b"=")[0].decode() for e in environ if e))
        except OSError as e:
            print(type(e).__name__)
        print(sorted(p for p in os.listdir("/proc") if p.isdigit()))
    """
    result = run_py(code, run_id)
    assert result.exit_code == 0, result.stderr_text
    own_keys, init_keys, pids = (
        eval(line) if line.startswith("[") else line for line in result.stdout_text.splitlines()
    )
    assert set(own_keys) <= ALLOWED_ENV_KEYS
    assert init_keys == "PermissionError" or set(init_keys) <= ALLOWED_ENV_KEYS
    assert "launcher-secret" not in result.stdout_text
    # Only the sandbox's own processes are visible (init, keeper, wrapper, python).
    assert len(pids) <= 6


def test_runs_as_unprivileged_user_without_capabilities(run_id):
    code = """
        import os
        print(os.getuid(), os.getgid())
        print([l for l in open("/proc/self/status") if l.startswith(("CapEff", "NoNewPrivs"))])
    """
    result = run_py(code, run_id)
    lines = result.stdout_text.splitlines()
    assert lines[0] == "10000 10000"
    assert "CapEff:\\t0000000000000000\\n" in lines[1] and "NoNewPrivs:\\t1\\n" in lines[1]


def test_detached_child_does_not_keep_the_run_alive(run_id):
    code = """
        import os, time
        if os.fork() == 0:
            os.setsid()
            time.sleep(10**6)
        print("answer")
    """
    result = run_py(code, run_id, time_limit_ms=10_000)
    assert not result.timed_out
    assert judge(result, "answer") == (Verdict.ACCEPTED, "")


def test_detached_child_cannot_leak_into_the_next_test(run_id):
    code = """
        import os, sys, time
        if sys.stdin.read().strip() == "first":
            if os.fork() == 0:
                os.setsid()
                while True:
                    time.sleep(0.01)
        print(len([p for p in os.listdir("/proc") if p.isdigit()]))
    """
    with Sandbox(language="python", code=textwrap.dedent(code), run_id=run_id) as box:
        box.compile()
        before, first, after = (box.run(stdin=s) for s in ("second", "first", "second"))
    assert before.exit_code == first.exit_code == after.exit_code == 0
    # The run that forked saw its daemon; the next one sees as few processes as the first.
    assert int(first.stdout) == int(before.stdout) + 1
    assert after.stdout == before.stdout


@pytest.mark.parametrize(
    ("code", "detail"),
    [
        ("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n", "SIGSEGV"),
        ("import os\nos.abort()\n", "SIGABRT"),
        ("1/0\n", "ZeroDivisionError"),
        ("import sys\nsys.exit(3)\n", "exit code 3"),
    ],
)
def test_runtime_error_details(code, detail, run_id):
    verdict, got = verdict_for(run_py(code, run_id))
    assert verdict == Verdict.RUNTIME_ERROR
    assert got.startswith(detail)


def test_cpp_segfault_and_node_exception(run_id):
    segv = "int main() { volatile int *p = nullptr; return *p; }\n"
    result = sandbox_run(language="cpp", code=segv, run_id=run_id, **LIMITS)
    assert verdict_for(result) == (Verdict.RUNTIME_ERROR, "SIGSEGV (segmentation fault)")
    js = "function f() { throw new RangeError('too far'); }\nf();\n"
    result = sandbox_run(language="javascript", code=js, run_id=run_id, **LIMITS)
    assert verdict_for(result) == (Verdict.RUNTIME_ERROR, "RangeError: too far")


def test_bad_utf8_output_is_handled(run_id):
    result = run_py(
        "import sys\nsys.stdout.buffer.write(b'\\xff\\xfe\\x00 bad utf-8\\n')\n", run_id
    )
    assert result.stdout == b"\xff\xfe\x00 bad utf-8\n"
    assert "\ufffd" in result.stdout_text
    assert judge(result, "bad utf-8")[0] == Verdict.WRONG_ANSWER


def test_output_streams_while_the_program_runs(run_id):
    """Chunks reach the callback before the program ends (Python unbuffered, no explicit flush)."""
    arrivals: list[tuple[float, bytes]] = []
    code = """
        import time
        for i in range(3):
            print("tick", i)
            time.sleep(0.7)
    """
    result = run_py(
        code,
        run_id,
        time_limit_ms=10_000,
        on_output=lambda stream, chunk: arrivals.append((time.monotonic(), chunk)),
    )
    assert result.stdout == b"tick 0\ntick 1\ntick 2\n"
    text_at = [(t, c) for t, c in arrivals if c.strip()]
    first = next(t for t, c in text_at if b"0" in c)
    last = next(t for t, c in text_at if b"2" in c)
    # Buffered output would arrive in one piece at exit; the program sleeps 1.4 s in between.
    assert last - first > 1.0


def test_push_mode_compiles_once_and_runs_each_test(run_id):
    code = """
        #include <iostream>
        #include <chrono>
        #include <thread>
        int main() {
            long long a, b; std::cin >> a >> b;
            if (a < 0) { while (true) {} }
            std::cout << a + b << "\\n";
        }
    """
    tests = [("1 2", "3"), ("-1 0", None), ("10 20", "30"), ("5 5", "10")]
    verdicts = []
    with Sandbox(language="cpp", code=textwrap.dedent(code), run_id=run_id) as box:
        assert not box.compile().compile_failed
        for stdin, expected in tests:
            result = box.run(stdin=stdin, time_limit_ms=1000)
            verdicts.append(judge(result, expected)[0])
        assert box.containers_used == 1
    assert verdicts == [
        Verdict.ACCEPTED,
        Verdict.TIME_LIMIT_EXCEEDED,
        Verdict.ACCEPTED,
        Verdict.ACCEPTED,
    ]


def test_push_mode_continues_after_an_oom_kill(run_id):
    code = """
        import sys
        if sys.stdin.read().strip() == "big":
            chunks = []
            while True:
                chunks.append(bytearray(10 << 20))
        print("ok")
    """
    with Sandbox(
        language="python", code=textwrap.dedent(code), run_id=run_id, memory_limit_mb=96
    ) as box:
        box.compile()
        results = [box.run(stdin=s, time_limit_ms=5000) for s in ("small", "big", "small")]
        assert box.containers_used == 1
    assert [verdict_for(r, matched=True)[0] for r in results] == [
        Verdict.ACCEPTED,
        Verdict.MEMORY_LIMIT_EXCEEDED,
        Verdict.ACCEPTED,
    ]
    assert results[2].stdout == b"ok\n"


def test_eight_parallel_submissions_get_their_own_verdicts(run_id):
    programs = [
        ("python", "print(int(input()) * 2)\n", "21", "42", Verdict.ACCEPTED),
        ("python", "print(int(input()) * 3)\n", "21", "42", Verdict.WRONG_ANSWER),
        ("python", "while True: pass\n", "", "x", Verdict.TIME_LIMIT_EXCEEDED),
        ("python", "raise ValueError('no')\n", "", "x", Verdict.RUNTIME_ERROR),
        ("javascript", "console.log(7 * 6)\n", "", "42", Verdict.ACCEPTED),
        ("javascript", "console.log(7 * 7)\n", "", "42", Verdict.WRONG_ANSWER),
        ("python", "while True: print('y' * 100)\n", "", "x", Verdict.OUTPUT_LIMIT_EXCEEDED),
        ("python", "import sys\nprint(sys.stdin.read()[::-1])\n", "abc", "cba", Verdict.ACCEPTED),
    ]

    def one(item):
        language, code, stdin, expected, verdict = item
        # Generous limits except for the looping program: the host may be busy (no timing here).
        limit = 1500 if verdict == Verdict.TIME_LIMIT_EXCEEDED else 20_000
        result = sandbox_run(
            language=language,
            code=code,
            stdin=stdin,
            run_id=run_id,
            time_limit_ms=limit,
            memory_limit_mb=128,
            output_limit_bytes=16 * 1024,
        )
        return judge(result, expected)[0]

    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(one, programs))
    assert got == [item[4] for item in programs]


def test_missing_image_is_internal_error(run_id, monkeypatch):
    from execution import languages

    lang = languages.LANGUAGES["python"]
    monkeypatch.setattr(languages.Language, "image", property(lambda self: "codepusher-none:0"))
    result = sandbox_run(language=lang.key, code="print(1)", run_id=run_id, **LIMITS)
    assert verdict_for(result)[0] == Verdict.INTERNAL_ERROR
    assert "build_runner_images" in result.internal_error
