"""Two members edit one session room in Chromium against the real server (daphne + /ws/ot/).

Fixtures (tests/browser/conftest.py):
- ``live_server_url``: base URL of a running daphne;
- ``two_member_pages``: two logged-in Playwright (sync API) pages already on the same room.

The room's module exposes ``window.codepusher.editor`` (frontend/editor.js): ``getText()``,
``isReady()``, ``status()``, ``hasPendingEdits()`` and the reconnecting ``socket``.
"""

from __future__ import annotations

import time
import uuid

import pytest

pytestmark = pytest.mark.browser

TIMEOUT_MS = 30_000  # generous: the suite may share the machine with Docker builds

READY = (
    "() => !!(window.codepusher && window.codepusher.editor && window.codepusher.editor.isReady())"
)
SYNCED = """() => {
  const e = window.codepusher && window.codepusher.editor;
  return !!e && e.isReady() && e.status() === 'connected' && !e.hasPendingEdits();
}"""
TEXT = "() => window.codepusher.editor.getText()"
HAS_TEXT = "(s) => window.codepusher.editor.getText().includes(s)"
LACKS_TEXT = "(s) => !window.codepusher.editor.getText().includes(s)"


def _ready(page) -> None:
    page.wait_for_function(READY, timeout=TIMEOUT_MS)
    page.wait_for_function(SYNCED, timeout=TIMEOUT_MS)


def _username(page) -> str:
    return page.get_attribute("#room", "data-username")


def _converged(page_a, page_b, timeout: float = TIMEOUT_MS / 1000) -> str:
    """Wait until both editors are synced with the server and hold the same text."""
    deadline = time.monotonic() + timeout
    text_a = text_b = None
    while time.monotonic() < deadline:
        if page_a.evaluate(SYNCED) and page_b.evaluate(SYNCED):
            text_a, text_b = page_a.evaluate(TEXT), page_b.evaluate(TEXT)
            if text_a == text_b:
                return text_a
        time.sleep(0.1)
    raise AssertionError(f"editors did not converge:\nA={text_a!r}\nB={text_b!r}")


def _focus_editor(page, where: str) -> None:
    """Focus the editor and put the cursor at the document start or end."""
    page.click("#editor .cm-content")
    page.keyboard.press("Escape")  # close any completion popup
    page.keyboard.press("Control+Home" if where == "start" else "Control+End")


def _marker(name: str) -> str:
    return f"{name}_{uuid.uuid4().hex[:6]}"


def test_both_members_see_each_others_text_and_cursor(two_member_pages):
    page_a, page_b = two_member_pages
    _ready(page_a)
    _ready(page_b)
    name_a, name_b = _username(page_a), _username(page_b)

    mark_a, mark_b = _marker("ada"), _marker("bob")
    _focus_editor(page_a, "end")
    _focus_editor(page_b, "start")
    # Interleave keystrokes without waiting for acknowledgements, so ops cross on the wire.
    # Emoji and a character outside the BMP check the UTF-16 / code point conversions.
    chunks_a = [" ", mark_a[:5], mark_a[5:], " 😀x𝄞y"]
    chunks_b = [mark_b[:5], mark_b[5:], " 🎉z ", ""]
    for chunk_a, chunk_b in zip(chunks_a, chunks_b, strict=True):
        page_a.keyboard.type(chunk_a)
        page_b.keyboard.type(chunk_b)

    text = _converged(page_a, page_b)
    assert f"{mark_a} 😀x𝄞y" in text
    assert f"{mark_b} 🎉z " in text
    assert text.startswith(mark_b), "B typed at the start of the document"
    assert text.rstrip("\n").endswith("😀x𝄞y"), "A typed at the end of the document"

    # Each sees the other's caret, flagged with the other's name (never their own).
    flag_in_a = page_a.locator(f".cp-remote-caret[data-user='{name_b}'] .cp-remote-flag")
    flag_in_b = page_b.locator(f".cp-remote-caret[data-user='{name_a}'] .cp-remote-flag")
    flag_in_a.first.wait_for(state="visible", timeout=TIMEOUT_MS)
    flag_in_b.first.wait_for(state="visible", timeout=TIMEOUT_MS)
    assert page_a.locator(f".cp-remote-caret[data-user='{name_a}']").count() == 0
    assert flag_in_a.first.get_attribute("title") == name_b
    caret_color = flag_in_a.first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert caret_color not in ("", "rgba(0, 0, 0, 0)", "transparent")

    # The connection badge says connected on both sides.
    for page in (page_a, page_b):
        assert page.get_attribute("#connection-status", "data-state") == "connected"


CARET_FLAG = """(name) => {
  const caret = [...document.querySelectorAll('.cp-remote-caret')].find((c) => c.dataset.user === name);
  if (!caret) return null;
  const flag = caret.querySelector('.cp-remote-flag');
  const label = caret.querySelector('.cp-remote-label');
  const line = caret.closest('.cm-line').getBoundingClientRect();
  const f = flag.getBoundingClientRect();
  const c = caret.getBoundingClientRect();
  return {
    flagColor: getComputedStyle(flag).backgroundColor,
    caretColor: getComputedStyle(caret).borderLeftColor,
    flagShown: getComputedStyle(flag).visibility === 'visible' && getComputedStyle(flag).opacity === '1'
      && f.width > 0 && f.height > 0,
    labelShown: getComputedStyle(label).visibility === 'visible',
    flagTop: f.top - line.top, flagBottom: f.bottom - c.top, flagHeight: f.height,
  };
}"""


