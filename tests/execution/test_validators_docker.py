"""Custom output validators through the real runner: their own container, the Kattis interface.

Programs' outputs are given as finished ``SandboxResult``s; the validator itself always runs in
a real hardened container. A failing validator must give Internal Error and a staff note, never
a verdict against the learner.
"""

from __future__ import annotations

import textwrap

import pytest

from challenges.models import Challenge, TestCase, ValidatorFailure, ValidatorFile
from execution.models import Verdict
from execution.sandbox import SandboxResult
from execution.validators import LEARNER_DETAIL, OutputJudge, validator_entry
from tests.factories import RepositoryFactory

pytestmark = [pytest.mark.docker, pytest.mark.django_db, pytest.mark.timeout(300)]

CLOSE_ENOUGH_PY = textwrap.dedent(
    """\
    import sys
    answer = float(open(sys.argv[2]).read())
    flags = sys.argv[4:]
    tolerance = float(flags[flags.index("tol") + 1]) if "tol" in flags else 1e-6
    got = sys.stdin.read().split()
    if len(got) != 1:
        open(sys.argv[3] + "judgemessage.txt", "w").write(f"expected one number, got {len(got)}")
        sys.exit(43)
    if abs(float(got[0]) - answer) > tolerance:
        open(sys.argv[3] + "judgemessage.txt", "w").write(f"{got[0]} is too far from the answer")
        sys.exit(43)
    sys.exit(42)
    """
)

# The input is "n a1 .. an"; any permutation of the numbers is accepted (the answer is unused).
ANY_ORDER_CPP = {
    "check.h": "#include <algorithm>\n#include <fstream>\n#include <vector>\n"
    "inline std::vector<long> sorted(std::vector<long> v) "
    "{ std::sort(v.begin(), v.end()); return v; }\n",
    "validate.cpp": textwrap.dedent(
        """\
        #include <iostream>
        #include "check.h"
        int main(int argc, char** argv) {
            std::ifstream in(argv[1]);
            long n; in >> n;
            std::vector<long> want(n), got;
            for (auto& x : want) in >> x;
            long x;
            while (std::cin >> x) got.push_back(x);
            if (sorted(got) != sorted(want)) {
                std::ofstream(std::string(argv[3]) + "judgemessage.txt") << "not a permutation";
                return 43;
            }
            return 42;
        }
        """
    ),
}


def challenge_with(files: dict[str, str], flags: str = "") -> Challenge:
    challenge = Challenge.objects.create(
        repository=RepositoryFactory(), slug="checked", title="Checked", statement="x",
        author="ada", comparison="custom", validator_flags=flags,
    )  # fmt: skip
    for name, content in files.items():
        ValidatorFile.objects.create(challenge=challenge, name=name, content=content)
    return challenge


def test(challenge: Challenge, stdin: str, answer: str, sample: bool = True) -> TestCase:
    return TestCase.objects.create(
        challenge=challenge, position=TestCase.objects.count() + 1, stdin=stdin,
        expected_output=answer, is_sample=sample,
    )  # fmt: skip


test.__test__ = False


def output(text: str) -> SandboxResult:
    return SandboxResult(exit_code=0, stdout=text.encode())


def test_python_validator_with_flags_and_feedback_for_samples_only(run_id):
    challenge = challenge_with({"close.py": CLOSE_ENOUGH_PY}, flags="tol 0.01")
    sample, hidden = test(challenge, "", "3.14159\n"), test(challenge, "", "2.71828\n", False)
    with OutputJudge(challenge=challenge, run_id=run_id) as judge:
        assert judge.judge(output("3.1416\n"), sample) == (Verdict.ACCEPTED, "")
        assert judge.judge(output("3.2\n"), sample) == (
            Verdict.WRONG_ANSWER, "3.2 is too far from the answer"
        )  # fmt: skip
        assert judge.judge(output("2.718\n"), hidden) == (Verdict.ACCEPTED, "")
        assert judge.judge(output("2.8\n"), hidden) == (Verdict.WRONG_ANSWER, "")
        assert judge.judge(output("1 2\n"), sample)[1] == "expected one number, got 2"
    assert not ValidatorFailure.objects.exists()


def test_cpp_validator_with_a_header_accepts_any_order(run_id):
    challenge = challenge_with(ANY_ORDER_CPP)
    case = test(challenge, "4\n3 1 4 1\n", "1 1 3 4\n")
    with OutputJudge(challenge=challenge, run_id=run_id) as judge:
        assert judge.judge(output("4 3 1 1\n"), case) == (Verdict.ACCEPTED, "")
        assert judge.judge(output("1\n1\n3\n4\n"), case) == (Verdict.ACCEPTED, "")
        assert judge.judge(output("1 3 4\n"), case) == (Verdict.WRONG_ANSWER, "not a permutation")


