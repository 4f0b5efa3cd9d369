"""Browser fixtures: Debian's Chromium driven by Playwright against a real daphne.

Tests here use the `transactional_db` so the server process sees the data they create.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
    # Calls between pages of this one machine: loopback candidates, real local addresses
    # (no mDNS names), and remote audio/video that plays without a click.
    "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns",
    "--autoplay-policy=no-user-gesture-required",
]  # fmt: skip


@pytest.fixture
def playwright_instance(monkeypatch):
    """Per test: Playwright's sync API runs an event loop in this thread while it is open, which
    would break every async test that came after a session-wide instance. The ORM calls a browser
    test makes between steps are still plain synchronous code, hence the flag, for this test only.
    """
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser, live_server_url):
    """Open a fresh browser context (its own cookies), optionally logged in as `user`, with a
    script that runs before the page's own."""
    contexts = []

    def open_page(user=None, path: str = "/", init_script: str | None = None):
        context = browser.new_context(
            base_url=live_server_url, viewport={"width": 1400, "height": 900}
        )
        contexts.append(context)
        if user is not None:
            context.add_cookies([login_cookie(user, live_server_url)])
        if init_script:
            context.add_init_script(init_script)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(path)
        return page

    yield open_page
    for context in contexts:
        context.close()


def login_cookie(user, base_url: str) -> dict:
    """A Django session cookie for `user`, as a login through the form would set."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return {"name": settings.SESSION_COOKIE_NAME, "value": store.session_key, "url": base_url}


@pytest.fixture
def room_session(transactional_db, user, other_user, session_factory):
    """A session owned by `user` that `other_user` has joined."""
    from sessions_app.services import session_join

    session = session_factory(owner=user)
    session_join(session=session, user=other_user)
    return session


@pytest.fixture
def two_member_pages(new_page, user, other_user, room_session):
    """Two logged-in members, each in their own browser context, on the same room."""
    path = room_session.get_absolute_url()
    first = new_page(user, path)
    second = new_page(other_user, path)
    for page in (first, second):
        page.wait_for_selector("#editor .cm-content")
    return first, second


ARTIFACTS = Path(settings.BASE_DIR) / "var" / "artifacts" / "browser"  # var/ is gitignored
SCREEN_SIZES = {"desktop": (1400, 900), "phone": (390, 844)}


@pytest.fixture
def screenshots():
    """Save the page at desktop and phone sizes for a person to look at; returns the paths."""

    def take(page, name: str) -> list:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        paths = []
        for label, (width, height) in SCREEN_SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            path = ARTIFACTS / f"{name}-{label}.png"
            page.screenshot(path=str(path))
            paths.append(path)
        width, height = SCREEN_SIZES["desktop"]
        page.set_viewport_size({"width": width, "height": height})
        return paths

    take.folder = ARTIFACTS
    return take
