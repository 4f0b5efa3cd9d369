"""Runner containers' lifecycle: pre-started ones serve one submission, the reaper removes only
old ones, and inside one container each test starts clean and reports its own CPU time and
peak memory. Hidden-test secrecy over the API and terminal is in test_secrecy.py."""

from __future__ import annotations

import contextlib
import os
import textwrap
import time

import pytest

from execution.sandbox import Sandbox

pytestmark = [pytest.mark.docker, pytest.mark.timeout(300)]


def test_reaper_removes_only_old_runner_containers(runner_ready):
    from execution.containers import LABEL_CREATED, LABEL_RUN_ID, LABEL_RUNNER
    from execution.images import docker_client
    from execution.reaper import runner_containers, runners_reap

    client = docker_client()
    rid = f"pytest-reaper-{os.getpid()}"
    made = []
    try:
        for age in (3600, 0):
            made.append(
                client.containers.run(
                    "codepusher-runner-python:1",
                    ["sleep", "infinity"],
                    detach=True,
                    network_mode="none",
                    labels={
                        LABEL_RUNNER: "1",
                        LABEL_RUN_ID: rid,
                        LABEL_CREATED: str(int(time.time()) - age),
                    },
                )
            )
        assert runners_reap(600) >= 1
        left = {c.id for c in runner_containers(client) if c.labels.get(LABEL_RUN_ID) == rid}
        assert left == {made[1].id}
    finally:
        for container in made:
            with contextlib.suppress(Exception):
                container.remove(force=True)
        client.close()


def test_warm_pool_containers_are_never_reused(run_id):
    """Pre-started containers serve exactly one submission and are removed afterwards."""
    import docker

    from execution.containers import POOL
    from execution.images import docker_client

    used = []
    for _ in range(3):
        with Sandbox(language="python", code="print(1)\n", run_id=run_id) as box:
            assert box.run(stdin="").stdout == b"1\n"
            used.append(box.container.id)
        for _ in range(200):  # let the background refill finish so the next one can use it
            if not POOL._refilling:
                break
            time.sleep(0.05)
    assert len(set(used)) == 3
    client = docker_client()
    for container_id in used:
        with pytest.raises(docker.errors.NotFound):
            client.containers.get(container_id)
    client.close()


CARRY_PY = """
    import ctypes, os, sys
    d = sys.stdin.read().strip()
    libc = ctypes.CDLL(None)
    seg = libc.shmget(4242, 4096, 0o600)  # a System V segment an earlier test made, if any
    print("files", sorted(os.listdir(".")), sorted(os.listdir("/tmp")), os.listdir("/dev/shm"))
    print("ipc", seg >= 0, "mtime", int(os.stat("main.py").st_mtime), oct(os.stat("main.py").st_mode))
    for path in ("/tmp/carry", "carry", "/dev/shm/carry", ".hidden"):
        open(path, "w").write(d)
    os.makedirs("/tmp/locked/deeper"); os.chmod("/tmp/locked", 0)
    libc.shmget(4242, 4096, 0o1600)  # IPC_CREAT
    if d == "edit":
        open("main.py", "a").write("print('EDITED')\\n")
    if d == "touch":
        os.utime("main.py", (12345, 12345)); os.chmod("main.py", 0o600)
"""


def test_each_test_starts_clean_in_the_same_container(run_id):
    """Files, IPC objects, a changed source, its mode or time: nothing crosses to the next test."""
    with Sandbox(language="python", code=textwrap.dedent(CARRY_PY), run_id=run_id) as box:
        assert not box.compile().compile_failed
        outputs = [box.run(stdin=s).stdout_text for s in ("one", "touch", "two", "edit", "three")]
        assert box.containers_used == 3, "only a changed source (content, time) needs a new one"
    first = outputs[0]
    assert first.startswith("files ['main.py'] [] []\nipc False mtime 0 0o100644")
    assert outputs == [first] * 5, outputs


def test_a_cpp_build_is_restored_or_replaced(run_id):
    code = """
        #include <cstdio>
        #include <fstream>
        #include <iostream>
        #include <string>
        int main() {
            std::string d; std::cin >> d;
            std::ifstream old("/tmp/carry"); std::string seen; old >> seen;
            std::cout << "seen[" << seen << "]" << std::endl;
            std::ofstream("/tmp/carry") << d;
            if (d == "clobber") { std::ofstream("main", std::ios::trunc) << "#!/bin/sh\\necho owned\\n"; }
        }
    """
    with Sandbox(language="cpp", code=textwrap.dedent(code), run_id=run_id) as box:
        assert not box.compile().compile_failed
        outputs = [box.run(stdin=s).stdout_text for s in ("a", "clobber", "b")]
    assert outputs == ["seen[]\n"] * 3


def test_each_test_reports_its_cpu_time_and_peak_memory(run_id):
    code = """
        import sys
        n = int(sys.stdin.read())
        block = bytearray(n * 1024 * 1024)
        total = sum(range(n * 300_000))
        print(len(block) // 1024 // 1024)
    """
    with Sandbox(language="python", code=textwrap.dedent(code), run_id=run_id) as box:
        assert not box.compile().compile_failed
        big = box.run(stdin="60", time_limit_ms=10_000)
        small = box.run(stdin="1", time_limit_ms=10_000)
    assert big.stdout == b"60\n" and small.stdout == b"1\n"
    assert big.memory_kb >= 60 * 1024 > small.memory_kb, (big.memory_kb, small.memory_kb)
    assert big.cpu_ms > small.cpu_ms >= 0
