"""Check a challenge pack: its layout, and that every reference solution passes every test.

Usage (from the repository root)::

    python3 tests/challenges/pack_solutions_check.py challenges/packs/demo [--only SLUG ...]

For every challenge of every repository in the pack it

* validates the folder layout and the keys of ``repository.toml`` / ``challenge.toml``;
* checks that the worked example in ``statement.md`` is test ``01``;
* compiles the C++ files with ``g++ -O2 -std=c++17``;
* runs each starter on test ``01`` (it must run and exit 0; its output is not judged);
* runs each reference solution (``python3``, ``node``, the compiled binary) on every test,
  with a timeout, and compares its output with the challenge's comparison mode (``tokens``:
  the validator flags, roughly; ``custom``: the challenge's Python output validator, run with
  the Kattis interface and judged by its exit code, 42 accepted).

It prints one row per challenge and language and exits non-zero on any problem.
Standard library only; needs Python 3.11+ (``tomllib``), Node and g++ on PATH.
"""

from __future__ import annotations

import argparse
import math
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

LANGUAGES = {"python": "python.py", "javascript": "javascript.js", "cpp": "cpp.cpp"}
CHALLENGE_KEYS = [
    "title",
    "difficulty",
    "author",
    "tags",
    "time_limit_ms",
    "memory_limit_mb",
    "comparison",
    "tolerance",
    "validator_flags",
    "published",
    "position",
    "sample_tests",
    "source",
    "source_url",
    "license",
]
OPTIONAL_KEYS = {"tolerance", "validator_flags", "source", "source_url", "license"}
REPOSITORY_KEYS = ["name", "owner", "description"]
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TEST_KINDS = ("in", "out")
TEST_RE = re.compile(r"^(\d{2})\.(in|out)$")
FENCE_RE = re.compile(r"^```[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
# Generous wall-clock cap, so a slow solution is reported with its time instead of hanging.
TIMEOUT_FACTOR = 5


# --------------------------------------------------------------------------- comparison


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n")


def compare_exact(expected: str, actual: str, tolerance: float) -> bool:
    return expected == actual


def trailing_lines(text: str) -> list[str]:
    lines = [line.rstrip() for line in normalize_newlines(text).split("\n")]
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def compare_trailing_whitespace(expected: str, actual: str, tolerance: float) -> bool:
    return trailing_lines(expected) == trailing_lines(actual)


def _as_number(token: str) -> float | None:
    try:
        value = float(token)
    except ValueError:
        return None
    return value


def compare_float(expected: str, actual: str, tolerance: float) -> bool:
    """Token by token; numbers match within an absolute or relative tolerance."""
    expected_tokens = normalize_newlines(expected).split()
    actual_tokens = normalize_newlines(actual).split()
    if len(expected_tokens) != len(actual_tokens):
        return False
    for want, got in zip(expected_tokens, actual_tokens, strict=True):
        want_number, got_number = _as_number(want), _as_number(got)
        if want_number is None or got_number is None:
            if want != got:
                return False
            continue
        if math.isnan(want_number) or math.isnan(got_number):
            return False
        difference = abs(want_number - got_number)
        if difference > tolerance and difference > tolerance * abs(want_number):
            return False
    return True


def compare_tokens(expected: str, actual: str, flags: str) -> bool:
    """The Kattis default validator for the flags the demo uses (case, float_tolerance)."""
    words = flags.split()
    tolerance = (
        float(words[words.index("float_tolerance") + 1]) if "float_tolerance" in words else None
    )
    expected_tokens, actual_tokens = expected.split(), actual.split()
    if len(expected_tokens) != len(actual_tokens):
        return False
    for want, got in zip(expected_tokens, actual_tokens, strict=True):
        if tolerance is not None and _as_number(want) is not None:
            if not compare_float(want, got, tolerance):
                return False
        elif "case_sensitive" in words:
            if want != got:
                return False
        elif want.lower() != got.lower():
            return False
    return True


def compare_custom(validator: Path, stdin: Path, answer: Path, actual: bytes) -> str:
    """ "" when the Python output validator accepts (exit 42), else its feedback."""
    with tempfile.TemporaryDirectory() as feedback:
        result = subprocess.run(
            [sys.executable, str(validator), str(stdin), str(answer), feedback + "/"],
            input=actual,
            capture_output=True,
        )
        if result.returncode == 42:
            return ""
        message = Path(feedback, "judgemessage.txt")
        text = message.read_text() if message.is_file() else result.stderr.decode()[-300:]
        return f"validator exit {result.returncode}: {text.strip()}"


COMPARATORS = {
    "exact": compare_exact,
    "trailing_whitespace": compare_trailing_whitespace,
    "float": compare_float,
    "tokens": compare_tokens,
    "custom": None,
}


# --------------------------------------------------------------------------- validation


@dataclass
class Challenge:
    repository: str
    slug: str
    path: Path
    config: dict
    tests: list[str] = field(default_factory=list)  # "01", "02", ...


def read_toml(path: Path, problems: list[str]) -> dict | None:
    try:
        raw = path.read_bytes()
        return tomllib.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        problems.append(f"{path}: missing")
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        problems.append(f"{path}: {error}")
    return None


def top_level_key_order(path: Path) -> list[str]:
    keys = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)\s*=", line)
        if match:
            keys.append(match.group(1))
    return keys


