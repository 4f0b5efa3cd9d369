"""The transport-floor benchmark's relays do what its figures claim: every frame to every client."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.sessions_app.ot_live import REPO_DIR


def _bench_module():
    path = REPO_DIR / "bench" / "run_fanout_bench.py"
    spec = importlib.util.spec_from_file_location("run_fanout_bench", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# Each case starts its relay server (daphne, or Node's ws) in a subprocess.
pytestmark = pytest.mark.live


@pytest.mark.parametrize(
    "server",
    ["daphne+channels", "daphne raw asgi", pytest.param("node ws", marks=pytest.mark.node)],
)
def test_relay_returns_every_frame_to_every_client(server: str, tmp_path: Path) -> None:
    result = _bench_module().run(server, clients=3, seconds=1, rate=10, logs=tmp_path)

    assert result["sent"] >= 20
    assert result["returned"] == result["sent"]
    assert result["received"] == 3 * result["sent"]
    assert result["server_cpu_s"] > 0
