"""The room as two learners meet it (issue 17): the invite link, the live Members panel with its
quiet chat lines, the empty chat's hint. Real daphne, Redis channel layer and Chromium."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from sessions_app.services import session_join

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEMBER = "#member-list .member[data-username='{}']"


def off_the_browser_thread(fn, **kwargs):
    """Playwright runs an event loop in this thread; code that publishes to the channel layer
    (async_to_sync) must run in another one."""

    def call():
        try:
            return fn(**kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(call).result()


def room_page(new_page, user, session):
    page = new_page(user, session.get_absolute_url())
    page.wait_for_selector("#editor .cm-content")
    return page


def test_copy_invite_link_copies_says_copied_and_shows_the_whole_link(
    room_session, new_page, user, screenshots
):
    page = room_page(new_page, user, room_session)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    link = page.get_attribute("#copy-invite", "data-invite-url")
    assert link.endswith(f"/join/{room_session.invite_token}/")

    page.click("#copy-invite")
    page.wait_for_function("() => document.querySelector('#copy-invite').textContent === 'Copied'")
    assert page.evaluate("() => navigator.clipboard.readText()") == link

    # Unfocused the field is one line; focused it shows (and selects) the whole link.
    field = "#invite-url"
    assert page.evaluate(f"() => document.querySelector('{field}').scrollWidth") > page.evaluate(
        f"() => document.querySelector('{field}').clientWidth"
    )
    page.focus(field)
    shown = page.evaluate(
        f"""() => {{ const f = document.querySelector('{field}');
        return {{fits: f.scrollHeight <= f.clientHeight + 1 && f.scrollWidth <= f.clientWidth + 1,
                 selected: f.value.slice(f.selectionStart, f.selectionEnd)}}; }}"""
    )
    assert shown == {"fits": True, "selected": link}
    screenshots(page, "room-invite-copied")


def test_members_panel_is_live_and_chat_says_who_came_and_left(
    user, other_user, session_factory, new_page, screenshots
):
    session = off_the_browser_thread(session_factory, owner=user)
    owner = room_page(new_page, user, session)
    owner.wait_for_selector("#chat .chat-empty:not([hidden])")  # the empty chat has a hint
    assert "No messages yet" in owner.inner_text("#chat .chat-empty")
    assert owner.locator("#member-list .member").count() == 1

    # The partner accepts the invite: the owner sees them appear, then come online.
    off_the_browser_thread(session_join, session=session, user=other_user)
    owner.wait_for_selector(MEMBER.format(other_user.username) + "[data-online='false']")
    owner.wait_for_selector(
        f"#chat .chat-notice:has-text('{other_user.username} joined the session')"
    )
    partner = room_page(new_page, other_user, session)
    owner.wait_for_selector(MEMBER.format(other_user.username) + "[data-online='true']")
    owner.wait_for_selector(f"#chat .chat-notice:has-text('{other_user.username} came in')")

    # What they do shows live: typing marks them as editing.
    partner.click("#editor .cm-content")
    partner.keyboard.type("# hello")
    owner.wait_for_selector(MEMBER.format(other_user.username) + "[data-editing='true']")
    assert "editing" in owner.inner_text(MEMBER.format(other_user.username))
    screenshots(owner, "room-members-live")

    # Closing the tab: offline, and a quiet line says they left.
    partner.close()
    owner.wait_for_selector(MEMBER.format(other_user.username) + "[data-online='false']")
    owner.wait_for_selector(f"#chat .chat-notice:has-text('{other_user.username} left')")
    assert owner.locator(MEMBER.format(other_user.username) + "[data-editing]").count() == 0


VISIBLE = (
    "(sel) => { const e = document.querySelector(sel); return !!e && e.offsetParent !== null; }"
)


def test_on_a_phone_the_room_is_tabs_with_the_code_first(room_session, new_page, user, screenshots):
    page = room_page(new_page, user, room_session)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_selector(".room-tabs", state="visible")
    tabs = page.locator(".room-tab").all_inner_texts()
    assert tabs == ["Problem", "Code", "Terminal", "Chat", "Call"]
    assert page.get_attribute(".room-tab[aria-selected='true']", "data-tab") == "code"
    for button in ("#run-button", "#submit-button", "#history-button"):
        box = page.locator(button).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (button, box)
    shown = {
        "problem": ".room-statement",
        "code": "#editor",
        "terminal": "#terminal",
        "chat": "#chat .chat-input",
        "call": "#call [data-call='join']",
    }
    for tab in shown:
        page.click(f".room-tab[data-tab='{tab}']")
        for other, other_selector in shown.items():
            assert page.evaluate(VISIBLE, other_selector) == (other == tab), (tab, other)
        # The tab fills the screen: no page taller than the phone.
        assert page.evaluate("() => document.documentElement.scrollHeight") <= 844 + 1, tab
        if tab in ("code", "chat"):
            screenshots(page, f"room-phone-tab-{tab}")
            page.set_viewport_size({"width": 390, "height": 844})
    # Typing works in the code tab.
    page.click(".room-tab[data-tab='code']")
    page.click("#editor .cm-content")
    page.keyboard.type("# from a phone")
    page.wait_for_function("() => window.codepusher.editor.getText().includes('# from a phone')")


def test_the_room_fits_a_900_px_window_and_the_header_sign_up_is_readable(
    room_session, new_page, user
):
    page = room_page(new_page, user, room_session)
    assert page.evaluate("() => innerHeight") == 900
    assert page.evaluate("() => document.documentElement.scrollHeight") <= 900
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1400
    assert not page.is_visible(".room-tabs"), "wide screens show every panel, no tabs"

    visitor = new_page(None, "/")
    colors = visitor.evaluate(
        """() => { const a = [...document.querySelectorAll('.account-nav a')]
            .find((x) => x.textContent.trim() === 'Sign up');
          const s = getComputedStyle(a); return [s.color, s.backgroundImage]; }"""
    )
    assert colors[0] == "rgb(11, 14, 28)", "dark text on the button's light gradient"
    assert "gradient" in colors[1]


def test_the_room_switches_language_for_everyone_and_offers_the_starter_code(
    room_session, new_page, user, other_user, screenshots
):
    from challenges.models import ChallengeLanguage

    ChallengeLanguage.objects.create(
        challenge=room_session.challenge, language="cpp", starter_code="int main() { return 0; }\n"
    )
    first = room_page(new_page, user, room_session)
    second = room_page(new_page, other_user, room_session)
    first.wait_for_selector("#chat .chat-status[data-state='live']")
    before = first.evaluate("() => window.codepusher.editor.getText()")

    second.select_option("#language-select", "cpp")
    for page in (first, second):
        page.wait_for_function("() => document.querySelector('#language-select').value === 'cpp'")
        page.wait_for_selector(
            f"#chat .chat-notice:has-text('{other_user.username} switched the language to')"
        )
    room_session.refresh_from_db()
    assert room_session.language == "cpp"
    # Offered to the one who switched, not forced on anyone: the code is unchanged so far.
    second.wait_for_selector(".starter-offer")
    assert first.locator(".starter-offer").count() == 0
    assert first.evaluate("() => window.codepusher.editor.getText()") == before
    screenshots(second, "room-language-offer")

    second.click(".starter-offer [data-starter=use]")
    for page in (first, second):
        page.wait_for_function(
            "() => window.codepusher.editor.getText() === 'int main() { return 0; }\\n'"
        )


def test_a_member_removed_by_the_owner_leaves_the_panel(room_session, new_page, user, other_user):
    from sessions_app.services import session_member_remove

    owner = room_page(new_page, user, room_session)
    partner = room_page(new_page, other_user, room_session)
    owner.wait_for_selector(MEMBER.format(other_user.username) + "[data-online='true']")
    off_the_browser_thread(session_member_remove, session=room_session, by=user, user=other_user)
    owner.wait_for_selector(MEMBER.format(other_user.username), state="detached")
    owner.wait_for_selector(
        f"#chat .chat-notice:has-text('{other_user.username} was removed from the session')"
    )
    partner.wait_for_timeout(5000)  # past the grace of a "left" line
    assert owner.locator(MEMBER.format(other_user.username)).count() == 0
    assert owner.locator(f"#chat .chat-notice:has-text('{other_user.username} left')").count() == 0