def validate_repository(path: Path, problems: list[str]) -> None:
    config = read_toml(path / "repository.toml", problems)
    if config is None:
        return
    if list(config) != REPOSITORY_KEYS:
        problems.append(f"{path / 'repository.toml'}: keys must be {REPOSITORY_KEYS}")
    for key in REPOSITORY_KEYS:
        if not isinstance(config.get(key), str) or not config.get(key):
            problems.append(f"{path / 'repository.toml'}: '{key}' must be a non-empty string")


def validate_challenge(challenge: Challenge, problems: list[str]) -> None:
    where = challenge.path
    config = challenge.config
    expected_keys = [key for key in CHALLENGE_KEYS if key not in OPTIONAL_KEYS or key in config]
    if top_level_key_order(where / "challenge.toml") != expected_keys:
        problems.append(f"{where / 'challenge.toml'}: keys must be, in order, {expected_keys}")
    if config.get("difficulty") not in {"easy", "medium", "hard"}:
        problems.append(f"{where / 'challenge.toml'}: difficulty must be easy, medium or hard")
    if config.get("comparison") not in COMPARATORS:
        problems.append(f"{where / 'challenge.toml'}: unknown comparison")
    if (config.get("comparison") == "float") != ("tolerance" in config):
        problems.append(f"{where / 'challenge.toml'}: tolerance goes with comparison = float only")
    tags = config.get("tags")
    if not isinstance(tags, list) or not all(isinstance(t, str) and SLUG_RE.match(t) for t in tags):
        problems.append(f"{where / 'challenge.toml'}: tags must be a list of lowercase slugs")
    elif tags != sorted(set(tags)):
        problems.append(f"{where / 'challenge.toml'}: tags must be sorted, without duplicates")
    for key in ("time_limit_ms", "memory_limit_mb", "position"):
        if not isinstance(config.get(key), int) or config[key] <= 0:
            problems.append(f"{where / 'challenge.toml'}: '{key}' must be a positive integer")
    if not isinstance(config.get("published"), bool):
        problems.append(f"{where / 'challenge.toml'}: 'published' must be true or false")
    for key in ("title", "author"):
        if not isinstance(config.get(key), str) or not config.get(key):
            problems.append(f"{where / 'challenge.toml'}: '{key}' must be a non-empty string")

    for kind in ("starter", "solution"):
        for filename in LANGUAGES.values():
            if not (where / kind / filename).is_file():
                problems.append(f"{where / kind / filename}: missing")

    numbers: dict[str, set[str]] = {}
    for item in sorted((where / "tests").iterdir()) if (where / "tests").is_dir() else []:
        match = TEST_RE.match(item.name)
        if not match:
            problems.append(f"{item}: unexpected file (tests are NN.in / NN.out)")
            continue
        numbers.setdefault(match.group(1), set()).add(match.group(2))
        data = item.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"{item}: not valid UTF-8")
        if not data.endswith(b"\n") or data.endswith(b"\n\n") or b"\r" in data:
            problems.append(f"{item}: must end with exactly one newline (and use LF)")
    challenge.tests = sorted(numbers)
    if challenge.tests != [f"{i:02d}" for i in range(1, len(challenge.tests) + 1)]:
        problems.append(f"{where / 'tests'}: tests must be numbered 01, 02, ... without gaps")
    for number, kinds in numbers.items():
        if kinds != set(TEST_KINDS):
            problems.append(f"{where / 'tests' / number}: needs both .in and .out")
    samples = config.get("sample_tests")
    if not isinstance(samples, list) or not set(samples) <= set(challenge.tests):
        problems.append(f"{where / 'challenge.toml'}: sample_tests must name existing tests")

    statement = where / "statement.md"
    if not statement.is_file():
        problems.append(f"{statement}: missing")
    elif "01" in numbers and numbers["01"] == set(TEST_KINDS):
        blocks = FENCE_RE.findall(statement.read_text(encoding="utf-8"))
        test_in = (where / "tests" / "01.in").read_text(encoding="utf-8")
        test_out = (where / "tests" / "01.out").read_text(encoding="utf-8")
        if len(blocks) < 2 or blocks[0] != test_in or blocks[1] != test_out:
            problems.append(f"{statement}: the first two code blocks must be test 01 (in, out)")


