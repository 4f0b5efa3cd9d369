"""Language registry for the runner: one entry per language, nothing else knows per-language facts.

Adding a language = one ``Language`` entry in ``LANGUAGES`` plus an image recipe (the Debian
packages listed here are what ``build_runner_images`` installs with debootstrap; the optional
``execution/runner_images/<key>.Dockerfile`` is used on machines that can pull from a registry).

Commands are argv lists run inside the container, in the workdir ``/sandbox`` (a tmpfs), as the
non-root ``runner`` user. ``compile_cmd`` runs once per submission; for interpreted languages it is
a syntax check so that a syntax error is one Compilation Error instead of a Runtime Error on every
test. ``artifacts`` are the files the compile step produces that ``run_cmd`` needs; the sandbox
copies them into a fresh container when it has to replace one mid-submission.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RUNNER_UID = 10000
RUNNER_USER = "runner"
# The container's keep-alive process runs as a second unprivileged user, so the cleanup step
# ``kill -9 -1`` (as runner) can end every leftover user process without ending the container.
KEEPER_UID = 10001
KEEPER_USER = "keeper"
WORKDIR = "/sandbox"
IMAGE_VERSION = "1"


@dataclass(frozen=True)
class Language:
    """Everything the image builder, the sandbox, the packs, the editor and the API need to know
    about one language."""

    key: str
    label: str
    source_file: str
    run_cmd: tuple[str, ...]
    packages: tuple[str, ...]
    # Pack file extension (``solution/<key>.<extension>``) and the editor grammar's name.
    extension: str
    editor: str
    compile_cmd: tuple[str, ...] | None = None
    # Other file extensions the language is known by (Kattis submissions: ``.cc`` is C++).
    aliases: tuple[str, ...] = ()
    artifacts: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    # The compile step gets more memory than a test (g++ on template-heavy code needs it).
    compile_memory_mb: int = 256
    compile_time_limit_ms: int = 10_000
    # Each test's time limit is the challenge's times this: a challenge's limits are set for
    # compiled languages and Python; Ruby runs about twice as slow, the JVM needs time to start.
    time_factor: float = 1.0
    # Tasks (threads count) a program may have at least: the JVM and Go start a dozen threads
    # before main; the site's RUNNER_PIDS_LIMIT applies when it is larger.
    pids_limit: int = 0
    # Interpreters that print a traceback: the verdict detail is taken from its last line.
    traceback_style: str = ""
    # Extra files baked into the image ({absolute path: text}), part of the recipe digest.
    image_files: dict[str, str] = field(default_factory=dict)
    # How an interactive run starts the program, when ``run_cmd`` would hold its output back
    # (the sandbox adds ``stdbuf -oL`` for C stdio; Ruby buffers on its own).
    interactive_cmd: tuple[str, ...] | None = None
    # A trivial program printing "Hello, world!", used by the image smoke test and the docs.
    hello: str = ""
    # Starter code for a challenge that brings none (a Kattis problem): read all input.
    starter: str = ""

    @property
    def image(self) -> str:
        """Image tag, e.g. ``codepusher-runner-python:1``."""
        return f"codepusher-runner-{self.key}:{IMAGE_VERSION}"

    def as_dict(self) -> dict[str, str]:
        """What the API and the pages publish about the language."""
        return {
            "key": self.key,
            "label": self.label,
            "extension": self.extension,
            "editor": self.editor,
            "source_file": self.source_file,
        }


# Lets tsc type-check programs that use Node's globals without @types/node (not in Debian).
NODE_GLOBALS_DTS = "/usr/local/lib/codepusher/node-globals.d.ts"
_NODE_GLOBALS = """\
declare var require: any;
declare var module: any;
declare var exports: any;
declare var process: any;
declare var console: any;
declare var Buffer: any;
declare var __dirname: string;
declare function setTimeout(handler: (...args: any[]) => void, ms?: number, ...args: any[]): any;
declare function clearTimeout(id: any): void;
declare function setInterval(handler: (...args: any[]) => void, ms?: number, ...args: any[]): any;
declare function clearInterval(id: any): void;
declare module "*";
"""
# The JVM sized for a small container: one GC thread, the heap a share of the memory limit,
# deep recursion allowed, no /tmp/hsperfdata files.
_JVM_FLAGS = (
    "-XX:+UseSerialGC",
    "-XX:MaxRAMPercentage=70",
    "-XX:-UsePerfData",
    "-Xss64m",
)
_GO_ENV = "GOCACHE=/tmp/go-cache GOPATH=/tmp/go GO111MODULE=off CGO_ENABLED=0 GOFLAGS=-p=2"


LANGUAGES: dict[str, Language] = {
    lang.key: lang
    for lang in (
        Language(
            key="python",
            label="Python 3",
            source_file="main.py",
            extension="py",
            editor="python",
            # -u: unbuffered so output streams live; -I: ignore PYTHON* env and user site.
            compile_cmd=(
                "python3",
                "-I",
                "-c",
                "import sys, traceback\n"
                "try: compile(open(sys.argv[1], 'rb').read(), sys.argv[1], 'exec')\n"
                "except (SyntaxError, ValueError) as e:\n"
                "    sys.stderr.write(''.join(traceback.format_exception_only(e))); sys.exit(1)",
                "main.py",
            ),
            run_cmd=("python3", "-I", "-u", "main.py"),
            packages=("python3",),
            env={"PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"},
            traceback_style="python",
            starter="import sys\n\ndata = sys.stdin.read().split()\n# TODO: solve it and print the answer\n",
            hello='print("Hello, world!")\n',
        ),
        Language(
            key="javascript",
            label="JavaScript (Node)",
            source_file="main.js",
            extension="js",
            editor="javascript",
            compile_cmd=("node", "--check", "main.js"),
            run_cmd=("node", "main.js"),
            packages=("nodejs",),
            traceback_style="node",
            starter=(
                "const data = require('fs').readFileSync(0, 'utf8').split(/\\s+/).filter(Boolean);\n"
                "// TODO: solve it and print the answer\n"
            ),
            hello='console.log("Hello, world!");\n',
        ),
        Language(
            key="typescript",
            label="TypeScript (tsc + Node)",
            source_file="main.ts",
            extension="ts",
            editor="typescript",
            compile_cmd=(
                "tsc",
                "--pretty",
                "false",
                "--target",
                "es2020",
                "--module",
                "commonjs",
                "--lib",
                "es2020",
                "--skipLibCheck",
                "main.ts",
                NODE_GLOBALS_DTS,
            ),  # fmt: skip
            run_cmd=("node", "main.js"),
            artifacts=("main.js",),
            packages=("nodejs", "node-typescript"),
            compile_memory_mb=512,
            compile_time_limit_ms=20_000,
            traceback_style="node",
            image_files={NODE_GLOBALS_DTS: _NODE_GLOBALS},
            starter=(
                "const data: string[] = require('fs').readFileSync(0, 'utf8').split(/\\s+/).filter(Boolean);\n"
                "// TODO: solve it and print the answer\n"
            ),
            hello='const greeting: string = "Hello, world!";\nconsole.log(greeting);\n',
        ),
        Language(
            key="c",
            label="C (gcc)",
            source_file="main.c",
            extension="c",
            editor="c",
            compile_cmd=("gcc", "-std=gnu17", "-O2", "-pipe", "-o", "main", "main.c", "-lm"),
            run_cmd=("./main",),
            artifacts=("main",),
            packages=("gcc", "libc6-dev"),
            compile_memory_mb=512,
            compile_time_limit_ms=20_000,
            starter=(
                "#include <stdio.h>\n\nint main(void) {\n"
                "    // TODO: read the input, solve it and print the answer\n    return 0;\n}\n"
            ),
            hello='#include <stdio.h>\nint main(void) { puts("Hello, world!"); return 0; }\n',
        ),
        Language(
            key="cpp",
            label="C++ (g++)",
            source_file="main.cpp",
            extension="cpp",
            editor="cpp",
            aliases=("cc", "cxx", "c++"),
            compile_cmd=("g++", "-std=gnu++17", "-O2", "-pipe", "-o", "main", "main.cpp"),
            run_cmd=("./main",),
            artifacts=("main",),
            packages=("g++", "libc6-dev"),
            compile_memory_mb=768,
            compile_time_limit_ms=20_000,
            starter=(
                "#include <bits/stdc++.h>\nusing namespace std;\n\nint main() {\n"
                "    // TODO: read the input, solve it and print the answer\n    return 0;\n}\n"
            ),
            hello='#include <iostream>\nint main() { std::cout << "Hello, world!\\n"; }\n',
        ),
        Language(
            key="java",
            label="Java 17 (OpenJDK)",
            source_file="Main.java",
            extension="java",
            editor="java",
            # One jar holds every class (nested ones too): the sandbox keeps named artifacts.
            compile_cmd=(
                "sh",
                "-c",
                "javac -J-XX:+UseSerialGC -J-XX:-UsePerfData -J-XX:TieredStopAtLevel=1 "
                "-encoding UTF-8 -d classes Main.java "
                "&& jar -J-XX:+UseSerialGC -J-XX:-UsePerfData -J-XX:TieredStopAtLevel=1 "
                "--create --file main.jar -C classes . && rm -rf classes",
            ),  # fmt: skip
            run_cmd=("java", *_JVM_FLAGS, "-cp", "main.jar", "Main"),
            time_factor=1.5,
            artifacts=("main.jar",),
            packages=("openjdk-17-jdk-headless",),
            compile_memory_mb=1024,
            compile_time_limit_ms=30_000,
            pids_limit=128,
            traceback_style="java",
            starter=(
                "import java.util.*;\n\npublic class Main {\n    public static void main(String[] args) {\n"
                "        Scanner in = new Scanner(System.in);\n"
                "        // TODO: read the input, solve it and print the answer\n    }\n}\n"
            ),
            hello=(
                "public class Main {\n    public static void main(String[] args) {\n"
                '        System.out.println("Hello, world!");\n    }\n}\n'
            ),
        ),
        Language(
            key="go",
            label="Go 1.19",
            source_file="main.go",
            extension="go",
            editor="go",
            compile_cmd=("sh", "-c", f"env {_GO_ENV} go build -o main main.go"),
            run_cmd=("./main",),
            artifacts=("main",),
            packages=("golang-go",),
            compile_memory_mb=1024,
            compile_time_limit_ms=30_000,
            pids_limit=128,
            traceback_style="go",
            starter=(
                'package main\n\nimport (\n\t"bufio"\n\t"os"\n)\n\nfunc main() {\n'
                "\tin := bufio.NewReader(os.Stdin)\n\t_ = in\n"
                "\t// TODO: read the input, solve it and print the answer\n}\n"
            ),
            hello='package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("Hello, world!")\n}\n',
        ),
        Language(
            key="rust",
            label="Rust 1.63 (rustc)",
            source_file="main.rs",
            extension="rs",
            editor="rust",
            compile_cmd=(
                "rustc",
                "--edition",
                "2021",
                "-O",
                "-C",
                "codegen-units=1",
                "-o",
                "main",
                "main.rs",
            ),  # fmt: skip
            run_cmd=("./main",),
            artifacts=("main",),
            packages=("rustc",),
            compile_memory_mb=1024,
            compile_time_limit_ms=30_000,
            pids_limit=128,
            traceback_style="rust",
            starter=(
                "use std::io::Read;\n\nfn main() {\n    let mut input = String::new();\n"
                "    std::io::stdin().read_to_string(&mut input).unwrap();\n"
                "    // TODO: solve it and print the answer\n}\n"
            ),
            hello='fn main() {\n    println!("Hello, world!");\n}\n',
        ),
        Language(
            key="ruby",
            label="Ruby 3.1",
            source_file="main.rb",
            extension="rb",
            editor="ruby",
            compile_cmd=("ruby", "-c", "main.rb"),
            run_cmd=("ruby", "main.rb"),
            time_factor=2.0,
            interactive_cmd=(
                "ruby",
                "-e",
                "$stdout.sync = $stderr.sync = true",
                "-e",
                "load './main.rb'",
            ),
            packages=("ruby",),
            traceback_style="ruby",
            starter="data = STDIN.read.split\n# TODO: solve it and print the answer\n",
            hello='puts "Hello, world!"\n',
        ),
    )
}


def language_choices() -> list[tuple[str, str]]:
    """(key, label) of every language, for model and form choices (a callable, so adding a
    language needs no migration)."""
    return [(lang.key, lang.label) for lang in LANGUAGES.values()]


def language_for_extension(extension: str) -> Language | None:
    """The language whose pack files end in ``.extension``, if any."""
    return next((lang for lang in LANGUAGES.values() if lang.extension == extension), None)


def get_language(key: str) -> Language:
    """The registry entry for ``key``; raises KeyError with the known keys for a clear message."""
    try:
        return LANGUAGES[key]
    except KeyError:
        raise KeyError(f"unknown language {key!r}; known: {', '.join(sorted(LANGUAGES))}") from None
