"""Every registered language, from its one entry in execution/languages.py.

The registry feeds the model's choices, the pack format, the Kattis import, the editor's
grammars and the API; then each language runs hello world, a compile error (shown with its line
number) and a runtime error in its real runner image. Adding a language to the registry without
the sample programs below fails ``test_every_language_has_sample_programs``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from challenges.kattis import SUBMISSION_LANGUAGES
from challenges.models import ChallengeLanguage, Language
from challenges.packs import LANGUAGE_EXTENSIONS
from execution.images import dockerfile_for, recipe_digest
from execution.languages import LANGUAGES, get_language, language_for_extension
from execution.models import Verdict
from execution.sandbox import sandbox_run
from execution.verdicts import verdict_for

ALL = sorted(LANGUAGES)
DEMO_PACK = Path(settings.BASE_DIR) / "challenges" / "packs" / "demo"
LIMITS = {"time_limit_ms": 5000, "memory_limit_mb": 256, "output_limit_bytes": 64 * 1024}

# A compile (or syntax) error on line 2 of the source (line 3 for Java, 6 for Go), and the
# marker of that place in the compiler's output.
COMPILE_ERRORS = {
    "python": ("x = 1\nprint(x +)\n", 'File "main.py", line 2'),
    "javascript": ("let x = 1;\nlet = ;\n", "main.js:2"),
    "typescript": ("let x: number = 1;\nlet y: string = x;\n", "main.ts(2,"),
    "c": ("int main(void) {\n  return x;\n}\n", "main.c:2:"),
    "cpp": ("int main() {\n  return x;\n}\n", "main.cpp:2:"),
    "java": ("public class Main {\n  public static void main(String[] a) {\n    int x = y;\n  }\n}\n",
             "Main.java:3:"),
    "go": ('package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println(x)\n}\n', "main.go:6:"),
    "rust": ("fn main() {\n    println!(\"{}\", x);\n}\n", "main.rs:2:"),
    "ruby": ("def f(\n  puts 1 +\nend end\n", "main.rb:"),
}  # fmt: skip

# Reads n and divides by it; the input is 0, so each fails at run time, not at compile time.
RUNTIME_ERRORS = {
    "python": "n = int(input())\nprint(1 // n)\n",
    "javascript": "const n = BigInt(require('fs').readFileSync(0, 'utf8').trim());\nconsole.log(1n / n);\n",
    "typescript": "const n: number = Number(require('fs').readFileSync(0, 'utf8'));\n"
                  "if (n === 0) throw new RangeError('n must not be zero');\nconsole.log(1 / n);\n",
    "c": "#include <stdio.h>\nint main(void) { int n; scanf(\"%d\", &n); printf(\"%d\\n\", 100 / n); }\n",
    "cpp": "#include <iostream>\nint main() { int n; std::cin >> n; std::cout << 100 / n << '\\n'; }\n",
    "java": "import java.util.Scanner;\npublic class Main {\n  public static void main(String[] a) {\n"
            "    int n = new Scanner(System.in).nextInt();\n    System.out.println(1 / n);\n  }\n}\n",
    "go": 'package main\n\nimport "fmt"\n\nfunc main() {\n\tvar n int\n\tfmt.Scan(&n)\n'
          "\tfmt.Println(1 / n)\n}\n",
    "rust": "fn main() {\n    let mut s = String::new();\n    std::io::stdin().read_line(&mut s).unwrap();\n"
            "    let n: i32 = s.trim().parse().unwrap();\n    println!(\"{}\", 1 / n);\n}\n",
    "ruby": "n = gets.to_i\nputs 1 / n\n",
}  # fmt: skip
# What the verdict detail names (the exception, panic or signal), beyond "exit code N".
RUNTIME_DETAIL = {
    "python": "ZeroDivisionError",
    "javascript": "RangeError",
    "typescript": "RangeError",
    "c": "SIGFPE",
    "cpp": "SIGFPE",
    "java": "ArithmeticException",
    "go": "integer divide by zero",
    "rust": "attempt to divide by zero",
    "ruby": "ZeroDivisionError",
}


def test_every_language_has_sample_programs():
    for table in (COMPILE_ERRORS, RUNTIME_ERRORS, RUNTIME_DETAIL):
        assert sorted(table) == ALL
    assert all(lang.hello and lang.starter for lang in LANGUAGES.values())


def test_at_least_the_nine_languages_are_registered():
    expected = {"python", "javascript", "typescript", "c", "cpp", "java", "go", "rust", "ruby"}
    assert expected <= set(LANGUAGES)


@pytest.mark.parametrize("key", ALL)
def test_the_registry_feeds_model_packs_kattis_and_api(key, client, db):
    lang = get_language(key)
    assert Language(key).label == lang.label
    assert (key, lang.label) in ChallengeLanguage._meta.get_field("language").choices
    assert LANGUAGE_EXTENSIONS[key] == lang.extension
    assert language_for_extension(lang.extension) is lang
    assert SUBMISSION_LANGUAGES[f".{lang.extension}"] == key
    listed = {item["key"]: item for item in client.get("/api/languages/").json()}
    assert listed[key] == lang.as_dict()
    assert lang.source_file in lang.run_cmd or lang.artifacts or lang.compile_cmd


def test_extensions_are_unique_and_the_api_keeps_the_registry_order(client, db):
    extensions = [ext for lang in LANGUAGES.values() for ext in (lang.extension, *lang.aliases)]
    assert len(extensions) == len(set(extensions))
    assert [item["key"] for item in client.get("/api/languages/").json()] == list(LANGUAGES)


@pytest.mark.parametrize("key", ALL)
def test_the_editor_has_the_grammar_each_language_names(key):
    source = (Path(settings.BASE_DIR) / "frontend" / "editor" / "languages.js").read_text()
    grammars = set(re.findall(r"^  (\w+): \(\) =>", source, re.MULTILINE))
    assert get_language(key).editor in grammars


@pytest.mark.parametrize("key", ALL)
def test_each_language_has_an_image_recipe_whose_digest_follows_its_entry(key):
    lang = get_language(key)
    assert dockerfile_for(lang).is_file()
    assert lang.image == f"codepusher-runner-{key}:1"
    changed = type(lang)(**{**lang.__dict__, "packages": (*lang.packages, "less")})
    assert recipe_digest(changed) != recipe_digest(lang)


@pytest.mark.docker
@pytest.mark.timeout(300)
@pytest.mark.parametrize("key", ALL)
def test_hello_world(key, run_id):
    result = sandbox_run(language=key, code=get_language(key).hello, run_id=run_id, **LIMITS)
    assert not result.internal_error and not result.compile_failed, result.compile_output
    assert result.stdout == b"Hello, world!\n"
    assert verdict_for(result) == (Verdict.ACCEPTED, "")


@pytest.mark.docker
@pytest.mark.timeout(300)
@pytest.mark.parametrize("key", ALL)
def test_the_starter_code_compiles_and_runs(key, run_id):
    """A challenge without starter code (a Kattis import) gets the registry's: it must build."""
    result = sandbox_run(
        language=key, code=get_language(key).starter, stdin="1 2\n", run_id=run_id, **LIMITS
    )
    assert not result.internal_error and not result.compile_failed, result.compile_output
    assert verdict_for(result) == (Verdict.ACCEPTED, "")


