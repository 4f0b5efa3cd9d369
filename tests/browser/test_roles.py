"""Roles and follow mode in the room (issue 16), two members in Chromium against the real
server: the read-only banner naming the driver, a keyboard request accepted with one click, and
follow mode scrolling one editor to the other's cursor at line 200 of a long file."""

from __future__ import annotations

import pytest

from sessions_app.models import Document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITABLE = "() => document.querySelector('#editor .cm-content').contentEditable === 'true'"
VISIBLE_LINES = """() => { const v = window.codepusher.editor.view;
  const top = v.scrollDOM.scrollTop;
  const a = v.state.doc.lineAt(v.lineBlockAtHeight(top).from).number;
  const b = v.state.doc.lineAt(v.lineBlockAtHeight(top + v.scrollDOM.clientHeight - 1).from).number;
  return [a, b]; }"""
LONG = "".join(f"line_{n} = {n}\n" for n in range(1, 301))


def pages(room_session, new_page, user, other_user):
    first = new_page(user, room_session.get_absolute_url())
    second = new_page(other_user, room_session.get_absolute_url())
    for page in (first, second):
        page.wait_for_function("() => window.codepusher && window.codepusher.editor.isReady()")
    return first, second


def test_driver_mode_banner_request_and_hand_over(
    room_session, new_page, user, other_user, screenshots
):
    owner, partner = pages(room_session, new_page, user, other_user)
    owner.click(".roles-bar [data-roles=driver-mode]")
    owner.wait_for_selector(".roles-bar:has-text('You have the keyboard.')")
    partner.wait_for_selector(f".roles-bar:has-text('Read-only: {user.username} is driving.')")
    partner.wait_for_function(f"!({EDITABLE})()")
    assert owner.evaluate(EDITABLE)
    screenshots(partner, "room-roles-read-only")

    partner.click(".roles-bar [data-roles=request]")
    owner.wait_for_selector(f".roles-bar:has-text('{other_user.username} asks for the keyboard')")
    owner.click(".roles-bar [data-roles=give]")
    partner.wait_for_selector(".roles-bar:has-text('You have the keyboard.')")
    partner.wait_for_function(EDITABLE)
    owner.wait_for_function(f"!({EDITABLE})()")

    partner.click("#editor .cm-content")
    partner.keyboard.press("Control+End")
    partner.keyboard.type("# the new driver types")
    owner.wait_for_function(
        "() => window.codepusher.editor.getText().includes('# the new driver types')"
    )


def test_following_a_member_scrolls_to_their_cursor_until_you_scroll(
    room_session, new_page, user, other_user, screenshots
):
    Document.objects.filter(collection="code", doc_id=room_session.id).update(data=LONG)
    leader, follower = pages(room_session, new_page, user, other_user)
    # The leader goes to line 200.
    leader.evaluate(
        """() => { const v = window.codepusher.editor.view;
        const pos = v.state.doc.line(200).from;
        v.focus(); v.dispatch({selection: {anchor: pos}, scrollIntoView: true}); }"""
    )
    assert follower.evaluate(VISIBLE_LINES)[1] < 200
    follower.click(f"#member-list .member-name:has-text('{user.username}')")
    follower.wait_for_function(
        f"() => {{ const [a, b] = ({VISIBLE_LINES})(); return a <= 200 && 200 <= b; }}"
    )
    follower.wait_for_selector(f".follow-bar:has-text('Following {user.username}')")
    screenshots(follower, "room-following")

    # It keeps following: the leader moves on to line 40.
    follower.set_viewport_size({"width": 1400, "height": 900})
    leader.evaluate(
        """() => { const v = window.codepusher.editor.view;
        v.dispatch({selection: {anchor: v.state.doc.line(40).from}, scrollIntoView: true}); }"""
    )
    follower.wait_for_function(
        f"() => {{ const [a, b] = ({VISIBLE_LINES})(); return a <= 40 && 40 <= b; }}"
    )

    # Scrolling yourself stops it, with a way back.
    follower.hover("#editor .cm-content")
    follower.mouse.wheel(0, 900)
    follower.wait_for_selector(".follow-bar [data-follow=again]", state="visible")
    leader.evaluate(
        """() => { const v = window.codepusher.editor.view;
        v.dispatch({selection: {anchor: v.state.doc.line(280).from}, scrollIntoView: true}); }"""
    )
    follower.wait_for_timeout(1000)
    assert follower.evaluate(VISIBLE_LINES)[1] < 280, "not following any more"
    follower.click(".follow-bar [data-follow=again]")
    follower.wait_for_function(
        f"() => {{ const [a, b] = ({VISIBLE_LINES})(); return a <= 280 && 280 <= b; }}"
    )


def test_the_owner_asks_everyone_to_follow(room_session, new_page, user, other_user):
    Document.objects.filter(collection="code", doc_id=room_session.id).update(data=LONG)
    owner, member = pages(room_session, new_page, user, other_user)
    owner.evaluate(
        """() => { const v = window.codepusher.editor.view;
        v.dispatch({selection: {anchor: v.state.doc.line(150).from}, scrollIntoView: true}); }"""
    )
    owner.click(".roles-bar [data-roles=follow-me]")
    member.wait_for_selector(f".follow-bar:has-text('Following {user.username}')")
    member.wait_for_function(
        f"() => {{ const [a, b] = ({VISIBLE_LINES})(); return a <= 150 && 150 <= b; }}"
    )
    member.wait_for_selector(
        f"#chat .chat-notice:has-text('{user.username} asked everyone to follow them')"
    )


def test_contributions_count_each_members_typing(room_session, new_page, user, other_user):
    first, second = pages(room_session, new_page, user, other_user)
    for page, text in ((first, "# first"), (second, "# second!")):
        page.click("#editor .cm-content")
        page.keyboard.press("Control+End")
        page.keyboard.type(text)
    first.wait_for_function("() => window.codepusher.editor.getText().includes('# second!')")
    second.wait_for_function("() => !window.codepusher.editor.hasPendingEdits()")
    first.click(".members-panel .stats summary")
    first.wait_for_selector(".stats-table tbody tr >> nth=1")
    inserted = {
        name: int(
            first.inner_text(f".stats-table tr[data-username='{name}'] td[data-key=inserted]")
        )
        for name in (user.username, other_user.username)
    }
    assert inserted[user.username] >= len("# first")
    assert inserted[other_user.username] >= len("# second!")
    assert inserted[other_user.username] > 0 and first.is_visible(
        ".stats-table th:has-text('Typing')"
    )
