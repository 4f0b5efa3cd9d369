"""Judge a test's output: the challenge's comparison mode, or its custom output validator.

Custom output validators follow the Kattis problem format's interface: the validator is run as
``validator <test input> <judge answer> <feedback dir>/ [validator_flags...]`` with the
program's output on stdin; exit code 42 means accepted, 43 wrong answer, and the text it writes
to ``<feedback dir>/judgemessage.txt`` (and ``teammessage.txt``) explains the verdict.

Why its own container: the validator sees the judge's answer, which must never enter the
learner's container, and a learner's program must not be able to tamper with the judge. Each
push that needs a validator gets one more hardened runner container (same recipe as the
program's: no network, read-only root, non-root, capped memory, pids and CPU), in which the
validator is compiled once and then run once per test with limits of its own
(``VALIDATOR_TIME_LIMIT_MS``, ``VALIDATOR_MEMORY_LIMIT_MB``).

A validator that fails (does not compile, crashes, exits with another code, breaks a limit)
never produces a verdict against the learner: the test gets Internal Error with a neutral
detail, and a ``ValidatorFailure`` note for staff says what happened. Feedback text reaches the
learner for sample tests only; for hidden tests it could reveal the test's data.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import replace

from django.conf import settings

from challenges.models import Challenge, Comparison, TestCase, ValidatorFailure
from execution.compare import compare_output
from execution.containers import tar_files
from execution.languages import LANGUAGES, Language
from execution.models import Verdict
from execution.sandbox import Sandbox, SandboxResult
from execution.verdicts import verdict_for

logger = logging.getLogger(__name__)

EXIT_ACCEPTED = 42
EXIT_WRONG_ANSWER = 43
FEEDBACK_BYTES = 4000
STAFF_NOTE_CHARS = 2000
LEARNER_DETAIL = "the output validator failed on this test; staff have been notified"
BUNDLE = "validator.b64"
PYTHON_SUFFIXES = (".py",)
CPP_SUFFIXES = (".cpp", ".cc", ".cxx", ".c++")
HEADER_SUFFIXES = (".h", ".hpp", ".hh")

# Unpack the bundle (once per container: a replacement container gets only the bundle back).
_UNPACK = "[ -d v ] || { mkdir v && base64 -d validator.b64 | tar -x -f - -C v; } || exit 125"
# One test: unpack input/answer/output into t/, run the validator, print its feedback.
_DRIVER = (
    _UNPACK + "; rm -rf t && mkdir -p t/fb && tar -x -f - -C t || exit 125; set -f; "
    '"$@" t/in t/ans t/fb/ $(cat t/flags) < t/out > /dev/null 2> t/err; rc=$?; '
    f"cat t/fb/teammessage.txt t/fb/judgemessage.txt 2>/dev/null | head -c {FEEDBACK_BYTES}; "
    "tail -c 2000 t/err >&2; exit $rc"
)
_CPP_BUILD = (
    _UNPACK + '; set --; for f in v/*; do case "$f" in *.cpp|*.cc|*.cxx|*.c++) set -- "$@" "$f";; '
    'esac; done; exec g++ -std=gnu++17 -O2 -pipe -I v -o validator "$@"'
)
_PYTHON_CHECK = (
    "import sys\ntry: compile(open(sys.argv[1], 'rb').read(), sys.argv[1], 'exec')\n"
    "except (SyntaxError, ValueError) as e: sys.exit(f'{type(e).__name__}: {e}')"
)


def validator_entry(names: list[str]) -> tuple[str, str]:
    """(language, file to run) for a validator made of files ``names``; ValueError if unclear.

    Python: the one ``.py`` file, or ``validate.py`` among several. C++: every ``.cpp``/``.cc``
    file is compiled together (headers may sit next to them).
    """
    python = [n for n in names if n.endswith(PYTHON_SUFFIXES)]
    cpp = [n for n in names if n.endswith(CPP_SUFFIXES)]
    other = [
        n for n in names if n not in python and n not in cpp and not n.endswith(HEADER_SUFFIXES)
    ]
    bad = [n for n in names if "/" in n or "\\" in n or n.startswith(".") or not n]
    if bad:
        raise ValueError(f"validator file names must be plain names, not {bad[0]!r}")
    if python and cpp:
        raise ValueError("the output validator mixes Python and C++ files; use one language")
    if other:
        raise ValueError(f"unsupported validator file {other[0]!r}: use Python (.py) or C++ (.cpp)")
    if cpp:
        return "cpp", ""
    if len(python) == 1:
        return "python", python[0]
    if "validate.py" in python:
        return "python", "validate.py"
    if python:
        raise ValueError("several Python files and none is named validate.py")
    raise ValueError("the output validator has no source file (.py or .cpp)")


def _language_for(files: dict[str, str]) -> Language:
    """The validator's build and run recipe: its language's entry (image, limits) with our
    commands, which unpack the bundle and run the validator with the format's arguments."""
    base, entry = validator_entry(sorted(files))
    driver = ("sh", "-c", _DRIVER, "sh")
    if base == "cpp":
        changes = {"compile_cmd": ("sh", "-c", _CPP_BUILD), "run_cmd": (*driver, "./validator"),
                   "artifacts": ("validator",), "compile_time_limit_ms": 30_000}  # fmt: skip
    else:
        check = ("sh", "-c", _UNPACK + ' && exec python3 -I -c "$0" "v/$1"', _PYTHON_CHECK, entry)
        changes = {"compile_cmd": check, "run_cmd": (*driver, "python3", "-E", "-s", f"v/{entry}"),
                   "artifacts": (), "env": {"PYTHONDONTWRITEBYTECODE": "1"}}  # fmt: skip
    return replace(LANGUAGES[base], label=f"{base} output validator", source_file=BUNDLE, **changes)


