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
    """Everything the image builder and the sandbox need to know about one language."""

    key: str
    label: str
    source_file: str
    run_cmd: tuple[str, ...]
    packages: tuple[str, ...]
    compile_cmd: tuple[str, ...] | None = None
    artifacts: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    # The compile step gets more memory than a test (g++ on template-heavy code needs it).
    compile_memory_mb: int = 256
    compile_time_limit_ms: int = 10_000
    # Interpreters that print a traceback: the verdict detail is taken from its last line.
    traceback_style: str = ""

    @property
    def image(self) -> str:
        """Image tag, e.g. ``codepusher-runner-python:1``."""
        return f"codepusher-runner-{self.key}:{IMAGE_VERSION}"


LANGUAGES: dict[str, Language] = {
    lang.key: lang
    for lang in (
        Language(
            key="python",
            label="Python 3",
            source_file="main.py",
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
        ),
        Language(
            key="javascript",
            label="JavaScript (Node)",
            source_file="main.js",
            compile_cmd=("node", "--check", "main.js"),
            run_cmd=("node", "main.js"),
            packages=("nodejs",),
            traceback_style="node",
        ),
        Language(
            key="cpp",
            label="C++ (g++)",
            source_file="main.cpp",
            compile_cmd=("g++", "-std=gnu++17", "-O2", "-pipe", "-o", "main", "main.cpp"),
            run_cmd=("./main",),
            artifacts=("main",),
            packages=("g++", "libc6-dev"),
            compile_memory_mb=768,
            compile_time_limit_ms=20_000,
        ),
    )
}


def get_language(key: str) -> Language:
    """The registry entry for ``key``; raises KeyError with the known keys for a clear message."""
    try:
        return LANGUAGES[key]
    except KeyError:
        raise KeyError(f"unknown language {key!r}; known: {', '.join(sorted(LANGUAGES))}") from None