@pytest.mark.docker
@pytest.mark.timeout(300)
@pytest.mark.parametrize("key", ALL)
def test_compile_error_names_its_line(key, run_id):
    code, place = COMPILE_ERRORS[key]
    result = sandbox_run(language=key, code=code, run_id=run_id, **LIMITS)
    assert result.compile_failed, (result.stdout, result.stderr)
    assert place in result.compile_output, result.compile_output
    verdict, detail = verdict_for(result)
    assert verdict == Verdict.COMPILATION_ERROR
    assert detail and detail != "compilation failed"
    if key not in {"python", "javascript"}:  # their detail is the exception's last line
        assert re.search(r"[:(]\d+[:,)]", detail), detail


@pytest.mark.docker
@pytest.mark.timeout(300)
@pytest.mark.parametrize("key", ALL)
def test_runtime_error_is_named(key, run_id):
    result = sandbox_run(
        language=key, code=RUNTIME_ERRORS[key], stdin="0\n", run_id=run_id, **LIMITS
    )
    assert not result.compile_failed, result.compile_output
    verdict, detail = verdict_for(result)
    assert verdict == Verdict.RUNTIME_ERROR, (verdict, detail, result.stderr_text)
    assert RUNTIME_DETAIL[key] in detail, (detail, result.stderr_text)


@pytest.mark.docker
@pytest.mark.timeout(300)
@pytest.mark.parametrize("key", [k for k in ALL if get_language(k).pids_limit])
def test_languages_with_many_threads_get_their_tasks_limit(key, run_id, settings):
    from execution.sandbox import Sandbox

    settings.RUNNER_PIDS_LIMIT = 64
    with Sandbox(language=key, code=get_language(key).hello, run_id=run_id) as box:
        assert box.pids_limit == get_language(key).pids_limit > 64
        box.compile()
        assert box.container.attrs["HostConfig"]["PidsLimit"] == box.pids_limit


def _demo_languages() -> list[str]:
    """The registered languages the demo pack has code in (tests/challenges/test_packs.py
    checks that every demo challenge has each of them)."""
    return sorted(k for k in ALL if list(DEMO_PACK.glob(f"*/*/solution/{k}.*")))


@pytest.mark.docker
@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("key", _demo_languages())
def test_demo_reference_solutions_are_accepted(key, live_celery_worker, settings):
    """Every demo challenge's reference solution in the language, pushed through a real worker."""
    from challenges.models import ChallengeLanguage
    from challenges.services import challenges_import
    from execution.services import run_create
    from sessions_app.services import session_create
    from tests.execution.test_launcher import wait_done
    from tests.factories import UserFactory

    settings.RUNNER_RUNS_PER_MINUTE = 10_000
    challenges_import(path=DEMO_PACK)
    owner = UserFactory()
    runs = {}
    for item in ChallengeLanguage.objects.filter(language=key).select_related("challenge"):
        session = session_create(challenge=item.challenge, owner=owner, language=key)
        run = run_create(session=session, user=owner, mode="push", code=item.solution)
        runs[run.pk] = item.challenge.slug
    verdicts = {slug: wait_done(pk) for pk, slug in runs.items()}
    failures = {s: (r.verdict, r.detail) for s, r in verdicts.items() if r.verdict != "ACCEPTED"}
    assert not failures
    assert len(verdicts) >= 19
