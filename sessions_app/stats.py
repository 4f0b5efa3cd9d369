"""Who contributed what to a session: characters typed and deleted, ops, typing time, time as
driver, runs and pushes. Computed from the stored ops, role history and runs on each request.

On PostgreSQL the op log is summarised by one SQL statement (the op bodies never leave the
database); elsewhere the same numbers are computed in Python from the rows. A text-unicode op
is a list of components: a number skips, a string inserts, `{"d": n | "text"}` deletes;
lengths count Unicode code points.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from execution.models import Run, RunMode, Verdict
from sessions_app.models import DocumentOp, Membership, RoleChange, SessionMode
from sessions_app.ot.types import CODE_COLLECTION

# A pause longer than this between two ops of a member ends their typing stretch.
TYPING_IDLE_SECONDS = 5.0


@dataclass
class MemberStats:
    username: str
    color: str
    inserted: int = 0
    deleted: int = 0
    ops: int = 0
    typing_seconds: float = 0.0
    driver_seconds: float = 0.0
    runs: int = 0
    pushes: int = 0
    tests_fixed: int = 0
    tests_broken: int = 0


_OPS_SQL = f"""
WITH ops AS (
    SELECT user_id, op,
           extract(epoch FROM created_at - lag(created_at) OVER (
               PARTITION BY user_id ORDER BY version)) AS gap
      FROM {DocumentOp._meta.db_table}
     WHERE collection = %s AND doc_id = %s AND jsonb_typeof(op -> 'op') = 'array'
)
SELECT user_id, count(*),
       coalesce(sum(parts.inserted), 0), coalesce(sum(parts.deleted), 0),
       coalesce(sum(gap) FILTER (WHERE gap <= %s), 0)
  FROM ops, LATERAL (
    SELECT sum(CASE WHEN jsonb_typeof(c) = 'string' THEN char_length(c #>> '{{}}') ELSE 0 END)
               AS inserted,
           sum(CASE WHEN jsonb_typeof(c -> 'd') = 'number' THEN (c ->> 'd')::bigint
                    WHEN jsonb_typeof(c -> 'd') = 'string' THEN char_length(c ->> 'd')
                    ELSE 0 END) AS deleted
      FROM jsonb_array_elements(ops.op -> 'op') AS c
  ) AS parts
 GROUP BY user_id
"""  # noqa: S608 - the table name comes from our own model


def op_char_counts(components: list[Any]) -> tuple[int, int]:
    """(inserted, deleted) code points of one text-unicode op."""
    inserted = deleted = 0
    for component in components:
        if isinstance(component, str):
            inserted += len(component)
        elif isinstance(component, dict):
            removed = component.get("d")
            deleted += removed if isinstance(removed, int) else len(removed or "")
    return inserted, deleted


def _ops_summary_sql(session_id: str) -> dict[int | None, tuple[int, int, int, float]]:
    with connection.cursor() as cursor:
        cursor.execute(_OPS_SQL, [CODE_COLLECTION, session_id, TYPING_IDLE_SECONDS])
        return {
            user_id: (ops, int(inserted), int(deleted), round(float(typing), 3))
            for user_id, ops, inserted, deleted, typing in cursor.fetchall()
        }


def _ops_summary_python(session_id: str) -> dict[int | None, tuple[int, int, int, float]]:
    totals: dict[int | None, list[Any]] = {}
    last_at: dict[int | None, dt.datetime] = {}
    rows = (
        DocumentOp.objects.filter(collection=CODE_COLLECTION, doc_id=session_id)
        .order_by("version")
        .values_list("user_id", "op", "created_at")
    )
    for user_id, body, created_at in rows.iterator(chunk_size=2000):
        components = body.get("op") if isinstance(body, dict) else None
        if not isinstance(components, list):
            continue
        inserted, deleted = op_char_counts(components)
        total = totals.setdefault(user_id, [0, 0, 0, 0.0])
        total[0] += 1
        total[1] += inserted
        total[2] += deleted
        previous = last_at.get(user_id)
        if previous is not None:
            gap = (created_at - previous).total_seconds()
            if gap <= TYPING_IDLE_SECONDS:
                total[3] += gap
        last_at[user_id] = created_at
    return {user_id: (t[0], t[1], t[2], round(t[3], 3)) for user_id, t in totals.items()}


def ops_summary(
    session_id: str, *, use_sql: bool | None = None
) -> dict[int | None, tuple[int, int, int, float]]:
    """Per user id: (ops, inserted, deleted, typing seconds) over the session's op log."""
    if use_sql is None:
        use_sql = connection.vendor == "postgresql"
    return _ops_summary_sql(session_id) if use_sql else _ops_summary_python(session_id)


def driver_seconds(session_id: str, now: dt.datetime) -> dict[int, float]:
    """Per user id: time spent as driver, from the role history up to `now`."""
    changes = list(
        RoleChange.objects.filter(session_id=session_id)
        .order_by("created_at", "id")
        .values_list("created_at", "mode", "driver_id")
    )
    out: dict[int, float] = {}
    if not changes:  # never left free mode: nobody drove (and zip(strict) would refuse)
        return out
    for (start, mode, driver_id), following in zip(
        changes, [*changes[1:], (now, None, None)], strict=True
    ):
        if mode == SessionMode.DRIVER and driver_id is not None:
            seconds = max(0.0, (following[0] - start).total_seconds())
            out[driver_id] = out.get(driver_id, 0.0) + seconds
    return out


def tests_fixed_and_broken(session_id: str) -> dict[str, tuple[int, int]]:
    """Per username: (tests fixed, tests broken), from the blame of every push.

    A test that went from failing to Accepted counts as fixed for every member whose edits the
    blame names for it (and the reverse as broken); a flaky change names nobody.
    """
    out: dict[str, list[int]] = {}
    changes = Run.objects.filter(session_id=session_id, mode=RunMode.PUSH).exclude(changes=[])
    for run_changes in changes.values_list("changes", flat=True):
        for change in run_changes or []:
            fixed = change.get("after") == Verdict.ACCEPTED
            broken = change.get("before") == Verdict.ACCEPTED
            if fixed == broken:
                continue
            for username in {entry.get("user") for entry in change.get("blame") or []}:
                if username:
                    counts = out.setdefault(username, [0, 0])
                    counts[0 if fixed else 1] += 1
    return {username: (fixed, broken) for username, (fixed, broken) in out.items()}


def session_stats_get(*, session_id: str, now: dt.datetime | None = None) -> dict[str, Any]:
    """Every member's contribution (former contributors too), in joining order."""
    now = now or timezone.now()
    members = {
        user_id: MemberStats(username=username, color=color)
        for user_id, username, color in Membership.objects.filter(session_id=session_id)
        .order_by("joined_at", "id")
        .values_list("user_id", "user__username", "color")
    }
    summary = ops_summary(session_id)
    runs = (
        Run.objects.filter(session_id=session_id)
        .values_list("user_id", "mode")
        .annotate(count=Count("id"))
        .order_by()
    )
    former = {user_id for user_id in summary if user_id is not None and user_id not in members}
    if former:
        from django.contrib.auth import get_user_model

        for user_id, username in (
            get_user_model().objects.filter(pk__in=former).values_list("pk", "username")
        ):
            members[user_id] = MemberStats(username=username, color="")
    for user_id, (ops, inserted, deleted, typing) in summary.items():
        if user_id in members:
            stats = members[user_id]
            stats.ops, stats.inserted, stats.deleted = ops, inserted, deleted
            stats.typing_seconds = round(typing, 1)
    for user_id, seconds in driver_seconds(session_id, now).items():
        if user_id in members:
            members[user_id].driver_seconds = round(seconds, 1)
    for user_id, mode, count in runs:
        if user_id in members:
            if mode == RunMode.PUSH:
                members[user_id].pushes = count
            else:
                members[user_id].runs = count
    by_name = {stats.username: stats for stats in members.values()}
    for username, (fixed, broken) in tests_fixed_and_broken(session_id).items():
        if username in by_name:
            by_name[username].tests_fixed, by_name[username].tests_broken = fixed, broken
    return {"members": [asdict(stats) for stats in members.values()]}
