"""Markdown to safe HTML, shared by challenge statements and chat messages.

Raw HTML in the source is escaped by Markdown itself is not enough (it passes HTML through), so
the rendered HTML goes through nh3 (ammonia) with a small allow-list: no script, no event
handlers, no javascript: URLs, ever.
"""

from __future__ import annotations

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {
    "a", "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "span", "div", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th",
    "td", "del", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "span": {"class"},
    "div": {"class"},
    "code": {"class"},
    "pre": {"class"},
    "th": {"align"},
    "td": {"align"},
}
EXTENSIONS = ["fenced_code", "codehilite", "tables", "sane_lists"]
EXTENSION_CONFIGS = {"codehilite": {"css_class": "highlight", "guess_lang": False}}


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
    html = md.convert(source)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
