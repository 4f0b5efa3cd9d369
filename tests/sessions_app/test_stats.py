"""Contribution stats against a scripted session whose counts are known."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from execution.models import Run
from sessions_app.models import DocumentOp, RoleChange
from sessions_app.ot import storage
from sessions_app.ot.types import CODE_COLLECTION, CommittedOp, snapshot_apply
from sessions_app.services import session_join
from sessions_app.stats import ops_summary, session_stats_get
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC)


def commit(session_id: str, user, components: list, at: dt.datetime) -> None:
    """Commit one op as `user`, then date it (the commit stamps the current time)."""
    before = storage.snapshot_get(CODE_COLLECTION, session_id)
    op = CommittedOp(v=before.v, src="script", seq=before.v, body={"op": components})
    assert storage.op_commit(
        CODE_COLLECTION, session_id, op, snapshot_apply(before, op), user_id=user.pk
    )
    DocumentOp.objects.filter(doc_id=session_id, version=op.v).update(created_at=at)


@pytest.fixture
def scripted(session_factory):
    """alice and bob edit a session after its starter code, with known timings and runs."""
    owner, alice, bob = UserFactory(), UserFactory(), UserFactory()
    session = session_factory(owner=owner)
    for user in (alice, bob):
        session_join(session=session, user=user)
    text = storage.snapshot_get(CODE_COLLECTION, session.id).data
    end = len(text)
    # alice: "hello" at the end, an emoji (one code point), then deletes 2 characters.
    commit(session.id, alice, [end, "hello"], T0)
    commit(session.id, alice, [end + 5, "😀"], T0 + dt.timedelta(seconds=1))
    commit(session.id, alice, [end, {"d": 2}], T0 + dt.timedelta(seconds=3))
    # ... a pause of a minute (not typing time), then one more op that deletes "l" by content.
    commit(session.id, alice, [end, {"d": "l"}], T0 + dt.timedelta(seconds=63))
    # bob: "abc" at the start, twice, 4 s apart.
    commit(session.id, bob, ["abc"], T0 + dt.timedelta(seconds=2))
    commit(session.id, bob, ["abc"], T0 + dt.timedelta(seconds=6))
    # Roles: alice drives for 60 s, then bob for 30 s, then everyone edits.
    for offset, mode, driver in ((0, "driver", alice), (60, "driver", bob), (90, "free", None)):
        RoleChange.objects.create(
            session=session,
            mode=mode,
            driver=driver,
            reason="mode",
            created_at=T0 + dt.timedelta(seconds=offset),
        )
    for user, mode in ((alice, "push"), (alice, "push"), (bob, "run")):
        Run.objects.create(session=session, user=user, mode=mode, language="python", code="x")
    # The second push's blame: test 1 broke by bob's edit, test 2 fixed by both (one range
    # each, bob twice), test 3 changed with no edit between the runs (flaky: nobody).
    blame = {
        1: [{"user": bob.username, "lines": [2, 2], "versions": [3, 3]}],
        2: [
            {"user": alice.username, "lines": [1, 1], "versions": [2, 2]},
            {"user": bob.username, "lines": [2, 2], "versions": [3, 3]},
            {"user": bob.username, "lines": [4, 4], "versions": [4, 4]},
        ],
        3: [],
    }
    verdicts = {1: ("ACCEPTED", "WRONG_ANSWER"), 2: ("WRONG_ANSWER", "ACCEPTED")}
    verdicts[3] = ("WRONG_ANSWER", "ACCEPTED")
    Run.objects.filter(pk=Run.objects.filter(session=session, mode="push").last().pk).update(
        changes=[
            {"position": p, "before": b, "after": a, "blame": blame[p]}
            for p, (b, a) in verdicts.items()
        ]
    )
    return session, owner, alice, bob


def by_name(stats: dict) -> dict[str, dict]:
    return {member["username"]: member for member in stats["members"]}


def test_stats_count_what_each_member_did(scripted):
    session, owner, alice, bob = scripted
    stats = by_name(session_stats_get(session_id=session.id, now=T0 + dt.timedelta(seconds=100)))
    assert stats[alice.username] == {
        "username": alice.username,
        "color": stats[alice.username]["color"],
        "inserted": 6,
        "deleted": 3,
        "ops": 4,
        "typing_seconds": 3.0,
        "driver_seconds": 60.0,
        "runs": 0,
        "pushes": 2,
        "tests_fixed": 1,
        "tests_broken": 0,
    }
    assert stats[bob.username] == {
        "username": bob.username,
        "color": stats[bob.username]["color"],
        "inserted": 6,
        "deleted": 0,
        "ops": 2,
        "typing_seconds": 4.0,
        "driver_seconds": 30.0,
        "runs": 1,
        "pushes": 0,
        "tests_fixed": 1,
        "tests_broken": 1,
    }
    # The owner created the session (the starter code is no contribution) and did nothing else.
    assert stats[owner.username]["ops"] == 0 and stats[owner.username]["inserted"] == 0
    assert list(stats) == [owner.username, alice.username, bob.username]


def test_sql_and_python_summaries_agree(scripted):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the one-statement summary is PostgreSQL SQL; SQLite sites use the Python one")
    session, *_ = scripted
    assert ops_summary(session.id, use_sql=True) == ops_summary(session.id, use_sql=False)


def test_the_stats_api_is_for_members(scripted):
    session, owner, alice, _ = scripted
    client = APIClient()
    client.force_authenticate(alice)
    response = client.get(f"/api/sessions/{session.id}/stats/")
    assert response.status_code == 200
    assert by_name(response.json())[alice.username]["pushes"] == 2
    # Time as driver runs up to now for a driver still at the keyboard.
    RoleChange.objects.create(
        session=session, mode="driver", driver=owner, reason="driver", created_at=timezone.now()
    )
    again = by_name(client.get(f"/api/sessions/{session.id}/stats/").json())
    assert 0 <= again[owner.username]["driver_seconds"] < 60
