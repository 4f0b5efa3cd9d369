"""What a typed query means, and how matches are marked up; shared by every search engine.

A query is never parsed as query syntax: it is cut into words, so quotes, brackets, `*:~^` and
the like can neither break a search nor widen it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import escape
from whoosh.analysis import STOP_WORDS
from whoosh.lang.porter import stem as porter_stem
from whoosh.support.charset import accent_map

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
MAX_WORD_LENGTH = 40
FUZZY_ONE_FROM = 4  # one typo from 4 letters, two from 8 (as Algolia)
FUZZY_TWO_FROM = 8
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class QueryTerms:
    """The words of a query; the last one may still be being typed, so it also matches prefixes."""

    words: tuple[str, ...]

    @property
    def last(self) -> str:
        return self.words[-1]

    def __bool__(self) -> bool:
        return bool(self.words)


def fold(text: str) -> str:
    """Lower-case and strip accents the way the name fields are indexed."""
    return text.lower().translate(accent_map)


def query_clean(raw: object) -> str:
    """Normalise what was typed: printable text, single spaces, at most MAX_QUERY_LENGTH."""
    if not isinstance(raw, str):
        return ""
    text = unicodedata.normalize("NFKC", raw[: MAX_QUERY_LENGTH * 4])
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def query_terms(clean: str) -> QueryTerms:
    words: list[str] = []
    for word in WORD.findall(fold(clean)):
        word = word.strip("_")[:MAX_WORD_LENGTH]
        if word and word not in words:
            words.append(word)
    if len(words) > 1:
        # Stop words and single letters only narrow a search; the last word is kept because
        # it may be the start of a longer one ("of" → "offset").
        kept = [w for w in words[:-1] if w not in STOP_WORDS and len(w) > 1] + words[-1:]
        words = kept or words
    return QueryTerms(tuple(words[:MAX_WORDS]))


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return porter_stem(word)


def typo_budget(word: str) -> int:
    if len(word) >= FUZZY_TWO_FROM:
        return 2
    if len(word) >= FUZZY_ONE_FROM:
        return 1
    return 0


def _edit_row(a: str, b: str, limit: int) -> list[int] | None:
    """The last row of the Levenshtein table of `a` against `b`: entry j is the distance from
    `a` to `b[:j]`. None once every entry of a row exceeds `limit` (no need to go on)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return None
        previous = current
    return previous


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    row = _edit_row(a, b, limit)
    return row[-1] if row is not None else limit + 1


def typo_prefix_length(typed: str, word: str, limit: int) -> int:
    """The length of the shortest prefix of `word` within `limit` edits of `typed`, else 0.

    The last word of a query is still being typed, so typos count against what it may become:
    "fizbuz" is one edit from "fizzbuz", the start of "fizzbuzz".
    """
    if not typed or typed[:1] != word[:1]:
        return 0
    row = _edit_row(typed, word[: len(typed) + limit], limit)
    if row is None or min(row) > limit:
        return 0
    return row.index(min(row))


@lru_cache(maxsize=100_000)  # statements repeat words; highlighting a page re-asks a lot
def word_match(word: str, terms: QueryTerms) -> int:
    """How many leading characters of an indexed word to mark (0: the word did not match)."""
    for position, query_word in enumerate(terms.words):
        if word == query_word or (len(query_word) > 2 and stem(word) == stem(query_word)):
            return len(word)
        last = position == len(terms.words) - 1
        if last and word.startswith(query_word):
            return len(query_word)
        budget = typo_budget(query_word)
        if not budget or word[:1] != query_word[:1]:
            continue
        if edit_distance(word, query_word, budget) <= budget:
            return len(word)
        if last and (length := typo_prefix_length(query_word, word, budget)):
            return length
    return 0


def highlight(text: str, terms: QueryTerms) -> str:
    """HTML of `text` with the matching words in <mark>; everything else escaped."""
    if not terms or not text:
        return escape(text)
    out: list[str] = []
    position = 0
    for match in WORD.finditer(text):
        word = match.group()
        folded = fold(word)
        marked = word_match(folded, terms)
        if not marked:
            continue
        if len(folded) != len(word):  # folding changed the length ("ß" → "ss"): mark it all
            marked = len(word)
        start = match.start()
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(word[:marked])}</mark>{escape(word[marked:])}")
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)


def snippet(text: str, terms: QueryTerms, width: int = 160) -> str:
    """A highlighted excerpt of `text` around its first match, or "" if nothing matches."""
    text = " ".join(text.split())
    for match in WORD.finditer(text):
        if word_match(fold(match.group()), terms):
            start = max(0, match.start() - width // 3)
            if start:
                space = text.find(" ", start)
                start = space + 1 if 0 <= space < match.start() else start
            end = min(len(text), start + width)
            if end < len(text):
                space = text.rfind(" ", start, end)
                end = space if space > match.end() else end
            prefix = "…" if start else ""
            suffix = "…" if end < len(text) else ""
            return f"{prefix}{highlight(text[start:end], terms)}{suffix}"
    return ""
