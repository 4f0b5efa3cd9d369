"""@mentions in chat messages, found in the rendered HTML so they agree with what people see.

Mentions are looked for in the text of the sanitised HTML rather than in the Markdown source: an
`@name` inside inline code, a code block or a link is not a mention, and the `mentions` list a
message carries is exactly the set of highlighted spans. The marked-up HTML is sanitised again
with the site's allow-list, so this rewriting can never let markup through that nh3 refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser

from codepusher.markdown import html_sanitize

# Django usernames are [\w.@+-]+; a mention is `@` not preceded by such a character (so an e-mail
# address is not a mention) followed by the longest member name that ends on a word boundary.
MENTION_RE = re.compile(r"(?<![\w.@+-])@([\w.@+-]+)")
MENTION_CLASS = "mention"
# Text inside these elements is code or already a link: never a mention.
SKIP_TAGS = {"code", "pre", "a"}


def _username_at(token: str, usernames: dict[str, str]) -> str | None:
    """The member whose name `token` starts with, ending where a word ends; longest first."""
    lowered = token.lower()
    for key in sorted(usernames, key=len, reverse=True):
        if lowered.startswith(key):
            rest = token[len(key) :]
            if not rest or not (rest[0].isalnum() or rest[0] == "_"):
                return usernames[key]
    return None


def _mark_text(text: str, usernames: dict[str, str], found: dict[str, None]) -> str:
    out: list[str] = []
    position = 0
    for match in MENTION_RE.finditer(text):
        username = _username_at(match.group(1), usernames)
        if username is None:
            continue
        start, end = match.start(), match.start() + 1 + len(username)
        out.append(text[position:start])
        out.append(f'<span class="{MENTION_CLASS}">{text[start:end]}</span>')
        position = end
        found[username] = None
    out.append(text[position:])
    return "".join(out)


class _MentionMarker(HTMLParser):
    """Copies HTML through unchanged, wrapping mentions found in text outside code and links."""

    def __init__(self, usernames: dict[str, str]) -> None:
        super().__init__(convert_charrefs=False)
        self.usernames = usernames
        self.found: dict[str, None] = {}
        self.out: list[str] = []
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in SKIP_TAGS:
            self.skip_depth += 1
        self.out.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS and self.skip_depth:
            self.skip_depth -= 1
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        # Text from sanitised HTML: its `<`, `>` and `&` arrive as entity references, so `data`
        # holds no markup and usernames ([\w.@+-]) need no escaping.
        if self.skip_depth or "@" not in data:
            self.out.append(data)
        else:
            self.out.append(_mark_text(data, self.usernames, self.found))

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        """Sanitised HTML has no comments; drop any rather than copy them."""

    def handle_decl(self, decl: str) -> None:
        """Likewise for declarations."""


def mentions_mark(html: str, usernames: Iterable[str]) -> tuple[str, list[str]]:
    """Wrap each `@member` of `usernames` in `html` in a span; return the HTML and who was named.

    `html` must already be sanitised (the output of `markdown_render`). Matching ignores case
    and yields the member's own spelling.
    """
    names = {name.lower(): name for name in usernames}
    if not names or "@" not in html:
        return html, []
    marker = _MentionMarker(names)
    marker.feed(html)
    marker.close()
    if not marker.found:
        return html, []
    marked = html_sanitize("".join(marker.out), span_classes=frozenset({MENTION_CLASS}))
    return marked, list(marker.found)
