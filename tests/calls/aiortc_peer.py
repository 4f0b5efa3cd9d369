"""An aiortc participant of a call, speaking the site's signaling over a real WebSocket.

Used by the aiortc tests and reusable by server-side participants (bots, recorders). It handles
the pitfalls in docs/calls.md: no default STUN (`iceServers=[]`), loopback host candidates (aioice
skips 127.0.0.1, see `loopback_only`), `bundlePolicy` max-bundle (aiortc#1414 drops a second video
track otherwise), and no trickle: aiortc puts every candidate in its SDP, so it only sends the
end-of-candidates marker and must never be the side that rolls back (it offers only as the
newcomer, and answers otherwise).
"""

from __future__ import annotations

import asyncio
import cmath
import fractions
import json
import math
import time
from array import array
from contextlib import contextmanager
from typing import Any

import aioice.ice
import av
from aiortc import (
    MediaStreamTrack,
    RTCBundlePolicy,
    RTCConfiguration,
    RTCPeerConnection,
    RTCSessionDescription,
    VideoStreamTrack,
)
from aiortc.mediastreams import MediaStreamError

SAMPLE_RATE = 48000
AUDIO_SAMPLES = 960  # 20 ms


@contextmanager
def loopback_only():
    """Make aioice gather 127.0.0.1 (it skips loopback by default) and nothing else."""
    original = aioice.ice.get_host_addresses
    aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]
    try:
        yield
    finally:
        aioice.ice.get_host_addresses = original


def rtc_configuration() -> RTCConfiguration:
    return RTCConfiguration(iceServers=[], bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)


class SolidColorTrack(VideoStreamTrack):
    """Video frames of one known colour (what the receiver checks)."""

    def __init__(self, rgb: tuple[int, int, int], width: int = 320, height: int = 240) -> None:
        super().__init__()
        self.rgb, self.width, self.height = rgb, width, height
        self.pixels = bytes(rgb) * (width * height)

    async def recv(self) -> av.VideoFrame:
        pts, time_base = await self.next_timestamp()
        frame = av.VideoFrame(self.width, self.height, "rgb24")
        frame.planes[0].update(self.pixels)
        frame.pts, frame.time_base = pts, time_base
        return frame


class ToneTrack(MediaStreamTrack):
    """A sine tone of a known frequency, paced in real time like aiortc's AudioStreamTrack."""

    kind = "audio"

    def __init__(self, frequency: float) -> None:
        super().__init__()
        self.frequency = frequency
        self._start: float | None = None
        self._timestamp = 0

    async def recv(self) -> av.AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.time()
        else:
            self._timestamp += AUDIO_SAMPLES
            await asyncio.sleep(self._start + self._timestamp / SAMPLE_RATE - time.time())
        step = 2 * math.pi * self.frequency / SAMPLE_RATE
        samples = array(
            "h", (int(12000 * math.sin(step * (self._timestamp + i))) for i in range(AUDIO_SAMPLES))
        )
        frame = av.AudioFrame(format="s16", layout="mono", samples=AUDIO_SAMPLES)
        frame.planes[0].update(samples.tobytes())
        frame.pts, frame.sample_rate = self._timestamp, SAMPLE_RATE
        frame.time_base = fractions.Fraction(1, SAMPLE_RATE)
        return frame


def mean_rgb(frame: av.VideoFrame) -> tuple[float, float, float]:
    rgb = frame.reformat(format="rgb24")
    plane = rgb.planes[0]
    row_bytes = rgb.width * 3
    data = b"".join(
        bytes(plane)[row * plane.line_size : row * plane.line_size + row_bytes]
        for row in range(rgb.height)
    )
    count = len(data) // 3
    return tuple(sum(data[channel::3]) / count for channel in range(3))  # type: ignore[return-value]


def left_channel(frame: av.AudioFrame) -> list[int]:
    channels = len(frame.layout.channels)
    samples = array("h", bytes(frame.planes[0])[: frame.samples * channels * 2])
    return list(samples[0::channels])


