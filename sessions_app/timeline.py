"""Reads for the session replay: one timeline of ops, runs, messages and comings and goings.

Each source is read in its own order, (time, kind rank, id), from just after a cursor, and the
sources are merged, so a page costs one indexed range query per source whatever the session's
size. A cursor names the last event of a page and the next op version to send:
`<microseconds since the epoch>.<rank>.<id>.<op version>`, opaque to clients. Ops are read by
version (the document's unique index; commits of one document are serialised, so their times
follow their versions), which keeps them in version order even across servers' clocks.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q

from chat.selectors import messages_visible
from execution.models import Run
from sessions_app.models import (
    CodingSession,
    DocumentOp,
    Membership,
    MembershipEvent,
    MembershipEventKind,
)
from sessions_app.ot import storage
from sessions_app.ot.types import CODE_COLLECTION

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
TIMELINE_MAX_LIMIT = 5000
# Ties at one instant: the op first (a run started then judged that op's version), then runs,
# messages, and membership last.
RANK = {"op": 0, "run": 1, "message": 2, "member": 3}
CURSOR_RE = re.compile(r"(\d{1,19})\.([0-3])\.(\d{1,19})\.(\d{1,19})")
CALL_ACTIONS = {MembershipEventKind.CALL_JOINED: "joined", MembershipEventKind.CALL_LEFT: "left"}


class TimelineError(Exception):
    """A bad cursor or limit; the message says what is expected."""


@dataclass(frozen=True, order=True)
class Cursor:
    micros: int
    rank: int
    ident: int
    op_next: int = field(default=0, compare=False)  # the first op version not yet sent

    @classmethod
    def parse(cls, text: str) -> Cursor:
        match = CURSOR_RE.fullmatch(text)
        if match is None:
            raise TimelineError("`after` must be a cursor given as `next` by an earlier page.")
        return cls(*(int(group) for group in match.groups()))

    def __str__(self) -> str:
        return f"{self.micros}.{self.rank}.{self.ident}.{self.op_next}"

    @property
    def at(self) -> datetime:
        return EPOCH + timedelta(microseconds=self.micros)


def _micros(at: datetime) -> int:
    """Exact (no float rounding): a cursor must name its instant to the microsecond."""
    return (at - EPOCH) // timedelta(microseconds=1)


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _after(cursor: Cursor | None, rank: int, field: str, ident: str) -> Q:
    """Rows of one source strictly after the cursor in (time, rank, id) order."""
    if cursor is None:
        return Q()
    at = cursor.at
    if rank < cursor.rank:
        return Q(**{f"{field}__gt": at})
    if rank > cursor.rank:
        return Q(**{f"{field}__gte": at})
    return Q(**{f"{field}__gt": at}) | Q(**{field: at, f"{ident}__gt": cursor.ident})


def _ops(session_id: str, cursor: Cursor | None, limit: int) -> list[tuple[Cursor, dict]]:
    rows = (
        DocumentOp.objects.filter(
            collection=CODE_COLLECTION,
            doc_id=session_id,
            version__gte=cursor.op_next if cursor else 0,
        )
        .order_by("version")
        .values_list("version", "op", "created_at", "user__username")[:limit]
    )
    events = []
    for version, body, at, username in rows:
        event: dict[str, Any] = {"kind": "op", "at": _iso(at), "user": username, "v": version + 1}
        if "create" in body:
            event["create"] = body["create"]
        else:
            event["op"] = body.get("op")
        events.append((Cursor(_micros(at), RANK["op"], version), event))
    return events


def _runs(session_id: str, cursor: Cursor | None, limit: int) -> list[tuple[Cursor, dict]]:
    rows = (
        Run.objects.filter(session_id=session_id)
        .filter(_after(cursor, RANK["run"], "created_at", "id"))
        .order_by("created_at", "id")
        .values_list("id", "created_at", "user__username", "mode", "version", "verdict")[:limit]
    )
    return [
        (
            Cursor(_micros(at), RANK["run"], pk),
            {
                "kind": "run",
                "at": _iso(at),
                "user": username,
                "id": pk,
                "mode": mode,
                "version": version,
                "verdict": verdict or None,
            },
        )  # fmt: skip
        for pk, at, username, mode, version, verdict in rows
    ]


def _messages(
    session_id: str, user: AbstractBaseUser, cursor: Cursor | None, limit: int
) -> list[tuple[Cursor, dict]]:
    rows = (
        messages_visible(session_id=session_id, user=user)
        .filter(_after(cursor, RANK["message"], "created_at", "id"))
        .order_by("created_at", "id")[:limit]
    )
    return [
        (
            Cursor(_micros(m.created_at), RANK["message"], m.pk),
            {
                "kind": "message",
                "at": _iso(m.created_at),
                "user": m.author.username,
                "id": m.pk,
                "to": m.recipient.username if m.recipient_id else None,
                "body": m.body,
                "html": m.html,
            },
        )  # fmt: skip
        for m in rows
    ]


def _members(session_id: str, cursor: Cursor | None, limit: int) -> list[tuple[Cursor, dict]]:
    rows = (
        MembershipEvent.objects.filter(session_id=session_id)
        .filter(_after(cursor, RANK["member"], "created_at", "id"))
        .order_by("created_at", "id")
        .values_list("id", "created_at", "user__username", "kind")[:limit]
    )
    events = []
    for pk, at, username, kind in rows:
        if kind in CALL_ACTIONS:
            event = {"kind": "call", "action": CALL_ACTIONS[kind]}
        else:
            event = {"kind": "member", "action": kind}
        event.update(at=_iso(at), user=username)
        events.append((Cursor(_micros(at), RANK["member"], pk), event))
    return events


@dataclass
class TimelinePage:
    events: list[dict[str, Any]]
    next: str | None


def timeline_page(
    *, session_id: str, user: AbstractBaseUser, after: str | None = None, limit: int = 1000
) -> TimelinePage:
    """Up to `limit` events after the cursor `after`, in time order; `next` is None at the end.

    Direct messages appear only to their two people; everything else to every reader (the
    caller checks the reader may see the session at all).
    """
    if not 1 <= limit <= TIMELINE_MAX_LIMIT:
        raise TimelineError(f"`limit` must be from 1 to {TIMELINE_MAX_LIMIT}.")
    cursor = Cursor.parse(after) if after else None
    sources = [
        _ops(session_id, cursor, limit + 1),
        _runs(session_id, cursor, limit + 1),
        _messages(session_id, user, cursor, limit + 1),
        _members(session_id, cursor, limit + 1),
    ]
    merged = list(heapq.merge(*sources, key=lambda pair: pair[0]))
    page = merged[:limit]
    if len(merged) <= limit or not page:
        return TimelinePage(events=[event for _, event in page], next=None)
    op_next = cursor.op_next if cursor else 0
    for _, event in page:
        if event["kind"] == "op":
            op_next = event["v"]  # an op event's v is its stored version + 1: the next to send
    last = replace(page[-1][0], op_next=op_next)
    return TimelinePage(events=[event for _, event in page], next=str(last))


def version_text(*, session_id: str, version: int) -> str:
    """The code at `version`, rebuilt from the nearest stored snapshot (raises OTError past
    the current version)."""
    snapshot = storage.snapshot_at_version(CODE_COLLECTION, session_id, version)
    return snapshot.data if isinstance(snapshot.data, str) else ""


def session_export(*, session: CodingSession, user: AbstractBaseUser) -> dict[str, Any]:
    """The whole session as `user` may see it, in one JSON-able dict (the replay's Download)."""
    events: list[dict[str, Any]] = []
    after = None
    while True:
        page = timeline_page(
            session_id=session.id, user=user, after=after, limit=TIMELINE_MAX_LIMIT
        )
        events.extend(page.events)
        if page.next is None:
            break
        after = page.next
    challenge = session.challenge
    return {
        "session": {"id": session.id, "language": session.language, "owner": session.owner.username,
                    "status": session.status, "created_at": _iso(session.created_at)},
        "challenge": {"id": challenge.pk, "slug": challenge.slug, "title": challenge.title},
        "members": [
            {"username": m.user.username, "color": m.color}
            for m in Membership.objects.filter(session=session).select_related("user")
        ],
        "ops": [e for e in events if e["kind"] == "op"],
        "runs": [e for e in events if e["kind"] == "run"],
        "messages": [e for e in events if e["kind"] == "message"],
        "membership": [e for e in events if e["kind"] in ("member", "call")],
    }  # fmt: skip
