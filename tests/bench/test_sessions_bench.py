"""The many-sessions benchmark's own run: several documents at once, typists and a watcher."""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import pytest

from bench.run_sessions_bench import largest_under_target, run_ours, run_sharedb

pytestmark = [
    pytest.mark.node,
    pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed"),
]

SHORT = SimpleNamespace(seconds=2, rate=5)


@pytest.mark.parametrize("processes", [1, 2])
def test_every_session_converges_and_stores_every_op(tmp_path, processes):
    result = run_ours(3, 2, 1, SHORT, tmp_path, processes)
    assert "error" not in result, result
    assert result["docs"] == 3 and result["connections"] == 9 and result["clients"] == 6
    # Every keystroke acked, the watchers' presence accepted (an error counts for either).
    assert result["errors"] == 0 and result["acked"] == result["keystrokes"] > 0
    assert result["converged"] is True
    assert result["persisted"] is True, result
    assert len(result["final_versions"]) == 3
    assert all(v > 1 for v in result["final_versions"].values())


def test_the_reference_server_runs_the_same_sessions(tmp_path):
    result = run_sharedb(3, 2, 1, SHORT, tmp_path, "postgresql")
    assert "error" not in result, result
    assert result["errors"] == 0 and result["converged"] is True and result["persisted"] is True


def test_the_largest_n_under_the_target_skips_failed_and_slow_runs():
    rows = [
        {"label": "a", "variant": "2", "sessions": 5, "converged": True, "p99_ms": 10},
        {"label": "a", "variant": "2", "sessions": 10, "converged": True, "p99_ms": 60},
        {"label": "a", "variant": "2", "sessions": 20, "converged": False, "p99_ms": 10},
        {"label": "b", "variant": "2", "sessions": 5, "error": "boom"},
    ]
    assert largest_under_target(rows) == {("a", "2"): 5, ("b", "2"): None}
