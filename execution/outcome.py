"""What the sandbox observed for one step, and the shell wrappers each step runs in."""

from __future__ import annotations

import hashlib
import signal as signal_module
from dataclasses import dataclass

# The wrapper every test runs in: $1 = CPU seconds, the rest is the command. It first kills any
# runner process a previous step left (belt and braces), and everything the program left after.
WRAPPER = (
    'kill -9 -1 2>/dev/null; ulimit -S -t "$1"; ulimit -H -t $(($1 + 1)); shift; '
    '"$@"; rc=$?; kill -9 -1 2>/dev/null; exit $rc'
)
# Upload variant: unpack the tar on stdin into the workdir first, then run the (optional) command.
UPLOAD_WRAPPER = (
    'ulimit -S -t "$1"; ulimit -H -t $(($1 + 1)); shift; tar -x -f - || exit 125; '
    '[ "$#" -eq 0 ] && exit 0; "$@"; rc=$?; kill -9 -1 2>/dev/null; exit $rc'
)
# The wrapper of every test after the first in a container: $1 = CPU seconds, $2 = the pristine
# files' names, $3 = their expected `stat -c %n:%a:%Y` lines, $4 = their `sha256sum` lines, the
# rest is the command. Before the program starts it ends every runner process, removes every
# System V IPC object, every file in /tmp, /dev/shm, /dev/mqueue and every file in the workdir
# but the pristine ones, and checks those (content, mode, time): a test finds nothing an
# earlier test left. When anything is off it says CLEAN_FAILED on stderr and exits 124 without
# running the program, and the sandbox runs the test in a fresh container instead. Usually four
# small processes (ipcrm, find, stat, sha256sum) and no extra exec.
CLEAN_FAILED = "codepusher: clean-up failed"
CLEAN_WRAPPER = (
    "kill -9 -1 2>/dev/null; ipcrm -a 2>/dev/null; ok=1; "
    "find /tmp /dev/shm /dev/mqueue -mindepth 1 -delete 2>/dev/null || { "
    "chmod -R u+rwX /tmp /dev/shm /dev/mqueue 2>/dev/null; "
    "find /tmp /dev/shm /dev/mqueue -mindepth 1 -delete 2>/dev/null; } || ok=0; "
    'for f in .[!.]* ..?* *; do case " $2 " in *" $f "*) ;; '
    '*) if [ -L "$f" ]; then rm -f -- "$f" || ok=0; elif [ -e "$f" ]; then '
    'rm -rf -- "$f" 2>/dev/null || { chmod -R u+rwX -- "$f"; rm -rf -- "$f"; } || ok=0; fi;; '
    "esac; done; "
    '[ "$ok" = 1 ] && [ "$(stat -c %n:%a:%Y $2)" = "$3" ] '
    '&& printf "%s" "$4" | sha256sum -c --status - '
    f'|| {{ echo "{CLEAN_FAILED}" >&2; exit 124; }}; '
    'ulimit -S -t "$1"; ulimit -H -t $(($1 + 1)); shift 4; '
    '"$@"; rc=$?; kill -9 -1 2>/dev/null; exit $rc'
)


def clean_args(files: dict[str, tuple[bytes, int]]) -> list[str]:
    """CLEAN_WRAPPER's $2-$4 for the pristine `{name: (content, mode)}` (uploaded with time 0)."""
    names = " ".join(files)
    stats = "\n".join(f"{name}:{mode:o}:0" for name, (_, mode) in files.items())
    sums = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, (data, _) in files.items()
    )
    return [names, stats, sums]


@dataclass
class SandboxResult:
    """What happened to one program run (or to the compile step)."""

    exit_code: int | None = None
    signal: int | None = None
    oom_killed: bool = False
    timed_out: bool = False
    output_exceeded: bool = False
    stdout: bytes = b""
    stderr: bytes = b""
    wall_time_ms: int = 0
    compile_failed: bool = False
    compile_output: str = ""
    internal_error: str = ""
    # CPU time and peak memory of the step from the container's cgroup; None when unknown.
    cpu_ms: int | None = None
    memory_kb: int | None = None

    @property
    def stdout_text(self) -> str:
        return self.stdout.decode("utf-8", errors="replace")

    @property
    def stderr_text(self) -> str:
        return self.stderr.decode("utf-8", errors="replace")

    @property
    def signal_name(self) -> str:
        """``SIGSEGV`` etc., or "" when the program was not killed by a signal."""
        if not self.signal:
            return ""
        try:
            return signal_module.Signals(self.signal).name
        except ValueError:
            return f"signal {self.signal}"
