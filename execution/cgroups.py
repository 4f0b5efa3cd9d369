"""Per-test CPU time and peak memory of a runner container, read from its cgroup on the host.

The worker runs beside the Docker engine, so the container's cgroup files are under
``/sys/fs/cgroup``. cgroup v1 (this deployment's engine): ``cpuacct.usage`` (ns, cumulative)
and ``memory.max_usage_in_bytes`` (peak, reset by writing 0). cgroup v2: ``cpu.stat``
``usage_usec`` and ``memory.peak`` (not resettable on older kernels, so it is only used when the
test is the container's first step). When the files are not reachable (a remote engine), the
figures are ``None``: the verdict never depends on them.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


class CgroupMeter:
    """Measures one step of one container: call ``begin()`` before it and ``end()`` after."""

    def __init__(self, container_id: str, parent: str = "docker") -> None:
        parent = parent.strip("/") or "docker"
        self.v1_cpu = CGROUP_ROOT / "cpuacct" / parent / container_id / "cpuacct.usage"
        self.v1_mem = CGROUP_ROOT / "memory" / parent / container_id / "memory.max_usage_in_bytes"
        self.v2_dir = CGROUP_ROOT / parent / container_id
        self.v1 = self.v1_cpu.exists()
        self._cpu_start: int | None = None

    def _cpu_ns(self) -> int | None:
        if self.v1:
            return _read_int(self.v1_cpu)
        with contextlib.suppress(OSError):
            for line in (self.v2_dir / "cpu.stat").read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "usage_usec":
                    return int(value) * 1000
        return None

    def begin(self) -> None:
        """Reset the memory peak and remember the CPU counter."""
        if self.v1:
            with contextlib.suppress(OSError):
                self.v1_mem.write_text("0")
        self._cpu_start = self._cpu_ns()

    def end(self) -> tuple[int | None, int | None]:
        """(cpu_ms, memory_kb) used since ``begin()``; None where it cannot be known."""
        cpu_now = self._cpu_ns()
        cpu_ms = None
        if cpu_now is not None and self._cpu_start is not None:
            cpu_ms = max(0, (cpu_now - self._cpu_start) // 1_000_000)
        peak = _read_int(self.v1_mem) if self.v1 else None
        return cpu_ms, (peak // 1024 if peak is not None else None)
