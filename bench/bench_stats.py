"""Benchmark: `GET /api/sessions/<id>/stats/` for a session of 50,000 stored ops.

Makes a throwaway PostgreSQL database, a session of six members, 50,000 op rows as a pair
typing session leaves them (mostly one-character inserts, some deletions and pastes, 50 ms to
a few seconds apart), 40 role changes and 200 runs, then times
  * the whole API request (authentication, permission, stats, JSON), and
  * the op-log summary alone, by SQL (PostgreSQL) and by the Python fallback (other databases).

Run from the repository root:  .venv/bin/python bench/bench_stats.py [n_ops] [repeats]
Prints figures only; it asserts nothing about speed.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

N_OPS = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
REPEATS = int(sys.argv[2]) if len(sys.argv) > 2 else 20
MEMBERS = 6


def seed(rng: random.Random) -> tuple[str, object]:
    from django.contrib.auth import get_user_model

    from challenges.models import Challenge, ChallengeLanguage, Repository
    from execution.models import Run
    from sessions_app.models import DocumentOp, RoleChange
    from sessions_app.services import session_create, session_join

    users = [
        get_user_model().objects.create_user(f"bench-{i}", password="x-very-long-pw")
        for i in range(MEMBERS)
    ]
    repo = Repository.objects.create(slug="bench", name="Bench", owner="bench")
    challenge = Challenge.objects.create(
        repository=repo, slug="bench", title="Bench", statement="x", author="b", published=True
    )
    ChallengeLanguage.objects.create(challenge=challenge, language="python", starter_code="")
    session = session_create(challenge=challenge, owner=users[0], language="python")
    for user in users[1:]:
        session_join(session=session, user=user)
    at = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    length, rows = 0, []
    for version in range(1, N_OPS + 1):
        at += dt.timedelta(milliseconds=rng.choice([50, 80, 120, 200, 400, 2500, 9000]))
        position = rng.randint(0, length)
        roll = rng.random()
        if roll < 0.8 or length < 10:
            components, length = [position, rng.choice("abcdefgh ()=:\n😀")], length + 1
        elif roll < 0.95:
            count = min(rng.randint(1, 5), length - position) or 1
            position = min(position, length - count)
            components, length = [position, {"d": count}], length - count
        else:
            paste = "x = compute(y)\n" * rng.randint(1, 4)
            components, length = [position, paste], length + len(paste)
        rows.append(
            DocumentOp(
                collection="code",
                doc_id=session.id,
                version=version,
                src="bench",
                seq=version,
                op={"op": [c for c in components if c != 0]},
                user=users[rng.randrange(MEMBERS)],
                created_at=at,
            )
        )
    # Keep the scripted times: the model stamps `created_at` on insert otherwise.
    created_at = DocumentOp._meta.get_field("created_at")
    created_at.auto_now_add = False
    try:
        DocumentOp.objects.bulk_create(rows, batch_size=5000)
    finally:
        created_at.auto_now_add = True
    start = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    RoleChange.objects.bulk_create(
        RoleChange(
            session=session,
            mode="driver",
            driver=users[i % MEMBERS],
            reason="rotation",
            created_at=start + dt.timedelta(minutes=10 * i),
        )
        for i in range(40)
    )
    Run.objects.bulk_create(
        Run(session=session, user=users[i % MEMBERS], mode=rng.choice(["run", "push"]),
            language="python", code="x")
        for i in range(200)
    )  # fmt: skip
    return session.id, users[1]


def timed(function, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        out.append((time.perf_counter() - started) * 1000)
    return out


def report(name: str, samples: list[float]) -> None:
    print(
        f"{name:<34} p50 {statistics.median(samples):7.1f} ms   "
        f"max {max(samples):7.1f} ms   ({len(samples)} runs)"
    )


def main() -> None:
    from tests.sessions_app.ot_live import postgres_database

    with postgres_database("cp_bench_stats") as url:
        os.environ.update(DJANGO_SETTINGS_MODULE="codepusher.settings", DATABASE_URL=url)
        import django

        django.setup()
        from rest_framework.test import APIClient

        from sessions_app.stats import ops_summary

        session_id, member = seed(random.Random(16))
        client = APIClient()
        client.force_authenticate(member)
        url_path = f"/api/sessions/{session_id}/stats/"
        assert client.get(url_path).status_code == 200
        assert ops_summary(session_id, use_sql=True) == ops_summary(session_id, use_sql=False)
        print(f"session of {N_OPS:,} ops, {MEMBERS} members, load {os.getloadavg()[0]:.1f}")
        report("GET stats (API, end to end)", timed(lambda: client.get(url_path), REPEATS))
        report(
            "op summary, SQL (PostgreSQL)",
            timed(lambda: ops_summary(session_id, use_sql=True), REPEATS),
        )
        report(
            "op summary, Python fallback",
            timed(lambda: ops_summary(session_id, use_sql=False), max(3, REPEATS // 4)),
        )
        from django.db import connections

        connections.close_all()


if __name__ == "__main__":
    main()
