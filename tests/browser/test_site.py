"""A new learner in a real browser: signs up, browses the catalogue, opens a challenge, starts a session."""

from __future__ import annotations

import pytest

from tests.factories import ChallengeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_browse_open_a_challenge_and_start_a_session(new_page):
    challenge = ChallengeFactory(title="Sum of Two Numbers")
    page = new_page(path="/")
    page.get_by_role("link", name="Sign up").click()
    page.fill("#id_username", "newcomer")
    page.fill("#id_password1", "a-long-pass-phrase-42")
    page.fill("#id_password2", "a-long-pass-phrase-42")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_selector(".user-chip")
    assert page.inner_text(".user-chip") == "newcomer"

    page.get_by_role("link", name="Challenges").first.click()
    page.wait_for_selector(f"[data-challenge='{challenge.slug}']")
    page.click(f"[data-challenge='{challenge.slug}']")
    assert page.inner_text("h1") == "Sum of Two Numbers"
    assert "Read two integers" in page.inner_text(".markdown")

    page.click("#start-session")
    page.wait_for_url("**/s/*/")
    page.wait_for_selector("#editor .cm-content:has-text('a, b = map(int')")


def styles_of(page, selector: str) -> dict:
    return page.eval_on_selector(
        selector,
        """el => { const s = getComputedStyle(el);
           return {bg: s.backgroundColor, color: s.color, font: s.fontFamily, radius: s.borderRadius}; }""",
    )


def test_pages_render_styled(new_page, tmp_path, user):
    challenge = ChallengeFactory()
    for path in ["/", "/challenges/", challenge.get_absolute_url(), "/accounts/login/"]:
        page = new_page(user if path != "/accounts/login/" else None, path)
        header = styles_of(page, ".site-header")
        assert header["bg"] not in ("rgba(0, 0, 0, 0)", "transparent"), path
        body = styles_of(page, "body")
        assert body["color"] == "rgb(231, 233, 244)", path  # the site's --text colour
        assert "Times" not in body["font"], path
        page.screenshot(path=str(tmp_path / f"{path.strip('/').replace('/', '_') or 'home'}.png"))
        png = (tmp_path / f"{path.strip('/').replace('/', '_') or 'home'}.png").read_bytes()
        assert len(png) > 10_000, path  # a blank page compresses to almost nothing
    button = styles_of(page, "button.button")
    assert button["radius"] == "8px"


def test_profile_panels_sit_side_by_side(new_page, user):
    page = new_page(user, "/accounts/profile/")
    tops = page.eval_on_selector_all(
        ".two-columns > section", "els => els.map((el) => el.getBoundingClientRect().top)"
    )
    assert len(tops) == 2 and tops[0] == tops[1], tops


def test_the_header_fits_a_phone_screen(new_page, user):
    page = new_page(user, "/")
    page.set_viewport_size({"width": 390, "height": 844})
    logout = page.locator(".site-header button", has_text="Log out").bounding_box()
    assert logout is not None and logout["x"] + logout["width"] <= 390, logout
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