def discover(pack: Path, problems: list[str]) -> list[Challenge]:
    challenges: list[Challenge] = []
    seen: dict[str, Path] = {}
    for repository in sorted(p for p in pack.iterdir() if p.is_dir()):
        if not SLUG_RE.match(repository.name):
            problems.append(f"{repository}: repository slug must be lowercase with hyphens")
        validate_repository(repository, problems)
        positions = []
        for folder in sorted(p for p in repository.iterdir() if p.is_dir()):
            if not SLUG_RE.match(folder.name):
                problems.append(f"{folder}: challenge slug must be lowercase with hyphens")
            if folder.name in seen:
                problems.append(f"{folder}: slug already used by {seen[folder.name]}")
            seen[folder.name] = folder
            config = read_toml(folder / "challenge.toml", problems)
            if config is None:
                continue
            challenge = Challenge(repository.name, folder.name, folder, config)
            validate_challenge(challenge, problems)
            positions.append(config.get("position"))
            challenges.append(challenge)
        if sorted(p for p in positions if isinstance(p, int)) != list(range(1, len(positions) + 1)):
            problems.append(f"{repository}: positions must be 1..{len(positions)}")
    return challenges


# --------------------------------------------------------------------------- running


def compile_cpp(source: Path, binary: Path) -> str | None:
    result = subprocess.run(
        ["g++", "-O2", "-std=c++17", "-o", str(binary), str(source)],
        capture_output=True,
        text=True,
    )
    return None if result.returncode == 0 else result.stderr.strip()[-2000:]


