"""Issue 13: open redirects, author-written classes, ids that cannot be probed."""

from __future__ import annotations

import pytest

from codepusher.markdown import markdown_render
from execution.models import Run, RunMode, RunStatus

pytestmark = pytest.mark.django_db

EVIL = "https://evil.example/"
SIGNUP = {"password1": "a-long-pass-phrase-42", "password2": "a-long-pass-phrase-42"}


@pytest.mark.parametrize("where", ["query", "form"])
def test_signup_never_redirects_off_site(client, where):
    query, form = (f"?next={EVIL}", {}) if where == "query" else ("", {"next": EVIL})
    response = client.post(f"/accounts/signup/{query}", {**SIGNUP, "username": "n", **form})
    assert response.status_code == 302 and response["Location"] == "/"


def test_signup_follows_a_local_next(client):
    response = client.post("/accounts/signup/?next=/challenges/", {**SIGNUP, "username": "n"})
    assert response["Location"] == "/challenges/"


@pytest.mark.parametrize("target", [EVIL, "//evil.example/x", "javascript:alert(1)"])
def test_login_and_logout_never_redirect_off_site(client, user, password, target):
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": password, "next": target}
    )
    assert response.status_code == 302 and "evil" not in response["Location"]
    assert not response["Location"].startswith("javascript")
    response = client.post(f"/accounts/logout/?next={target}")
    assert response.status_code == 302 and "evil" not in response["Location"]


def test_a_logged_in_visitor_to_signup_is_not_sent_off_site(client, user):
    client.force_login(user)
    assert client.get(f"/accounts/signup/?next={EVIL}")["Location"] == "/"


def test_author_classes_are_dropped_from_chat_and_statements():
    fence = "```{.python .hidden .mention}\nx = 1\n```"
    html = markdown_render(fence, chat=True)
    assert 'class="highlight"' in html and "hidden" not in html and "mention" not in html
    assert '<span class="n">x</span>' in html  # the highlighter's own classes stay
    statement = markdown_render('<span class="mention hidden">@alice</span> <div class="x">y</div>')
    assert "mention" not in statement and "hidden" not in statement and '"x"' not in statement


def test_mentions_keep_their_class(db):
    from chat.mentions import mentions_mark

    html, named = mentions_mark(markdown_render("hi @bob", chat=True), ["bob"])
    assert html == '<p>hi <span class="mention">@bob</span></p>' and named == ["bob"]


def test_a_session_or_run_of_others_answers_like_a_missing_one(
    client, user, other_user, session_factory
):
    session = session_factory(owner=user)
    run = Run.objects.create(
        session=session, user=user, mode=RunMode.RUN, language="python", code="print(1)",
        status=RunStatus.DONE,
    )  # fmt: skip
    client.force_login(other_user)
    pairs = [
        (f"/s/{session.id}/", "/s/nosuchsession/"),
        (f"/api/sessions/{session.id}/", "/api/sessions/nosuchsession/"),
        (f"/api/sessions/{session.id}/messages/", "/api/sessions/nosuchsession/messages/"),
        (f"/api/runs/{run.pk}/", f"/api/runs/{run.pk + 1000}/"),
    ]
    for existing, missing in pairs:
        one, other = client.get(existing), client.get(missing)
        assert one.status_code == other.status_code == 404, existing
        if one["Content-Type"].startswith("application/json"):
            assert one.json() == other.json()
    client.force_login(user)
    assert client.get(f"/api/runs/{run.pk}/").status_code == 200
