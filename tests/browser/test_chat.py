"""The room's chat in Chromium: two members talk, DMs, typing, unread, mentions, paste, and XSS."""

from __future__ import annotations

import json

import pytest

from sessions_app.services import session_join
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_chat_rate_limits"),
]

MESSAGE = "#chat .chat-msg"


def chat_ready(page) -> None:
    page.wait_for_selector("#chat .chat-status[data-state='live']")


def say(page, text: str, to: str = "") -> None:
    page.select_option("#chat .chat-to", to)
    page.fill("#chat .chat-input", text)
    page.press("#chat .chat-input", "Enter")


def last_message(page):
    return page.locator(MESSAGE).last


@pytest.fixture
def pages(two_member_pages):
    first, second = two_member_pages
    for page in (first, second):
        chat_ready(page)
    return first, second


def test_two_members_chat_live(pages, user, other_user):
    first, second = pages
    say(first, "Hello **there**, shall we start?")
    second.wait_for_selector(f"{MESSAGE}:has-text('Hello there, shall we start?')")
    assert second.locator(f"{MESSAGE} strong").last.inner_text() == "there"
    assert last_message(second).locator(".chat-author").inner_text() == user.username
    assert last_message(first).locator(".chat-author").inner_text() == f"{user.username} (you)"
    assert first.input_value("#chat .chat-input") == ""  # Enter sent it and cleared the box

    second.fill("#chat .chat-input", "line one")
    second.press("#chat .chat-input", "Shift+Enter")
    second.type("#chat .chat-input", "line two")
    assert second.input_value("#chat .chat-input") == "line one\nline two"  # no send yet
    second.press("#chat .chat-input", "Enter")
    first.wait_for_selector(f"{MESSAGE}:has-text('line two')")
    assert "line one" in last_message(first).inner_text()
    assert first.locator(MESSAGE).count() == second.locator(MESSAGE).count() == 2

    # a late joiner (a reload) gets the history, in order, once
    second.reload()
    chat_ready(second)
    texts = second.locator(f"{MESSAGE} .chat-html").all_inner_texts()
    assert [t.splitlines()[0] for t in texts] == ["Hello there, shall we start?", "line one"]


def test_direct_messages_reach_only_their_recipient(
    new_page, pages, user, other_user, room_session
):
    first, second = pages
    third_user = UserFactory()
    session_join(session=room_session, user=third_user)
    third = new_page(third_user, room_session.get_absolute_url())
    chat_ready(third)

    second.wait_for_selector(f"#chat .chat-to option[value='{user.username}']", state="attached")
    say(first, "just between us", to=other_user.username)
    second.wait_for_selector(f"{MESSAGE}.chat-dm:has-text('just between us')")
    assert "→ you · direct" in last_message(second).inner_text()
    first.wait_for_selector(f"{MESSAGE}.chat-dm:has-text('just between us')")
    assert f"→ {other_user.username} · direct" in last_message(first).inner_text()

    say(first, "hello everyone")
    third.wait_for_selector(f"{MESSAGE}:has-text('hello everyone')")
    assert "just between us" not in third.inner_text("#chat")
    third.reload()
    chat_ready(third)
    third.wait_for_selector(f"{MESSAGE}:has-text('hello everyone')")
    assert "just between us" not in third.inner_text("#chat")


def test_typing_indicator_and_unread_badge(pages, user, other_user):
    first, second = pages
    second.type("#chat .chat-input", "thinking")
    first.wait_for_selector(f"#chat .chat-typing:has-text('{other_user.username} is typing')")
    # the indicator expires on its own when no more typing frames come
    first.wait_for_function("() => !document.querySelector('#chat .chat-typing').textContent")
    second.fill("#chat .chat-input", "")

    first.click("#chat .chat-toggle")  # collapse the panel
    assert first.locator("#chat .chat-body").is_hidden()
    say(second, "one")
    say(second, "two")
    first.wait_for_selector("#chat .chat-unread:has-text('2')")
    assert first.title().startswith("(2) ")
    first.click("#chat .chat-toggle")  # open it again: read
    first.wait_for_selector("#chat .chat-unread", state="hidden")
    assert not first.title().startswith("(")
    assert first.locator(MESSAGE).count() == 2


def test_mentions_highlight_for_the_mentioned_member_only(pages, user, other_user):
    first, second = pages
    say(first, f"@{other_user.username} can you look at this?")
    second.wait_for_selector(f"{MESSAGE}.chat-mentions-me .mention.mention-me")
    first.wait_for_selector(f"{MESSAGE} .mention:has-text('@{other_user.username}')")
    assert first.locator(".mention-me").count() == 0
    highlighted = second.eval_on_selector(
        ".mention.mention-me", "el => getComputedStyle(el).backgroundColor"
    )
    assert highlighted not in ("rgba(0, 0, 0, 0)", "transparent")


