"""The owner's controls in Chromium: status banner for everyone, a new invite link, removing a
member (whose room goes dead at once), and the invite landing page for a logged-out visitor."""

from __future__ import annotations

import pytest

from sessions_app.models import CodingSession, Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_controls_reach_every_member(room_session, user, other_user, new_page, screenshots):
    path = room_session.get_absolute_url()
    owner, guest = new_page(user, path), new_page(other_user, path)
    for page in (owner, guest):
        page.wait_for_function(
            "() => window.codepusher && window.codepusher.terminal.isConnected()"
        )
        page.wait_for_selector("#chat .chat-status[data-state='live']")
    assert guest.locator("[data-owner]").count() == 0  # controls are the owner's only

    owner.select_option("[data-owner=status]", "read_only")
    guest.wait_for_selector(".owner-banner[data-status=read_only]:visible")
    assert "Read-only" in guest.inner_text(".owner-banner")
    screenshots(owner, "owner-controls")
    owner.select_option("[data-owner=status]", "open")
    guest.wait_for_selector(".owner-banner", state="hidden")

    old_link = owner.input_value("#invite-url")
    owner.click("[data-owner=rotate]")
    owner.wait_for_function(
        "(old) => document.querySelector('#invite-url').value !== old", arg=old_link
    )
    guest.wait_for_function(
        "(old) => document.querySelector('#invite-url').value !== old", arg=old_link
    )
    room_session.refresh_from_db()
    assert owner.input_value("#invite-url").endswith(room_session.get_invite_path())

    owner.on("dialog", lambda dialog: dialog.accept())
    owner.select_option("[data-owner=member]", other_user.username)
    owner.click("[data-owner=remove]")
    owner.wait_for_selector(f".owner-message:has-text('{other_user.username} was removed')")
    guest.wait_for_function("() => !window.codepusher.terminal.isConnected()")
    guest.wait_for_selector("#chat .chat-status:not([data-state='live'])")
    assert not Membership.objects.filter(session=room_session, user=other_user).exists()
    assert guest.goto(path).status == 404


def test_a_logged_out_invitee_signs_up_and_joins(room_session, user, new_page):
    invite = room_session.get_invite_path()
    page = new_page(None, invite)
    assert f"{user.username} invites you to solve" in page.inner_text("h1")
    page.click("[data-signup]")
    page.fill("#id_username", "invitee")
    page.fill("#id_password1", "a-long-pass-phrase-42")
    page.fill("#id_password2", "a-long-pass-phrase-42")
    page.click("button[type=submit]")
    page.wait_for_url(f"**{invite}")
    page.click("[data-join]")
    page.wait_for_url(f"**{room_session.get_absolute_url()}")
    page.wait_for_selector("#editor .cm-content")
    session = CodingSession.objects.get(pk=room_session.pk)
    assert session.memberships.filter(user__username="invitee").exists()