def dominant_frequency(samples: list[int], *, low: int = 100, high: int = 2000, step: int = 10):
    """The strongest frequency (Goertzel scan), without numpy."""
    best, best_power = 0, -1.0
    n = len(samples)
    for frequency in range(low, high + 1, step):
        w = -2j * math.pi * frequency / SAMPLE_RATE
        power = abs(sum(s * cmath.exp(w * i) for i, s in enumerate(samples[:n]))) ** 2
        if power > best_power:
            best, best_power = frequency, power
    return best


class CallPeer:
    """One aiortc participant: joins over the WebSocket, offers to or answers each peer."""

    def __init__(self, ws, name: str, tracks: list[MediaStreamTrack]) -> None:
        self.ws, self.name, self.tracks = ws, name, tracks
        self.me: str | None = None
        self.pcs: dict[str, RTCPeerConnection] = {}
        self.received: dict[str, list[MediaStreamTrack]] = {}
        self.frames: asyncio.Queue = asyncio.Queue()
        self.events: asyncio.Queue = asyncio.Queue()
        self.signals: list[dict[str, Any]] = []
        self.joined_at: float | None = None
        self._reader: asyncio.Task | None = None

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(message))

    async def join(self, media: dict[str, bool]) -> dict[str, Any]:
        self.joined_at = time.monotonic()
        await self.send({"type": "join", "media": media})
        while True:
            message = json.loads(await self.ws.recv())
            if message["type"] == "joined":
                break
        self.me = message["you"]
        self._reader = asyncio.create_task(self._read())
        return message

    async def call(self, peer_id: str) -> None:
        """As the newcomer: offer our tracks to a peer already in the call."""
        pc = self._pc(peer_id)
        for track in self.tracks:
            pc.addTrack(track)
        await pc.setLocalDescription(await pc.createOffer())  # gathers every candidate
        await self.send({"type": "offer", "to": peer_id, "sdp": pc.localDescription.sdp})
        await self.send({"type": "candidate", "to": peer_id, "candidate": None})

    def _pc(self, peer_id: str) -> RTCPeerConnection:
        pc = RTCPeerConnection(rtc_configuration())
        self.pcs[peer_id] = pc
        self.received[peer_id] = []

        @pc.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            self.received[peer_id].append(track)
            index = len(self.received[peer_id]) - 1
            asyncio.ensure_future(self._pump(peer_id, index, track))

        return pc

    async def _pump(self, peer_id: str, index: int, track: MediaStreamTrack) -> None:
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            await self.frames.put((peer_id, index, track.kind, time.monotonic(), frame))

    async def _read(self) -> None:
        async for raw in self.ws:
            message = json.loads(raw)
            if message["type"] in ("offer", "answer", "candidate"):
                self.signals.append(message)
                await self._on_signal(message)
            else:
                await self.events.put(message)

    async def _on_signal(self, message: dict[str, Any]) -> None:
        peer_id = message["from"]
        if message["type"] == "offer":
            pc = self.pcs.get(peer_id) or self._pc(peer_id)
            await pc.setRemoteDescription(RTCSessionDescription(message["sdp"], "offer"))
            if not pc.getSenders() or all(s.track is None for s in pc.getSenders()):
                for track in self.tracks:
                    pc.addTrack(track)  # reuses the offered transceivers
            await pc.setLocalDescription(await pc.createAnswer())
            await self.send({"type": "answer", "to": peer_id, "sdp": pc.localDescription.sdp})
        elif message["type"] == "answer":
            await self.pcs[peer_id].setRemoteDescription(
                RTCSessionDescription(message["sdp"], "answer")
            )
        elif message["candidate"] is None and peer_id in self.pcs:
            await self.pcs[peer_id].addIceCandidate(None)

    async def close(self) -> None:
        if self._reader:
            self._reader.cancel()
        for pc in self.pcs.values():
            await pc.close()
        for track in self.tracks:
            track.stop()