def test_program_failures_are_judged_before_the_validator(run_id):
    challenge = challenge_with({"close.py": CLOSE_ENOUGH_PY})
    case = test(challenge, "", "1\n")
    with OutputJudge(challenge=challenge, run_id=run_id) as judge:
        assert judge.judge(SandboxResult(timed_out=True), case)[0] == Verdict.TIME_LIMIT_EXCEEDED
        assert judge.box is None  # no validator container was needed


@pytest.mark.parametrize(
    ("files", "note"),
    [
        ({"v.py": "import sys\nraise RuntimeError('judge bug')\n"}, "RuntimeError: judge bug"),
        ({"v.py": "import sys\nsys.exit(0)\n"}, "exited with code 0, not 42 or 43"),
        ({"v.py": "while True:\n    pass\n"}, "exceeded its time limit"),
        ({"v.py": "x = [1] * (10 ** 9)\n"}, "memory limit"),
        ({"v.py": "def broken(:\n"}, "does not compile"),
        ({"v.cpp": "int main() { return nope; }\n"}, "does not compile"),
        ({"v.rb": "exit 42\n"}, "unsupported validator file 'v.rb'"),
    ],
)
def test_a_failing_validator_gives_internal_error_and_a_staff_note(files, note, run_id, settings):
    settings.VALIDATOR_TIME_LIMIT_MS = 1500
    settings.VALIDATOR_MEMORY_LIMIT_MB = 128
    challenge = challenge_with(files)
    case = test(challenge, "secret input\n", "secret answer\n", sample=False)
    with OutputJudge(challenge=challenge, run_id=run_id) as judge:
        verdict, detail = judge.judge(output("42\n"), case)
    assert (verdict, detail) == (Verdict.INTERNAL_ERROR, LEARNER_DETAIL)
    failure = ValidatorFailure.objects.get(challenge=challenge)
    assert note in failure.message and failure.test_position == case.position
    assert failure.run_id is None or isinstance(failure.run_id, int)


def test_the_validator_cannot_reach_the_network(run_id):
    code = textwrap.dedent(
        """\
        import socket, sys
        try:
            socket.create_connection(("1.1.1.1", 53), timeout=2)
            sys.exit(42)
        except OSError:
            sys.exit(43)
        """
    )
    challenge = challenge_with({"v.py": code})
    with OutputJudge(challenge=challenge, run_id=run_id) as judge:
        assert judge.judge(output("x\n"), test(challenge, "", "x\n"))[0] == Verdict.WRONG_ANSWER


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["validate.py"], ("python", "validate.py")),
        (["helpers.py", "validate.py"], ("python", "validate.py")),
        (["validate.cc", "validate.h"], ("cpp", "")),
    ],
)
def test_validator_entry(names, expected):
    assert validator_entry(names) == expected


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["a.py", "b.py"], "none is named validate.py"),
        (["a.py", "b.cpp"], "mixes Python and C++"),
        (["check.h"], "no source file"),
        (["../x.py"], "plain names"),
    ],
)
def test_unusable_validators_are_named(names, message):
    with pytest.raises(ValueError, match=message):
        validator_entry(names)


def test_a_hanging_validator_costs_one_time_limit_per_push_and_one_note(run_id, settings):
    settings.VALIDATOR_TIME_LIMIT_MS = 1000
    challenge = challenge_with({"v.py": "while True:\n    pass\n"})
    first, second = test(challenge, "", "1\n"), test(challenge, "", "2\n", sample=False)
    with OutputJudge(challenge=challenge, run_id=run_id) as judge:
        assert judge.judge(output("1\n"), first) == (Verdict.INTERNAL_ERROR, LEARNER_DETAIL)
        assert judge.judge(output("2\n"), second) == (Verdict.INTERNAL_ERROR, LEARNER_DETAIL)
    assert list(ValidatorFailure.objects.values_list("test_position", flat=True)) == [
        first.position
    ]


def test_a_validator_that_only_crashes_on_some_tests_still_judges_the_others(run_id):
    code = "import sys\nif open(sys.argv[1]).read() == 'boom\\n':\n    raise ValueError\nsys.exit(42)\n"
    challenge = challenge_with({"v.py": code})
    boom, fine = test(challenge, "boom\n", "x\n"), test(challenge, "calm\n", "x\n")
    with OutputJudge(challenge=challenge, run_id=run_id) as judge:
        assert judge.judge(output("x\n"), boom)[0] == Verdict.INTERNAL_ERROR
        assert judge.judge(output("x\n"), fine) == (Verdict.ACCEPTED, "")
        assert judge.judge(output("x\n"), boom)[0] == Verdict.INTERNAL_ERROR
    assert ValidatorFailure.objects.filter(test_position=boom.position).count() == 2
