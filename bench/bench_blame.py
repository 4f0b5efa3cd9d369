"""Benchmark per-test blame: two pushes 10,000 ops apart, blamed as the launcher does it.

Makes a throwaway PostgreSQL database, stores a session whose code two members edited with
10,000 small ops (typing and deleting at random places in a ~3,000-character program), then
times `execution.blame` for the second push against the first: reading the ops from the log,
replaying them with per-character attribution, and grouping the changed lines.

Usage (from the repository root, PostgreSQL running):
    .venv/bin/python bench/bench_blame.py [--ops 10000] [--repeat 10]
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def random_ops(base: str, count: int, rng: random.Random) -> list[tuple[str, list]]:
    """(member, text-unicode op) pairs: mostly typing, some deleting, all over the program."""
    length = len(base)
    ops = []
    for _ in range(count):
        pos = rng.randrange(0, length + 1)
        user = rng.choice(("ada", "grace"))
        if rng.random() < 0.5 or length < 10:
            text = rng.choice(("x", "y = 1", "\n", "    ", "print(i)\n"))
            ops.append((user, ([pos] if pos else []) + [text]))
            length += len(text)
        else:
            size = rng.randint(1, 6)
            pos = min(pos, length - size)
            ops.append((user, ([pos] if pos else []) + [{"d": size}]))
            length -= size
    return ops


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ops", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    name = f"cp_bench_blame_{secrets.token_hex(3)}"
    admin(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codepusher.settings")
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        run(args.ops, args.repeat)
    finally:
        from django.db import connections

        connections.close_all()
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(count: int, repeat: int) -> None:
    from django.contrib.auth import get_user_model

    from challenges.models import Challenge, Repository
    from execution.blame import _blame_between
    from execution.models import Run
    from sessions_app.models import CodingSession, DocumentOp

    rng = random.Random(7)
    users = {n: get_user_model().objects.create(username=n) for n in ("ada", "grace")}
    repo = Repository.objects.create(slug="bench", name="Bench")
    challenge = Challenge.objects.create(repository=repo, slug="bench", title="Bench")
    session = CodingSession.objects.create(
        challenge=challenge, owner=users["ada"], language="python"
    )
    base = "".join(f"def f{i}(x):\n    return x + {i}\n\n" for i in range(110))
    ops = random_ops(base, count, rng)
    start = 1000
    DocumentOp.objects.bulk_create(
        DocumentOp(collection="code", doc_id=session.id, version=start + i, src="bench", seq=i,
                   op={"op": op}, user=users[user])
        for i, (user, op) in enumerate(ops)
    )  # fmt: skip
    from execution.blame import code_replay

    final, _ = code_replay(base, [(0, u, op) for u, op in ops])
    first = Run.objects.create(session=session, user=users["ada"], mode="push", language="python",
                               code=base, version=start)  # fmt: skip
    second = Run.objects.create(session=session, user=users["ada"], mode="push",
                                language="python", code=final, version=start + count)  # fmt: skip
    timings = []
    for _ in range(repeat):
        began = time.perf_counter()
        ranges, note = _blame_between(first, second)
        timings.append((time.perf_counter() - began) * 1000)
    assert not note and ranges, note
    from execution.blame import lines_blame
    from sessions_app.selectors import session_code_ops

    began = time.perf_counter()
    read = session_code_ops(session_id=session.id, start=start, end=start + count)
    read_ms = (time.perf_counter() - began) * 1000
    began = time.perf_counter()
    lines_blame(*code_replay(base, read))
    replay_ms = (time.perf_counter() - began) * 1000
    print(f"of which: reading the ops {read_ms:.1f} ms, replay + grouping {replay_ms:.1f} ms")
    print(f"{count} ops between the two runs; code {len(base)} -> {len(final)} characters; "
          f"{len(ranges)} blamed line ranges")  # fmt: skip
    print(f"blame (read ops + replay + group), {repeat} times: p50 {statistics.median(timings):.1f}"
          f" ms, max {max(timings):.1f} ms, min {min(timings):.1f} ms")  # fmt: skip
    print(f"host load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