def test_a_code_block_can_be_pasted_into_the_editor(pages):
    first, second = pages
    say(first, "Try:\n```python\nprint('from the chat')\n```")
    block = second.locator(f"{MESSAGE} .chat-code").last
    block.wait_for()
    assert "print" in block.locator("pre").inner_text()
    second.click("#editor .cm-content")
    block.locator(".chat-paste").click()
    second.wait_for_selector("#editor .cm-content:has-text(\"print('from the chat')\")")
    # the edit goes through the shared editor to the other member too
    first.wait_for_selector("#editor .cm-content:has-text(\"print('from the chat')\")")


def test_history_pages_back_with_load_earlier(pages, room_session, user):
    from chat.models import Message

    # Stored directly: publishing from this thread (Playwright's loop) is not possible, and
    # only the history matters here.
    Message.objects.bulk_create(
        Message(session=room_session, author=user, body=f"old {i}", html=f"<p>old message {i}</p>")
        for i in range(60)
    )
    first, _ = pages
    first.reload()
    chat_ready(first)
    first.wait_for_selector(f"{MESSAGE}:has-text('old message 59')")
    assert first.locator(MESSAGE).count() == 50
    first.click("#chat .chat-earlier")
    first.wait_for_selector(f"{MESSAGE}:has-text('old message 0')")
    assert first.locator(MESSAGE).count() == 60
    assert first.locator("#chat .chat-earlier").is_hidden()
    ids = [int(i) for i in first.eval_on_selector_all(MESSAGE, "els => els.map(e => e.dataset.id)")]
    assert ids == sorted(ids) and len(set(ids)) == 60


def test_errors_are_shown_and_reconnect_does_not_duplicate(pages, settings):
    first, second = pages
    say(first, "x" * 4001)
    first.wait_for_selector("#chat .chat-error:has-text('too long')")
    say(first, "   ")
    first.wait_for_selector("#chat .chat-error:has-text('empty')")

    say(first, "before the drop")
    second.wait_for_selector(f"{MESSAGE}:has-text('before the drop')")
    second.evaluate("window.codepusher.chat.drop()")
    say(first, "while away")
    second.wait_for_function("() => window.codepusher.chat.connections === 2")
    chat_ready(second)
    second.wait_for_selector(f"{MESSAGE}:has-text('while away')")
    assert second.locator(MESSAGE).count() == first.locator(MESSAGE).count() == 2


XSS_PAYLOADS = [
    '<img src=x onerror="window.__xss=1;alert(1)">',
    "<script>window.__xss=2;alert(2)</script>",
    "[click me](javascript:window.__xss=3;alert(3))",
    '<a href="javascript:window.__xss=4">link</a>',
    '<svg onload="window.__xss=5;alert(5)"></svg>',
    '<iframe srcdoc="<script>parent.__xss=6</script>"></iframe>',
    '<details open ontoggle="window.__xss=7">d</details>',
    '```html\n<img src=x onerror="window.__xss=8"><script>window.__xss=9</script>\n```',
    '`<svg onload="window.__xss=10">`',
    '```\n<svg onload="window.__xss=11"></svg>\n```',
]


def test_xss_payloads_render_as_text_and_never_run(pages):
    first, second = pages
    dialogs: list[str] = []
    for page in (first, second):
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for payload in XSS_PAYLOADS:
        say(first, payload)
    second.wait_for_function(
        f"() => document.querySelectorAll({json.dumps(MESSAGE)}).length === {len(XSS_PAYLOADS)}"
    )
    first.wait_for_function(
        f"() => document.querySelectorAll({json.dumps(MESSAGE)}).length === {len(XSS_PAYLOADS)}"
    )
    for link in second.locator("#chat .chat-list a").all():
        link.click()  # clicking whatever links survived must not run anything either
    second.wait_for_timeout(500)  # give any injected handler (onerror, onload) the chance to fire
    for page in (first, second):
        assert page.evaluate("window.__xss") is None
        assert (
            page.evaluate(
                "document.querySelectorAll('#chat .chat-list img, #chat .chat-list svg, #chat .chat-list script, #chat .chat-list iframe, #chat .chat-list details').length"
            )
            == 0
        )
        handlers = page.evaluate(
            """() => [...document.querySelectorAll('#chat .chat-list *')].flatMap(
                 el => [...el.attributes].map(a => a.name + '=' + a.value)
               ).filter(a => /^on|javascript:/i.test(a) || /=javascript:/i.test(a))"""
        )
        assert handlers == []
    assert dialogs == []
    shown = second.locator(f"{MESSAGE} .chat-html").all_inner_texts()
    assert '<img src=x onerror="window.__xss=1;alert(1)">' in shown[0]  # as text, verbatim
    assert "<script>window.__xss=2;alert(2)</script>" in shown[1]
    assert '<svg onload="window.__xss=5;alert(5)"></svg>' in shown[4]
    assert '<img src=x onerror="window.__xss=8"><script>window.__xss=9</script>' in shown[7]
