"""Many small sessions on one machine: ours (1 and 2 daphne processes) beside ShareDB.

    .venv/bin/python bench/run_sessions_bench.py [--sessions 5 10 20 40] [--seconds 10]
        [--rate 5] [--variants 2 2+1] [--processes 1 2] [--sharedb memory postgresql]

Each of N sessions has its own document with 2 typists at `--rate` keys/s (variant ``2``), or
2 typists and a third member who only watches and sends cursor presence as the editor does
(variant ``2+1``). Ours runs on a fresh PostgreSQL database with the Redis channel layer, every
member a real session member with their own login, every op committed before its ack (checked
after the run: op rows = versions = what the clients saw, for every document). ShareDB runs
in memory and persisting to PostgreSQL (sharedb-postgres). The typing clients are
`bench/bench_ot.mjs` (the real sharedb client), the servers and the CPU accounting those of
`bench/run_ot_bench.py`. Per run: p50/p99 ack latency, server CPU ms per committed op,
convergence of every document; at the end, per server and variant, the largest N whose p99
stayed under 50 ms. The load average is printed beside every row: on a shared machine the
figures move with it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_DIR))

from bench.run_ot_bench import (  # noqa: E402
    cpu_per_commit,
    drive,
    ours_servers,
    sharedb_run,
    sharedb_stored_ops,
)
from tests.sessions_app.ot_live import django, postgres_database  # noqa: E402

P99_TARGET_MS = 50

_SEED_MANY = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from challenges.models import Challenge, ChallengeLanguage, Repository
from sessions_app.services import session_create, session_join

User = get_user_model()
sessions, members = {sessions}, {members}
repo = Repository.objects.create(slug="many", name="Many", owner="bench")
challenge = Challenge.objects.create(repository=repo, slug="many", title="Many",
    statement="x", author="bench", published=True)
ChallengeLanguage.objects.create(challenge=challenge, language="python", starter_code="")
docs, cookies = [], []
for s in range(sessions):
    users = []
    for m in range(members):
        user = User(username=f"s{{s}}-m{{m}}")
        user.set_unusable_password()
        user.save()
        users.append(user)
    session = session_create(challenge=challenge, owner=users[0], language="python")
    for user in users[1:]:
        session_join(session=session, user=user)
    docs.append(str(session.id))
    for user in users:
        client = Client()
        client.force_login(user)
        cookies.append("sessionid=" + client.cookies["sessionid"].value)
print(json.dumps({{"docs": docs, "cookies": cookies}}))
"""

_STORED = """
import json
from sessions_app.models import DocumentOp
from sessions_app.ot.storage import document_get
out = {{}}
for doc in {docs!r}:
    d = document_get(collection="code", doc_id=doc)
    out[doc] = [d.v, DocumentOp.objects.filter(collection="code", doc_id=doc).count()]
print(json.dumps(out))
"""


def seed_sessions(database_url: str, sessions: int, members: int) -> dict:
    """`sessions` sessions of `members` members each (owners included); their documents and one
    login cookie per member, session by session."""
    out = django(
        database_url, ["shell", "-c", _SEED_MANY.format(sessions=sessions, members=members)]
    )
    return json.loads(out.strip().splitlines()[-1])


def stored_versions(database_url: str, docs: list[str]) -> dict[str, list[int]]:
    """doc -> [stored version, stored op rows], read by a fresh process."""
    out = django(database_url, ["shell", "-c", _STORED.format(docs=docs)])
    return json.loads(out.strip().splitlines()[-1])


def _config(docs: list[str], typists: int, idle: int, seconds: float, rate: float) -> dict:
    return {
        "docs": docs, "per_doc": typists, "idle_per_doc": idle, "clients": typists * len(docs),
        "seconds": seconds, "rate": rate,
    }  # fmt: skip


def run_ours(sessions: int, typists: int, idle: int, args, logs: Path, processes: int) -> dict:
    label = "ours/postgresql" + (f" x{processes}" if processes > 1 else "")
    with postgres_database("cp_sessions_bench") as database_url:
        seeded = seed_sessions(database_url, sessions, typists + idle)
        tag = f"{sessions}x{typists}+{idle}"
        with ours_servers(database_url, processes, logs, tag) as (urls, pids):
            config = _config(seeded["docs"], typists, idle, args.seconds, args.rate)
            config.update(urls=urls, cookies=seeded["cookies"], label=label)
            result = drive(config, pids, args.seconds)
        if "error" not in result:
            stored = stored_versions(database_url, seeded["docs"])
            seen = result.get("final_versions", {})
            result["persisted"] = all(v == n == seen.get(d) for d, (v, n) in stored.items())
    return result


