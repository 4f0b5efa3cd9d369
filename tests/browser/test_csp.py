"""The room under the Content-Security-Policy in Chromium: editor, terminal, chat and call all
work, nothing the site ships is blocked, and an injected inline script is refused."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_chat_rate_limits"),
]

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push({directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample});
});
"""
EDITOR_TEXT = "() => document.querySelector('#editor .cm-content').innerText"


def test_the_room_works_under_the_policy(room_session, user, other_user, new_page):
    path = room_session.get_absolute_url()
    pages = [new_page(member, path, RECORD_VIOLATIONS) for member in (user, other_user)]
    first, second = pages
    response = first.request.get(path)
    assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]

    for page in pages:  # editor, terminal and chat connected
        page.wait_for_selector("#editor .cm-content")
        page.wait_for_function("() => window.codepusher.terminal.isConnected()")
        page.wait_for_selector("#chat .chat-status[data-state='live']")
        assert page.locator("#terminal .xterm-rows, #terminal canvas").count() > 0

    first.click("#editor .cm-content")
    first.keyboard.press("Control+End")
    first.keyboard.type("# typed under CSP")
    second.wait_for_function(f"() => ({EDITOR_TEXT})().includes('# typed under CSP')")

    first.fill("#chat .chat-input", "hello under **CSP**")
    first.press("#chat .chat-input", "Enter")
    second.wait_for_selector("#chat .chat-msg strong:has-text('CSP')")

    first.wait_for_function("() => !!(window.codepusher && window.codepusher.call)")
    first.click("#call [data-call=join]")
    first.wait_for_function("() => window.codepusher.call.state().joined", timeout=60_000)

    for page in pages:
        assert page.evaluate("window.__violations") == []

    blocked = first.evaluate("""() => new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation', () => resolve(window.__pwned), {once: true});
      const script = document.createElement('script');
      script.textContent = 'window.__pwned = true';
      document.body.append(script);
    })""")
    assert blocked is None
    assert first.evaluate("window.__violations")[0]["directive"] == "script-src-elem"
