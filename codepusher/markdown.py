"""Markdown to safe HTML, shared by challenge statements and chat messages.

Raw HTML in the source is escaped by Markdown itself is not enough (it passes HTML through), so
the rendered HTML goes through nh3 (ammonia) with a small allow-list: no script, no event
handlers, no javascript: URLs, ever.
"""

from __future__ import annotations

import markdown as markdown_lib
import nh3
from pygments.token import STANDARD_TYPES

ALLOWED_TAGS = {
    "a", "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "span", "div", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th",
    "td", "del", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"align"},
    "td": {"align"},
}
# Only the classes the renderer itself writes survive: codehilite's wrapper and Pygments' token
# classes. A class written by the author (`{.hidden .mention}` on a fence, raw HTML in a
# statement) is dropped, so nobody can hide a message or dress it up as a mention.
HIGHLIGHT_CLASS = "highlight"
TOKEN_CLASSES = frozenset(name for name in STANDARD_TYPES.values() if name) | {"hll"}
ALLOWED_CLASSES = {"div": {HIGHLIGHT_CLASS}, "span": set(TOKEN_CLASSES)}
EXTENSIONS = ["fenced_code", "codehilite", "tables", "sane_lists"]
EXTENSION_CONFIGS = {"codehilite": {"css_class": HIGHLIGHT_CLASS, "guess_lang": False}}


def markdown_render(source: str, *, chat: bool = False) -> str:
    """Render Markdown with highlighted fenced code blocks, then sanitize the HTML.

    The `chat` flavour shows raw HTML as text instead of letting the sanitizer drop it (a `<b>`
    typed in a message is meant literally) and keeps single line breaks, as people expect in a
    chat box.
    """
    md = markdown_lib.Markdown(
        extensions=[*EXTENSIONS, "nl2br"] if chat else EXTENSIONS,
        extension_configs=EXTENSION_CONFIGS,
        output_format="html",
    )
    if chat:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
    return html_sanitize(md.convert(source))


def html_sanitize(html: str, *, span_classes: frozenset[str] = frozenset()) -> str:
    """The site's allow-list; `span_classes` adds classes a later step writes (mentions)."""
    classes = {**ALLOWED_CLASSES, "span": ALLOWED_CLASSES["span"] | span_classes}
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=classes,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