def run_sharedb(sessions: int, typists: int, idle: int, args, logs: Path, database: str) -> dict:
    docs = [f"bench-{n}" for n in range(sessions)]
    config = _config(docs, typists, idle, args.seconds, args.rate)
    if database == "memory":
        return sharedb_run(config, logs, database_url=None)
    with postgres_database("cp_sharedb_sessions") as database_url:
        result = sharedb_run(config, logs, database_url=database_url)
        if "error" not in result:
            versions = result.get("final_versions", {})
            result["persisted"] = sharedb_stored_ops(database_url, docs) == sum(versions.values())
    return result


def _variant(text: str) -> tuple[int, int]:
    typists, _, idle = text.partition("+")
    return int(typists), int(idle or 0)


def _row(r: dict) -> str:
    if "error" in r:
        return f"{r.get('label', '?'):<20} {r['variant']:>7} {r['sessions']:>8} failed: {r['error'][:160]}"
    return (
        f"{r['label']:<20} {r['variant']:>7} {r['sessions']:>8} {r['connections']:>5} "
        f"{r['commits_per_s']:>9} {r['p50_ms']:>7} {r['p99_ms']:>7} {cpu_per_commit(r):>13} "
        f"{r['errors']:>6} {str(r['converged']):>9} {str(r['persisted']):>9} {r['load']:>5}"
    )


def largest_under_target(rows: list[dict]) -> dict[tuple[str, str], int | None]:
    """(server, variant) -> the largest N whose run converged with p99 under the target."""
    best: dict[tuple[str, str], int | None] = {}
    for r in rows:
        key = (r.get("label", "?"), r["variant"])
        best.setdefault(key, None)
        ok = "error" not in r and r["converged"] and r["p99_ms"] < P99_TARGET_MS
        if ok and (best[key] is None or r["sessions"] > best[key]):
            best[key] = r["sessions"]
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[5, 10, 20, 40])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rate", type=float, default=5, help="keystrokes per second per typist")
    parser.add_argument("--variants", nargs="+", default=["2", "2+1"], help="typists[+idle]")
    parser.add_argument("--processes", type=int, nargs="*", default=[1, 2])
    parser.add_argument(
        "--sharedb", nargs="*", choices=["memory", "postgresql"], default=["memory", "postgresql"]
    )
    args = parser.parse_args()
    logs = Path(tempfile.mkdtemp(prefix="sessions-bench-"))
    print(f"load average at start: {os.getloadavg()}, CPUs: {os.cpu_count()}", flush=True)
    rows = []
    for variant in args.variants:
        typists, idle = _variant(variant)
        for sessions in args.sessions:
            runs = [(run_ours, n) for n in args.processes]
            runs += [(run_sharedb, db) for db in args.sharedb]
            for run, where in runs:
                result = run(sessions, typists, idle, args, logs, where)
                result.update(variant=variant, sessions=sessions)
                result["load"] = round(os.getloadavg()[0], 1)
                rows.append(result)
                print(
                    json.dumps(
                        {k: v for k, v in result.items() if k not in ("stderr", "final_versions")}
                    ),
                    flush=True,
                )
                time.sleep(1)
    header = (
        f"{'server':<20} {'variant':>7} {'sessions':>8} {'conns':>5} {'commits/s':>9} "
        f"{'p50 ms':>7} {'p99 ms':>7} {'cpu ms/commit':>13} {'errors':>6} {'converged':>9} "
        f"{'persisted':>9} "
        f"{'load':>5}"
    )
    print(f"\n{header}\n{'-' * len(header)}")
    for r in rows:
        print(_row(r))
    print(f"\nlargest N with p99 < {P99_TARGET_MS} ms (of those measured):")
    for (label, variant), n in largest_under_target(rows).items():
        print(f"  {label:<20} {variant:>4}: {n if n is not None else 'none'}")
    print(f"\nload average at end: {os.getloadavg()}; server logs: {logs}")


if __name__ == "__main__":
    main()