def command_for(language: str, source: Path, binary: Path) -> list[str]:
    if language == "python":
        return [sys.executable if sys.executable else "python3", str(source)]
    if language == "javascript":
        return ["node", str(source)]
    return [str(binary)]


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: list[str], stdin: bytes, timeout: float) -> tuple[str, bytes, float]:
    """Return (status, stdout, seconds); status is ok, timeout or the exit description.

    The seconds are the CPU time (user + system) of the child, which is what a time limit
    is about and stays meaningful on a busy machine; the wall-clock timeout is generous.
    """
    started = _children_cpu_seconds()
    try:
        result = subprocess.run(command, input=stdin, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", b"", timeout
    elapsed = _children_cpu_seconds() - started
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        return f"exit {result.returncode} {' '.join(detail)}", result.stdout, elapsed
    return "ok", result.stdout, elapsed


@dataclass
class Row:
    challenge: str
    language: str
    passed: int
    total: int
    max_ms: float
    problems: list[str]


def check_challenge(challenge: Challenge, build: Path) -> list[Row]:
    config = challenge.config
    compare = COMPARATORS.get(config.get("comparison")) or compare_exact
    tolerance = float(config.get("tolerance", 0.0))
    limit_s = config.get("time_limit_ms", 2000) / 1000
    rows = []
    for language, filename in LANGUAGES.items():
        row = Row(challenge.slug, language, 0, len(challenge.tests), 0.0, [])
        rows.append(row)
        binaries = {}
        for kind in ("starter", "solution"):
            source = challenge.path / kind / filename
            binaries[kind] = build / f"{challenge.slug}-{kind}"
            if language == "cpp":
                error = compile_cpp(source, binaries[kind])
                if error:
                    row.problems.append(f"{kind} does not compile: {error}")
        if row.problems:
            continue

        first_path = challenge.path / "tests" / "01.in"
        first = first_path.read_bytes() if first_path.is_file() else b""
        starter = command_for(language, challenge.path / "starter" / filename, binaries["starter"])
        status, _, _ = run(starter, first, limit_s * TIMEOUT_FACTOR)
        if status != "ok":
            row.problems.append(f"starter on 01: {status}")

        solution = command_for(
            language, challenge.path / "solution" / filename, binaries["solution"]
        )
        for number in challenge.tests:
            if not all((challenge.path / "tests" / f"{number}.{k}").is_file() for k in TEST_KINDS):
                row.problems.append(f"test {number}: incomplete")
                continue
            stdin = (challenge.path / "tests" / f"{number}.in").read_bytes()
            expected = (challenge.path / "tests" / f"{number}.out").read_bytes().decode("utf-8")
            status, stdout, seconds = run(solution, stdin, limit_s * TIMEOUT_FACTOR)
            row.max_ms = max(row.max_ms, seconds * 1000)
            if status != "ok":
                row.problems.append(f"test {number}: {status}")
                continue
            try:
                actual = stdout.decode("utf-8")
            except UnicodeDecodeError:
                row.problems.append(f"test {number}: output is not UTF-8")
                continue
            if config.get("comparison") == "custom":
                verdict = compare_custom(
                    challenge.path / "validator" / "validate.py",
                    challenge.path / "tests" / f"{number}.in",
                    challenge.path / "tests" / f"{number}.out",
                    stdout,
                )
                if verdict:
                    row.problems.append(f"test {number}: wrong answer ({verdict})")
                    continue
            elif config.get("comparison") == "tokens":
                if not compare_tokens(expected, actual, config.get("validator_flags", "")):
                    row.problems.append(f"test {number}: wrong answer")
                    continue
            elif not compare(expected, actual, tolerance):
                row.problems.append(f"test {number}: wrong answer")
                continue
            if seconds > limit_s:
                row.problems.append(f"test {number}: {seconds * 1000:.0f} ms > time limit")
                continue
            row.passed += 1
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pack", type=Path, help="the pack folder, e.g. challenges/packs/demo")
    parser.add_argument("--only", nargs="*", default=[], help="challenge slugs to check")
    args = parser.parse_args(argv)

    for tool in ("g++", "node"):
        if shutil.which(tool) is None:
            print(f"{tool} is not on PATH", file=sys.stderr)
            return 2
    if not args.pack.is_dir():
        print(f"{args.pack}: not a folder", file=sys.stderr)
        return 2

    problems: list[str] = []
    challenges = discover(args.pack, problems)
    if args.only:
        challenges = [c for c in challenges if c.slug in args.only]

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="pack-check-") as build:
        for challenge in challenges:
            rows.extend(check_challenge(challenge, Path(build)))

    header = f"{'challenge':34} {'language':11} {'tests':>7} {'cpu ms':>8}  result"
    print(header)
    print("-" * len(header))
    for row in rows:
        result = "OK" if not row.problems else "FAIL"
        tests = f"{row.passed}/{row.total}"
        print(f"{row.challenge:34} {row.language:11} {tests:>7} {row.max_ms:8.0f}  {result}")
        problems.extend(f"{row.challenge} [{row.language}] {p}" for p in row.problems)

    published = sum(1 for c in challenges if c.config.get("published") is True)
    print(
        f"\n{len(challenges)} challenges ({published} published), "
        f"{sum(len(c.tests) for c in challenges)} tests, {len(rows)} solutions checked."
    )
    if problems:
        print(f"\n{len(problems)} problem(s):")
        for problem in problems:
            print(f"  - {problem}")
        return 1
    print("All reference solutions agree with every expected output.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
