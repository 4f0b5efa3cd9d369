"""Kattis problem packages written by the tests: a float-tolerance problem (LaTeX statement) and
a custom-validator problem (any order), in the layout of problemarchive.org."""

from __future__ import annotations

import textwrap
import zipfile
from pathlib import Path

CIRCLE_TEX = textwrap.dedent(
    r"""
    \problemname{Circle Area}
    % a comment that must not show
    Given the radius $r$ of a circle, print its \emph{area}.
    \section*{Input}
    One real number $r$ ($0 < r \le 1000$).
    \section*{Output}
    The area, with an absolute or relative error of at most $10^{-6}$.
    """
).lstrip()

CIRCLE_SOLUTIONS = {
    "circle.py": "import math\nr = float(input())\nprint(f'{math.pi * r * r:.9f}')\n",
    "circle.cpp": "#include <cmath>\n#include <cstdio>\nint main() { double r; "
    'std::scanf("%lf", &r); std::printf("%.9f\\n", M_PI * r * r); }\n',
    "circle.pas": "begin end.\n",
}
CIRCLE_WRONG = "import math\nr = float(input())\nprint(f'{3.14 * r * r:.9f}')\n"

ORDER_VALIDATOR = textwrap.dedent(
    """\
    import sys
    numbers = open(sys.argv[1]).read().split()[1:]
    got = sys.stdin.read().split()
    if sorted(got, key=int) != sorted(numbers, key=int):
        open(sys.argv[3] + "judgemessage.txt", "w").write("not the same numbers")
        sys.exit(43)
    if [int(x) for x in got] != sorted(int(x) for x in got):
        open(sys.argv[3] + "judgemessage.txt", "w").write("not in increasing order")
        sys.exit(43)
    sys.exit(42)
    """
)
# Any order of equal keys is fine: numbers are printed sorted (the answer file has one order).
ORDER_SOLUTION = "n, *xs = map(int, open(0).read().split())\nprint(*sorted(xs))\n"
ORDER_WRONG = "n, *xs = map(int, open(0).read().split())\nprint(*xs)\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def circle_problem(root: Path) -> Path:
    files = {
        "problem.yaml": "name: Circle Area\nauthor: Grace Hopper\nsource: NCPC 2019\n"
        "source_url: https://ncpc.example/2019\nlicense: cc by-sa\nkeywords: geometry, math\n"
        "validator_flags: float_tolerance 1e-6\nlimits:\n  memory: 512\n",
        ".timelimit": "3\n",
        "problem_statement/problem.en.tex": CIRCLE_TEX,
        "data/sample/1.in": "1\n",
        "data/sample/1.ans": "3.141592654\n",
        "data/secret/group1/big.in": "1000\n",
        "data/secret/group1/big.ans": "3141592.653589793\n",
        "data/secret/small.in": "0.5\n",
        "data/secret/small.ans": "0.7853981634\n",
    }
    files |= {f"submissions/accepted/{name}": text for name, text in CIRCLE_SOLUTIONS.items()}
    files["submissions/wrong_answer/pi314.py"] = CIRCLE_WRONG
    return write(root / "circlearea", files)


def order_problem(root: Path) -> Path:
    files = {
        "problem.yaml": "name: {en: Sort Them, sv: Sortera}\ncredits:\n  authors: [Ada, Alan]\n"
        "license: cc0\nvalidation: custom\n",
        "problem_statement/problem.en.md": "Print the numbers in increasing order.\n",
        "output_validators/order_checker/validate.py": ORDER_VALIDATOR,
        "data/sample/01.in": "3\n3 1 2\n",
        "data/sample/01.ans": "1 2 3\n",
        "data/secret/02.in": "4\n5 5 -1 0\n",
        "data/secret/02.ans": "-1 0 5 5\n",
        "submissions/accepted/sorted.py": ORDER_SOLUTION,
    }
    return write(root / "sortthem", files)


def kattis_folder(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    circle_problem(root)
    order_problem(root)
    return root


def zip_folder(folder: Path, archive: Path, *, prefix: str = "") -> Path:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, prefix + str(path.relative_to(folder)))
    return archive
