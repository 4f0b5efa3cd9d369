"""Three members hold a call in Chromium with fake devices: video, mute, screen share, leave.

Each page is its own browser context (own cookies). ICE is kept on loopback: the browser gathers
127.0.0.1 (`--allow-loopback-in-peer-connection`) and an init script drops every other candidate
before it is signalled, so checks only target 127.0.0.1 (Chromium may still send them from a
socket bound to another address of this machine, which the peer then sees as peer-reflexive:
still host-local traffic). The test checks the selected pairs and the signalled candidates.

The join → first decoded remote frame time of every page is printed (for docs/benchmarks.md),
never asserted:  DATABASE_URL=… .venv/bin/pytest tests/browser/test_call.py -m browser -s
"""

from __future__ import annotations

import json
import os

import pytest

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 60_000  # hang guard only (the box may be busy with other suites)


# Keep WebRTC on 127.0.0.1: drop other candidates from trickle events and from SDP, and keep a
# handle on every RTCPeerConnection so the test can read getStats().
LOOPBACK_ONLY = r"""
(() => {
  const loopback = (line) => / 127\.0\.0\.1 /.test(line);
  const filterSdp = (sdp) => sdp.split('\r\n')
    .filter((l) => !l.startsWith('a=candidate:') || loopback(l)).join('\r\n');
  const Native = window.RTCPeerConnection;
  window.__pcs = [];
  function Wrapped(...args) {
    const pc = new Native(...args);
    window.__pcs.push(pc);
    return pc;
  }
  Wrapped.prototype = Native.prototype;
  Object.setPrototypeOf(Wrapped, Native);
  window.RTCPeerConnection = Wrapped;
  const proto = Native.prototype;
  const local = Object.getOwnPropertyDescriptor(proto, 'localDescription');
  Object.defineProperty(proto, 'localDescription', {
    configurable: true,
    get() {
      const d = local.get.call(this);
      return d && { type: d.type, sdp: filterSdp(d.sdp), toJSON() { return { type: this.type, sdp: this.sdp }; } };
    },
  });
  const handler = Object.getOwnPropertyDescriptor(proto, 'onicecandidate');
  Object.defineProperty(proto, 'onicecandidate', {
    configurable: true,
    get() { return handler.get.call(this); },
    set(fn) {
      handler.set.call(this, fn && ((event) => {
        if (!event.candidate || !event.candidate.candidate || loopback(event.candidate.candidate)) fn.call(this, event);
      }));
    },
  });
})();
"""

REMOTE_CAMERAS_PLAYING = """(count) => {
  const videos = [...document.querySelectorAll('.call-tile-camera:not([data-self]) video')];
  return videos.length === count && videos.every((v) => v.videoWidth > 0 && v.currentTime > 0);
}"""

CURRENT_TIMES = """() => [...document.querySelectorAll('.call-tile-camera:not([data-self]) video')]
  .map((v) => v.currentTime)"""

STILL_PLAYING = """(before) => {
  const now = [...document.querySelectorAll('.call-tile-camera:not([data-self]) video')]
    .map((v) => v.currentTime);
  return now.length === before.length && now.every((t, i) => t > before[i]);
}"""

SELECTED_PAIRS = """async () => {
  const pairs = [];
  for (const pc of window.__pcs) {
    if (pc.connectionState === 'closed') continue;
    const stats = await pc.getStats();
    const byId = new Map();
    stats.forEach((r) => byId.set(r.id, r));
    stats.forEach((r) => {
      if (r.type === 'transport' && r.selectedCandidatePairId) {
        const pair = byId.get(r.selectedCandidatePairId);
        const remote = byId.get(pair.remoteCandidateId);
        pairs.push({ local: byId.get(pair.localCandidateId).address, remote: remote.address, remoteType: remote.candidateType });
      }
    });
  }
  return pairs;
}"""


REMOTE_CANDIDATES = """async () => {
  const out = [];
  for (const pc of window.__pcs) {
    if (pc.connectionState === 'closed') continue;
    (await pc.getStats()).forEach((r) => { if (r.type === 'remote-candidate') out.push(r.address || ''); });
  }
  return out;
}"""


@pytest.fixture
def call_page(new_page):
    """A member's room with the call module loaded; WebRTC limited to loopback."""

    def open_page(user, path: str):
        page = new_page(user, path, init_script=LOOPBACK_ONLY)
        page.set_default_timeout(TIMEOUT_MS)
        page.wait_for_function("() => !!(window.codepusher && window.codepusher.call)")
        return page

    return open_page


