"""chat.services and chat.selectors: validation, rendering, mentions, visibility, paging, limits."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from chat.mentions import mentions_mark
from chat.models import MESSAGE_MAX_LENGTH, Message
from chat.selectors import message_history_page, messages_visible, session_member_by_username
from chat.services import MessageError, MessageRateLimited, message_send

pytestmark = pytest.mark.django_db


def send(room, author, body, recipient=None):
    return message_send(session=room.session, author=author, body=body, recipient=recipient)


def test_a_message_is_stored_with_sanitised_highlighted_html(room):
    message = send(room, room.alice, "Try **this**:\n\n```python\nprint('<b>hi</b>')\n```")
    stored = Message.objects.get(pk=message.pk)
    assert stored.body.startswith("Try **this**")
    assert "<strong>this</strong>" in stored.html
    assert '<div class="highlight">' in stored.html  # Pygments highlighted the fence
    assert "&lt;b&gt;hi&lt;/b&gt;" in stored.html  # the code is text, not markup
    assert stored.recipient is None


class _Markup(HTMLParser):
    """Collects the elements and attributes a browser would build from some HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((name, value or "") for name, value in attrs)


def markup_of(html: str) -> _Markup:
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser


XSS_PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil></iframe>",
    '<p style="background:url(javascript:alert(1))" onclick="x()">p</p>',
    "```html\n<img src=x onerror=alert(1)><script>alert(1)</script>\n```",
    "`<svg onload=alert(1)>`",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_html_in_a_message_is_shown_as_text_and_never_active(room, payload):
    html = send(room, room.alice, payload).html
    markup = markup_of(html)
    assert not {"script", "img", "svg", "iframe", "style"} & set(markup.tags), html
    for name, value in markup.attrs:
        assert not name.startswith("on") and name != "style", html
        assert "javascript:" not in value.lower(), html
    if "<" in payload:
        assert "&lt;" in html  # the tags typed are visible as text


@pytest.mark.parametrize("body", ["", "   ", "\n\t\n"])
def test_empty_messages_are_refused(room, body):
    with pytest.raises(MessageError, match="empty"):
        send(room, room.alice, body)
    assert not Message.objects.exists()


def test_the_length_limit_is_4000_characters(room):
    send(room, room.alice, "x" * MESSAGE_MAX_LENGTH)
    with pytest.raises(MessageError, match="too long: 4001 characters"):
        send(room, room.alice, "é" * (MESSAGE_MAX_LENGTH + 1))
    assert Message.objects.count() == 1


def test_a_body_that_is_not_text_is_refused(room):
    with pytest.raises(MessageError, match="text"):
        send(room, room.alice, ["hello"])


def test_direct_messages_go_to_another_member_only(room):
    message = send(room, room.alice, "psst", recipient=room.bob)
    assert message.recipient == room.bob
    with pytest.raises(MessageError, match="yourself"):
        send(room, room.alice, "me", recipient=room.alice)
    with pytest.raises(MessageError, match="outsider is not a member"):
        send(room, room.alice, "hi", recipient=room.outsider)


def test_non_members_cannot_send(room):
    with pytest.raises(MessageError, match="not a member"):
        send(room, room.outsider, "let me in")
    assert not Message.objects.exists()


def test_mentions_of_members_are_marked_and_recorded(room):
    message = send(room, room.alice, "@Bob, look. @carol: `@alice` no. @outsider mail@bob.example")
    assert sorted(u.username for u in message.mentions.all()) == ["bob", "carol"]
    assert '<span class="mention">@Bob</span>' in message.html
    assert '<span class="mention">@carol</span>' in message.html
    assert "<code>@alice</code>" in message.html  # inside code: not a mention
    assert "@outsider" in message.html and 'mention">@outsider' not in message.html


def test_a_direct_message_only_mentions_its_recipient(room):
    message = send(room, room.alice, "@bob tell @carol", recipient=room.bob)
    assert [u.username for u in message.mentions.all()] == ["bob"]
    assert 'mention">@carol' not in message.html


def test_marking_mentions_keeps_sanitised_html_intact():
    html = '<p><a href="https://x.example" rel="noopener noreferrer nofollow">@bob</a> &lt;@bob&gt;</p>'
    marked, found = mentions_mark(html, ["bob"])
    assert found == ["bob"]
    assert marked == (
        '<p><a href="https://x.example" rel="noopener noreferrer nofollow">@bob</a> '
        '&lt;<span class="mention">@bob</span>&gt;</p>'
    )


def test_the_longest_member_name_wins_and_must_end_on_a_word_boundary():
    marked, found = mentions_mark("<p>@al.ice @al @alx</p>", ["al", "al.ice"])
    assert found == ["al.ice", "al"]
    assert marked.count('class="mention"') == 2 and "@alx" in marked


def test_the_rate_limit_stops_one_user_and_nobody_else(room, settings):
    settings.CHAT_RATE_LIMIT_MESSAGES = 3
    for i in range(3):
        send(room, room.alice, f"flood {i}")
    with pytest.raises(MessageRateLimited, match=r"at most 3 every 10 seconds"):
        send(room, room.alice, "one too many")
    send(room, room.bob, "I can still talk")
    assert Message.objects.filter(author=room.alice).count() == 3
    assert Message.objects.filter(author=room.bob).count() == 1


def test_invalid_messages_do_not_use_up_the_rate_limit(room, settings):
    settings.CHAT_RATE_LIMIT_MESSAGES = 2
    for _ in range(5):
        with pytest.raises(MessageError):
            send(room, room.alice, " ")
    send(room, room.alice, "one")
    send(room, room.alice, "two")


def test_history_shows_public_messages_and_only_ones_own_direct_messages(room):
    public = send(room, room.alice, "hello all")
    to_bob = send(room, room.alice, "hi bob", recipient=room.bob)
    from_carol = send(room, room.carol, "hi alice", recipient=room.alice)

    def visible(user):
        return set(
            messages_visible(session_id=room.session.id, user=user).values_list("pk", flat=True)
        )

    assert visible(room.alice) == {public.pk, to_bob.pk, from_carol.pk}
    assert visible(room.bob) == {public.pk, to_bob.pk}
    assert visible(room.carol) == {public.pk, from_carol.pk}


def test_history_pages_back_newest_last(room, settings):
    settings.CHAT_RATE_LIMIT_MESSAGES = 1000
    ids = [send(room, room.alice, f"m{i}").pk for i in range(12)]
    page = message_history_page(session_id=room.session.id, user=room.bob, limit=5)
    assert [m.pk for m in page.messages] == ids[-5:] and page.has_more
    page = message_history_page(session_id=room.session.id, user=room.bob, before=ids[-5], limit=5)
    assert [m.pk for m in page.messages] == ids[2:7] and page.has_more
    page = message_history_page(session_id=room.session.id, user=room.bob, before=ids[2], limit=5)
    assert [m.pk for m in page.messages] == ids[:2] and not page.has_more
    assert page.messages[0].author_color  # the author's colour in the session comes along


def test_member_lookup_by_username(room):
    assert session_member_by_username(session_id=room.session.id, username="bob") == room.bob
    assert session_member_by_username(session_id=room.session.id, username="outsider") is None