def _tar(files: dict[str, bytes]) -> bytes:
    return tar_files({name: (content, 0o644) for name, content in files.items()})


class ValidatorBox:
    """A custom validator compiled in its own container, run once per test (see module doc).

    A class because it owns that container for the whole push; use it as a context manager.
    """

    def __init__(self, *, files: dict[str, str], flags: str = "", run_id: int | str = ""):
        self.flags = flags
        self.lang = _language_for(files)
        bundle = _tar({name: text.encode("utf-8") for name, text in sorted(files.items())})
        self.sandbox = Sandbox(
            language=self.lang.key,
            code=base64.b64encode(bundle).decode("ascii"),
            memory_limit_mb=settings.VALIDATOR_MEMORY_LIMIT_MB,
            run_id=run_id,
        )
        self.sandbox.lang = self.lang  # the validator's recipe, on its language's image
        self.compiled = False
        self.failure = ""

    def __enter__(self) -> ValidatorBox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.sandbox.close()

    def compile(self) -> str:
        """ "" when the validator is ready, else what went wrong (for staff)."""
        self.compiled = True
        result = self.sandbox.compile()
        if result.internal_error:
            self.failure = f"could not start the validator's container: {result.internal_error}"
        elif result.compile_failed:
            self.failure = "the validator does not compile:\n" + result.compile_output
        return self.failure

    def validate(self, *, stdin: str, answer: str, output: bytes) -> tuple[Verdict, str, str]:
        """(verdict, feedback, staff note): ACCEPTED/WRONG_ANSWER, or INTERNAL_ERROR + note.

        A validator that did not compile, or broke a limit, is not run again for the push's
        other tests (they are Internal Error at once, noted once), so a hanging validator
        costs one time limit, not one per test.
        """
        if not self.compiled and self.compile():
            return Verdict.INTERNAL_ERROR, "", self.failure
        if self.failure:
            return Verdict.INTERNAL_ERROR, "", ""
        data = _tar(
            {
                "in": stdin.encode("utf-8"),
                "ans": answer.encode("utf-8"),
                "out": output,
                "flags": self.flags.encode("utf-8"),
            }
        )
        result = self.sandbox.run(
            stdin=data,
            time_limit_ms=settings.VALIDATOR_TIME_LIMIT_MS,
            output_limit_bytes=FEEDBACK_BYTES * 2,
        )
        feedback = result.stdout_text.strip()
        if not (result.internal_error or result.timed_out or result.oom_killed):
            if result.exit_code == EXIT_ACCEPTED:
                return Verdict.ACCEPTED, feedback, ""
            if result.exit_code == EXIT_WRONG_ANSWER:
                return Verdict.WRONG_ANSWER, feedback or "rejected by the output validator", ""
        note = _failure_note(result)
        if result.internal_error or result.timed_out or result.oom_killed:
            self.failure = note
        return Verdict.INTERNAL_ERROR, "", note