def test_a_remote_caret_keeps_a_small_flag_and_shows_the_name_on_hover(
    two_member_pages, screenshots
):
    page_a, page_b = two_member_pages
    _ready(page_a)
    _ready(page_b)
    name_b = _username(page_b)
    _focus_editor(page_b, "end")
    page_b.keyboard.type("x = 1")
    page_a.wait_for_function(f"() => ({CARET_FLAG})({name_b!r}) !== null", timeout=TIMEOUT_MS)
    page_a.wait_for_timeout(4000)  # longer than the old label took to fade away
    flag = page_a.evaluate(CARET_FLAG, name_b)
    # Still there after the caret rests, in the member's colour, small, inside its own line's
    # box and not over the text of the line (it ends where the caret starts).
    assert flag["flagShown"] and flag["flagColor"] == flag["caretColor"]
    assert flag["flagHeight"] <= 6
    assert flag["flagTop"] >= -1 and flag["flagBottom"] <= 1.5, flag
    assert not flag["labelShown"], "the name does not cover the code while nobody asks for it"
    screenshots(page_a, "room-caret-flag")

    page_a.hover(f".cp-remote-caret[data-user='{name_b}'] .cp-remote-flag")
    page_a.wait_for_function(f"() => ({CARET_FLAG})({name_b!r}).labelShown", timeout=TIMEOUT_MS)
    label = page_a.locator(f".cp-remote-caret[data-user='{name_b}'] .cp-remote-label")
    assert label.inner_text() == name_b
    page_a.locator("#editor").screenshot(
        path=str(screenshots.folder / "room-caret-name-on-hover.png")
    )


def test_undo_only_undoes_own_edit(two_member_pages):
    page_a, page_b = two_member_pages
    _ready(page_a)
    _ready(page_b)
    mark_a, mark_b = _marker("UNDOME"), _marker("KEEPME")

    _focus_editor(page_a, "end")
    _focus_editor(page_b, "start")
    before = _converged(page_a, page_b)
    # insert_text makes each edit one input event, so one undo step even on a slow machine
    # (typed characters more than 500 ms apart would fall into separate undo groups).
    page_a.wait_for_timeout(700)  # start a fresh undo group
    page_a.keyboard.insert_text(f" {mark_a}")
    page_b.wait_for_function(HAS_TEXT, arg=mark_a, timeout=TIMEOUT_MS)
    page_b.wait_for_timeout(700)
    page_b.keyboard.insert_text(f"{mark_b} ")
    page_a.wait_for_function(HAS_TEXT, arg=mark_b, timeout=TIMEOUT_MS)
    assert _converged(page_a, page_b) == f"{mark_b} {before} {mark_a}"

    # A's undo removes A's text only; B's later edit stays, for both of them.
    page_a.keyboard.press("Control+z")
    page_a.wait_for_function(LACKS_TEXT, arg=mark_a, timeout=TIMEOUT_MS)
    page_b.wait_for_function(LACKS_TEXT, arg=mark_a, timeout=TIMEOUT_MS)
    assert _converged(page_a, page_b) == f"{mark_b} {before}"

    # Redo brings A's edit back (Ctrl+Y; Ctrl+Shift+Z in a real keyboard does the same).
    page_a.keyboard.press("Control+y")
    page_b.wait_for_function(HAS_TEXT, arg=mark_a, timeout=TIMEOUT_MS)
    assert _converged(page_a, page_b) == f"{mark_b} {before} {mark_a}"

    # B's undo takes back B's edit and leaves A's.
    page_b.keyboard.press("Control+z")
    page_a.wait_for_function(LACKS_TEXT, arg=mark_b, timeout=TIMEOUT_MS)
    assert _converged(page_a, page_b) == f"{before} {mark_a}"


def test_edits_made_offline_sync_after_reconnecting(two_member_pages):
    page_a, page_b = two_member_pages
    _ready(page_a)
    _ready(page_b)
    mark_a, mark_b = _marker("OFFLINE"), _marker("ONLINE")

    _focus_editor(page_a, "end")
    _focus_editor(page_b, "start")
    page_a.evaluate("() => window.codepusher.editor.socket.close()")
    page_a.wait_for_function(
        "() => document.querySelector('#connection-status').dataset.state !== 'connected'",
        timeout=TIMEOUT_MS,
    )

    page_a.keyboard.type(f" {mark_a} 🚀")
    page_b.keyboard.type(f"{mark_b} ")
    page_b.wait_for_function(SYNCED, timeout=TIMEOUT_MS)
    # A keeps its edit locally and says so; B never sees it while A is away.
    assert page_a.evaluate("() => window.codepusher.editor.hasPendingEdits()")
    assert page_a.get_attribute("#connection-status", "data-state") in (
        "reconnecting",
        "offline",
    )
    assert mark_a not in page_b.evaluate(TEXT)
    page_a.wait_for_function(
        "() => document.querySelector('#connection-status').dataset.state === 'offline'",
        timeout=TIMEOUT_MS,
    )
    assert "will sync" in page_a.inner_text("#connection-status")

    page_a.evaluate("() => window.codepusher.editor.socket.reconnect()")
    text = _converged(page_a, page_b)
    assert f"{mark_a} 🚀" in text
    assert mark_b in text
