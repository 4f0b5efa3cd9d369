"""The typing benchmark's own run: both server layouts serve the real sharedb clients."""

from __future__ import annotations

import shutil

import pytest

from bench.run_ot_bench import run_ours
from tests.sessions_app.ot_live import NEEDS_POSTGRES, postgres_answers

pytestmark = [
    pytest.mark.node,
    pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed"),
    pytest.mark.skipif(not postgres_answers(), reason=NEEDS_POSTGRES),
]


@pytest.mark.parametrize("processes", [1, 2])
def test_every_acknowledged_keystroke_is_stored_and_replicas_converge(tmp_path, processes):
    result = run_ours(6, 2, 10, tmp_path, "postgresql", processes=processes)
    assert "error" not in result, result
    assert result["errors"] == 0 and result["acked"] == result["keystrokes"] > 0
    assert result["converged"] is True
    assert result["persisted"] is True, result