def _failure_note(result: SandboxResult) -> str:
    if result.internal_error:
        note = f"the validator's container failed: {result.internal_error}"
    elif result.timed_out:
        note = f"the validator exceeded its time limit (killed after {result.wall_time_ms} ms)"
    elif result.oom_killed:
        note = "the validator exceeded its memory limit"
    elif result.exit_code == 125:
        note = "the test files could not be handed to the validator"
    elif result.signal:
        note = f"the validator was killed by {result.signal_name}"
    else:
        note = f"the validator exited with code {result.exit_code}, not 42 or 43"
    stderr = result.stderr_text.strip()
    return f"{note}\n{stderr}"[:STAFF_NOTE_CHARS] if stderr else note


class OutputJudge:
    """Verdicts for one push's tests: the challenge's comparison, or its output validator.

    A class because a custom validator's container lives for the whole push (started lazily,
    at the first output that needs it). Use as a context manager; ``judge`` once per test.
    """

    def __init__(self, *, challenge: Challenge, run_id: int | str = ""):
        self.challenge = challenge
        self.run_id = run_id
        self.box: ValidatorBox | None = None
        self.unusable = False

    def __enter__(self) -> OutputJudge:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.box is not None:
            self.box.__exit__()

    def judge(self, result: SandboxResult, test: TestCase) -> tuple[Verdict, str]:
        """(verdict, detail) of one test; the detail of a hidden test never quotes its data."""
        verdict, detail = verdict_for(result)
        if verdict != Verdict.ACCEPTED:
            return verdict, detail
        challenge = self.challenge
        if challenge.comparison != Comparison.CUSTOM:
            compared = compare_output(
                result.stdout_text, test.expected_output, challenge.comparison,
                challenge.tolerance, challenge.validator_flags,
            )  # fmt: skip
            return (
                (Verdict.ACCEPTED, "") if compared.ok else (Verdict.WRONG_ANSWER, compared.detail)
            )
        verdict, feedback, note = self._validate(result, test)
        if verdict == Verdict.INTERNAL_ERROR:
            if note:  # empty when this push's validator failure is already noted
                self._note_failure(test, note)
            return verdict, LEARNER_DETAIL
        return verdict, feedback if test.is_sample else ""

    def _validate(self, result: SandboxResult, test: TestCase) -> tuple[Verdict, str, str]:
        try:
            if self.box is None:
                files = {f.name: f.content for f in self.challenge.validator_files.all()}
                self.box = ValidatorBox(
                    files=files, flags=self.challenge.validator_flags, run_id=self.run_id
                )
            return self.box.validate(
                stdin=test.stdin, answer=test.expected_output, output=result.stdout
            )
        except ValueError as exc:  # no or mixed validator files: a setup problem for staff
            note = "" if self.unusable else f"the output validator is unusable: {exc}"
            self.unusable = True
            return Verdict.INTERNAL_ERROR, "", note

    def _note_failure(self, test: TestCase, note: str) -> None:
        logger.warning("output validator of %s failed: %s", self.challenge.slug, note[:300])
        ValidatorFailure.objects.create(
            challenge=self.challenge,
            run_id=self.run_id if isinstance(self.run_id, int) else None,
            test_position=test.position,
            message=note,
        )  # fmt: skip
