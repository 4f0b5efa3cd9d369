"""LaTeX problem statements (the Kattis ``problem.tex`` dialect) turned into Markdown.

Only the small part of LaTeX that statements really use is converted: sections, emphasis,
lists, verbatim blocks, links, escapes and quotes; math (``$...$``) is kept as written. When
anything else is left over, a wrong conversion would be worse than none: the statement is kept
as preformatted LaTeX under a note, and the importer prints a warning.
"""

from __future__ import annotations

import re

_COMMENT = re.compile(r"(?<!\\)%.*$", re.MULTILINE)
_PROBLEMNAME = re.compile(r"\\problemname\{([^{}]*)\}")
_MATH = re.compile(r"\$\$.*?\$\$|\$.*?\$|\\\(.*?\\\)|\\\[.*?\\\]", re.DOTALL)
_VERBATIM = re.compile(r"\\begin\{verbatim\}\n?(.*?)\\end\{verbatim\}", re.DOTALL)
_IMAGES = re.compile(r"\\(?:illustration|includegraphics)(?:\[[^\]]*\])?(?:\{[^{}]*\})+")
_SIMPLE = [
    (re.compile(r"\\section\*?\{([^{}]*)\}"), r"## \1"),
    (re.compile(r"\\subsection\*?\{([^{}]*)\}"), r"### \1"),
    (re.compile(r"\\(?:emph|textit)\{([^{}]*)\}"), r"*\1*"),
    (re.compile(r"\\textbf\{([^{}]*)\}"), r"**\1**"),
    (re.compile(r"\\texttt\{([^{}]*)\}"), r"`\1`"),
    (re.compile(r"\\href\{([^{}]*)\}\{([^{}]*)\}"), r"[\2](\1)"),
    (re.compile(r"\\url\{([^{}]*)\}"), r"<\1>"),
    (re.compile(r"\\begin\{(?:itemize|enumerate|center|flushleft)\}|\\end\{(?:itemize|enumerate|center|flushleft)\}"), ""),
    (re.compile(r"^\s*\\item\s*", re.MULTILINE), "- "),
    (re.compile(r"\\\\\s*$", re.MULTILINE), "  "),
    (re.compile(r"\\(?:noindent|medskip|bigskip|smallskip|newline|par)\b\s*"), ""),
    (re.compile(r"``|''"), '"'),
    (re.compile(r"---"), "\u2014"),
    (re.compile(r"(?<!-)--(?!-)"), "\u2013"),
    (re.compile(r"(?<!\\)~"), " "),
    (re.compile(r"\\([%$&_#{}])"), r"\1"),
]  # fmt: skip
_LEFTOVER = re.compile(r"\\[A-Za-z]+")


def latex_to_markdown(text: str) -> tuple[str, str, list[str]]:
    """(markdown, title from ``\\problemname``, warnings)."""
    body = _COMMENT.sub("", text.replace("\r\n", "\n"))
    title_match = _PROBLEMNAME.search(body)
    title = title_match.group(1).strip() if title_match else ""
    body = _PROBLEMNAME.sub("", body)
    warnings = []
    if _IMAGES.search(body):
        warnings.append("the LaTeX statement's images were not imported")
        body = _IMAGES.sub("", body)
    blocks: list[str] = []

    def keep(match: re.Match) -> str:
        blocks.append(match.group(0))
        return f"\x00{len(blocks) - 1}\x00"

    body = _VERBATIM.sub(lambda m: keep(_fenced(m.group(1))), body)
    body = _MATH.sub(keep, body)
    for pattern, replacement in _SIMPLE:
        body = pattern.sub(replacement, body)
    leftover = sorted(set(_LEFTOVER.findall(body)))
    if leftover:
        warnings.append(
            f"the LaTeX statement uses {', '.join(leftover[:5])}, which we do not convert: it is "
            "shown as preformatted text; edit it into Markdown in the admin"
        )
        return _preformatted(text), title, warnings
    body = re.sub(r"\x00(\d+)\x00", lambda m: blocks[int(m.group(1))], body)
    body = re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"
    return body, title, warnings


def _fenced(code: str) -> str:
    return "```\n" + code.rstrip("\n") + "\n```"


def _preformatted(text: str) -> str:
    note = "*This statement was imported from LaTeX and is shown as written.*\n\n"
    return note + "````latex\n" + text.rstrip("\n") + "\n````\n"