DEBUG_STATE = """() => ({
  state: window.codepusher.call.state(),
  status: document.querySelector('#call .call-status').textContent,
  tiles: [...document.querySelectorAll('.call-tile')].map((t) => ({ ...t.dataset,
    videos: [...t.querySelectorAll('video')].map((v) => [v.videoWidth, v.currentTime]) })),
})"""


def own_addresses() -> set[str]:
    """This machine's IPv4 addresses: traffic between them never leaves the host."""
    import ifaddr

    return {
        ip.ip if isinstance(ip.ip, str) else ip.ip[0] for a in ifaddr.get_adapters() for ip in a.ips
    }


def join(page, *, camera: bool = True) -> str:
    if camera:
        page.check("#call-with-camera")
    page.click("#call [data-call=join]")
    page.wait_for_function("() => window.codepusher.call.state().joined")
    return page.evaluate("() => window.codepusher.call.state().me")


BOX = "(sel) => { const r = document.querySelector(sel).getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width}; }"
OVERLAP = """([a, b]) => { const r = document.querySelector(a).getBoundingClientRect();
  const s = document.querySelector(b).getBoundingClientRect();
  return r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom; }"""


def tile(participant: str, kind: str = "camera") -> str:
    return f'.call-tile-{kind}[data-participant="{participant}"]'


def test_three_members_see_hear_mute_share_and_leave(call_page, user, other_user, session_factory):
    from sessions_app.services import session_join

    third = UserFactory()
    session = session_factory(owner=user)
    session_join(session=session, user=other_user)
    session_join(session=session, user=third)
    path = session.get_absolute_url()
    pages = [call_page(member, path) for member in (user, other_user, third)]
    try:
        _call_scenario(pages)
    except Exception:
        for n, page in enumerate(pages, start=1):  # what each page saw, to debug a failure
            print(f"page {n}:", json.dumps(page.evaluate(DEBUG_STATE), indent=1))
        raise


def _call_scenario(pages) -> None:
    ids = [join(page) for page in pages]
    assert len(set(ids)) == 3

    # Everyone sees the two others' cameras playing.
    for page in pages:
        page.wait_for_function(REMOTE_CAMERAS_PLAYING, arg=2)
        before = page.evaluate(CURRENT_TIMES)
        page.wait_for_function(STILL_PLAYING, arg=before)
    for page, me in zip(pages, ids, strict=True):
        names = page.eval_on_selector_all(
            ".call-tile-camera .call-username", "els => els.map((e) => e.textContent)"
        )
        assert len(names) == 3 and any(n.endswith("(you)") for n in names)
        roles = {
            p["id"]: p["polite"]
            for p in page.evaluate("() => window.codepusher.call.state()")["peers"]
        }
        assert roles == {other: me < other for other in ids if other != me}

    # Every connection runs between sockets of this machine, towards 127.0.0.1 as signalled.
    own = own_addresses()
    for page in pages:
        pairs = page.evaluate(SELECTED_PAIRS)
        assert len(pairs) == 2 and all(p["local"] in own for p in pairs), pairs
        # Only 127.0.0.1 is signalled; a peer-reflexive remote (a check that came from another
        # socket of this machine) shows no address in Chromium, its local side is checked above.
        assert all(p["remote"] in ("127.0.0.1", "") for p in pairs), pairs
        assert all(p["remote"] == "127.0.0.1" or p["remoteType"] == "prflx" for p in pairs), pairs
        remote_addresses = page.evaluate(REMOTE_CANDIDATES)
        assert remote_addresses and set(remote_addresses) <= {"127.0.0.1", ""}, remote_addresses

    # The fake microphone beeps: the speaker's own tile lights up.
    pages[0].wait_for_selector(f'{tile(ids[0])}[data-speaking="true"]')

    # One mutes: the others see the mute icon on that tile.
    pages[0].click("#call [data-call=mic]")
    for page in pages[1:]:
        page.wait_for_selector(f"{tile(ids[0])} .call-mute", state="visible")
    assert pages[0].get_attribute("#call [data-call=mic]", "aria-pressed") == "true"
    pages[0].click("#call [data-call=mic]")
    for page in pages[1:]:
        page.wait_for_selector(f"{tile(ids[0])} .call-mute", state="hidden")

    # One's signaling socket drops and comes back: same participant, nobody renegotiates.
    connections = [page.evaluate("() => window.__pcs.length") for page in pages]
    pages[2].evaluate("() => window.codepusher.call.reconnect()")
    pages[2].wait_for_function("() => window.codepusher.call.metrics().resumes === 1")
    assert pages[2].evaluate("() => window.codepusher.call.state().me") == ids[2]
    assert [page.evaluate("() => window.__pcs.length") for page in pages] == connections
    for page in pages:
        before = page.evaluate(CURRENT_TIMES)
        page.wait_for_function(STILL_PLAYING, arg=before)

    # One shares a screen: the others get a second video from that member.
    pages[1].click("#call [data-call=screen]")
    for page in (pages[0], pages[2]):
        page.wait_for_function(
            "(sel) => { const v = document.querySelector(sel); return !!v && v.videoWidth > 0 && v.currentTime > 0; }",
            arg=f"{tile(ids[1], 'screen')} video",
        )
        assert page.locator(f'.call-tile[data-participant="{ids[1]}"] video').count() == 2
        # The video floats in a small window; the statement stays uncovered.
        assert page.evaluate(
            "() => document.getElementById('room').classList.contains('call-float-open')"
        )
        assert not page.evaluate(OVERLAP, [".call-stage", ".room-statement"])

    # The float moves where it is dragged, and grows and shrinks.
    page = pages[0]
    before = page.evaluate(BOX, ".call-stage")
    handle = page.locator(".call-stage-handle").bounding_box()
    page.mouse.move(handle["x"] + 20, handle["y"] + 5)
    page.mouse.down()
    page.mouse.move(handle["x"] - 180, handle["y"] - 95, steps=5)
    page.mouse.up()
    after = page.evaluate(BOX, ".call-stage")
    assert (round(after["x"] - before["x"]), round(after["y"] - before["y"])) == (-200, -100)
    page.click(".call-stage [data-float=size]")
    assert page.evaluate(BOX, ".call-stage")["width"] > after["width"]
    page.click(".call-stage [data-float=size]")
    assert page.evaluate(BOX, ".call-stage")["width"] == after["width"]
    # The mute mark is the site's own drawing, not an emoji that a font may lack.
    assert page.locator(".call-mute svg").count() >= 1
    assert all(t == "" for t in page.locator(".call-mute").all_text_contents())

    shot = os.environ.get("CALL_SCREENSHOT")  # e.g. to look at the video stage by eye
    if shot:
        pages[0].screenshot(path=shot)

    # One leaves: the others' tiles for that member go away.
    pages[2].click("#call [data-call=leave]")
    for page in pages[:2]:
        page.wait_for_selector(f'.call-tile[data-participant="{ids[2]}"]', state="detached")
        page.wait_for_function(REMOTE_CAMERAS_PLAYING, arg=1)
    assert pages[2].locator(".call-tile").count() == 0

    # Figures for docs/benchmarks.md (printed, not asserted): per page, ms from its own join
    # click to the first decoded frame of each peer already in the call, and from a later peer's
    # arrival (peer-joined) to its first decoded frame.
    print("\ncall first remote frame decoded, per page in join order:")
    for n, page in enumerate(pages, start=1):
        firsts = page.evaluate("() => window.codepusher.call.metrics()")["firstFrame"].values()
        print(json.dumps({
            "page": n,
            "from_join_ms": sorted(round(f["ms"]) for f in firsts if f["since"] == "join"),
            "from_peer_arrival_ms": sorted(round(f["ms"]) for f in firsts if f["since"] != "join"),
        }))  # fmt: skip


# getUserMedia as it fails on a machine without a camera, or after the user refused the prompt.
DEVICE_FAILURES = """
(() => {
  const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const fail = localStorage.getItem('fail-devices') || '';
    if (constraints.audio && fail.includes('mic-refused'))
      throw new DOMException('Permission denied', 'NotAllowedError');
    if (constraints.video && fail.includes('no-camera'))
      throw new DOMException('Requested device not found', 'NotFoundError');
    return real(constraints);
  };
})();
"""


def test_missing_camera_and_refused_microphone_get_clear_messages(call_page, user, session_factory):
    session = session_factory(owner=user)
    page = call_page(user, session.get_absolute_url())
    page.context.add_init_script(DEVICE_FAILURES)

    page.evaluate("() => localStorage.setItem('fail-devices', 'mic-refused')")
    page.reload()
    page.wait_for_function("() => !!(window.codepusher && window.codepusher.call)")
    page.click("#call [data-call=join]")
    page.wait_for_selector("#call .call-status[data-kind=error]")
    assert "Permission to use your microphone was refused" in page.inner_text("#call .call-status")
    assert not page.evaluate("() => window.codepusher.call.state().joined")
    assert page.is_enabled("#call [data-call=join]")

    page.evaluate("() => localStorage.setItem('fail-devices', 'no-camera')")
    page.reload()
    page.wait_for_function("() => !!(window.codepusher && window.codepusher.call)")
    join(page, camera=True)
    status = page.inner_text("#call .call-status")
    assert "No camera was found" in status and "audio only" in status
    state = page.evaluate("() => window.codepusher.call.state()")
    assert state["media"] == {"audio": True, "video": False, "screen": False}
