"""The search engines behind `challenge_search`.

Whoosh (the embedded default) is queried natively: the words (never parsed syntax) are looked
up in the index's term lexicons and postings, exact, as prefixes (bisect on the sorted lexicon)
and within a typo budget, and scored with constant weights per field so a name match always
outranks a repository match, which outranks an author, tag and statement match (exact > prefix
> typo in a field). Postings, expansions and per-value document sets are cached until the index
changes, so facets are set intersections and as-you-type keystrokes reuse each other's work.

Any other haystack engine (Elasticsearch 7 when SEARCH_URL is http://…) gets the same query as
Lucene syntax through `SearchQuerySet`, with haystack's facets; see `HaystackEngine`.
"""

from __future__ import annotations

import heapq
import logging
import threading
from bisect import bisect_left
from dataclasses import dataclass, field

from django.conf import settings
from haystack import connections
from haystack.inputs import Raw
from haystack.query import SearchQuerySet
from whoosh.query import (
    Term,
)

from challenges.models import Challenge
from search.text import QueryTerms, edit_distance, typo_budget, typo_prefix_length

logger = logging.getLogger(__name__)

CHALLENGE_CT = "challenges.challenge"
# Field → constant score. A field scores the sum of what matched in it: exact (1) + prefix
# (PREFIX_FACTOR) + typo (TYPO_FACTOR), at most 1.9 × weight. The weakest match in a tier
# (a typo: 0.3 × weight) still beats every lower tier together, so the order name → repository
# → author → tags → statement holds whatever else matches.
FIELD_WEIGHTS = (
    ("title", 10000.0),
    ("repository", 1000.0),
    ("author", 100.0),
    ("tags", 10.0),
    ("text", 1.0),
)
PREFIX_FIELDS = {"title": "title_auto", "repository": "repository_auto", "author": "author_auto"}
NGRAM_MAX = 15  # haystack's edge n-grams stop at 15 characters
MAX_EXPANSIONS = 500  # terms a prefix or typo may expand to (Elasticsearch's default is 50)
PREFIX_FACTOR = 0.6
TYPO_FACTOR = 0.3
FACET_FIELDS = {
    "difficulty": "difficulty",
    "tag": "tags",
    "language": "languages",
    "repository": "repository_slug",
}


@dataclass
class EngineResult:
    pks: list[int]  # the requested slice, best first
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


_local = threading.local()


def engine_reset(setting: str | None = None, value=None, **kwargs) -> None:
    """Forget cached searchers; re-point haystack when HAYSTACK_CONNECTIONS changes."""
    if setting not in (None, "HAYSTACK_CONNECTIONS"):
        return
    for engine in _local.__dict__.pop("engines", {}).values():
        engine.snapshot.searcher.close()
    if setting == "HAYSTACK_CONNECTIONS":
        connections.connections_info = value
        connections.thread_local = threading.local()


def engine_is_whoosh() -> bool:
    engine = str(settings.HAYSTACK_CONNECTIONS["default"]["ENGINE"])
    return engine.endswith("WhooshEngine") and getattr(settings, "SEARCH_NATIVE_WHOOSH", True)


class SearchUnavailable(Exception):
    """The engine could not answer (Elasticsearch down, index unreadable)."""


def engine_search(
    *, terms: QueryTerms, staff: bool, filters: dict[str, str], offset: int, limit: int
) -> EngineResult:
    """Ranked page and facet counts; raises SearchUnavailable rather than any engine error."""
    try:
        engine = WhooshEngine.current() if engine_is_whoosh() else HaystackEngine()
        return engine.search(terms=terms, staff=staff, filters=filters, offset=offset, limit=limit)
    except Exception as exc:
        logger.warning("the search engine failed: %s", exc, exc_info=True)
        raise SearchUnavailable(str(exc)) from exc


# --- Whoosh ---------------------------------------------------------------------------------


class _Snapshot:
    """One index generation: document sets, term lexicons and postings, cached as used.

    Queries are answered with set arithmetic on these (Whoosh's own matchers re-expand prefixes
    and typos on every query and cost ~10× more), so as-you-type keystrokes reuse the work.
    """

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.fields = set(self.reader.indexed_field_names())
        self._lexicons: dict[str, list[str]] = {}
        self._postings: dict[tuple[str, str], set[int]] = {}
        self._expansions: dict[tuple, set[int]] = {}
        self.challenges = self.docs("django_ct", CHALLENGE_CT)
        self.published = set(searcher.docs_for_query(Term("published", True))) & self.challenges
        self.values: dict[str, dict[str, set[int]]] = {
            index_field: {
                value: self.docs(index_field, value) & self.challenges
                for value in self.lexicon(index_field)
            }
            for index_field in FACET_FIELDS.values()
        }

    def lexicon(self, index_field: str) -> list[str]:
        if index_field not in self._lexicons:
            terms = self.reader.field_terms(index_field) if index_field in self.fields else []
            self._lexicons[index_field] = sorted(terms)
        return self._lexicons[index_field]

    def docs(self, index_field: str, term: str) -> set[int]:
        key = (index_field, term)
        if key not in self._postings:
            self._postings[key] = set(self.searcher.docs_for_query(Term(index_field, term)))
        return self._postings[key]

    def prefixed(self, index_field: str, prefix: str) -> set[int]:
        key = ("prefix", index_field, prefix)
        if key not in self._expansions:
            lexicon = self.lexicon(index_field)
            start = bisect_left(lexicon, prefix)
            end = bisect_left(lexicon, prefix + "\U0010ffff", start)
            terms = lexicon[start : min(end, start + MAX_EXPANSIONS)]
            self._expansions[key] = set().union(*(self.docs(index_field, t) for t in terms))
        return self._expansions[key]

    def near(self, index_field: str, token: str, budget: int, *, prefix: bool) -> set[int]:
        """Documents with a term within `budget` edits of `token` (same first letter), or with
        `prefix`, a term that starts within `budget` edits of it (the word being typed)."""
        key = ("typo", index_field, token, budget, prefix)
        if key not in self._expansions:
            lexicon = self.lexicon(index_field)
            start = bisect_left(lexicon, token[0])
            end = bisect_left(lexicon, token[0] + "\U0010ffff", start)
            terms = [
                term
                for term in lexicon[start:end]
                if (prefix and typo_prefix_length(token, term, budget))
                or (
                    abs(len(term) - len(token)) <= budget
                    and edit_distance(term, token, budget) <= budget
                )
            ][:MAX_EXPANSIONS]
            self._expansions[key] = set().union(*(self.docs(index_field, t) for t in terms))
        return self._expansions[key]


class WhooshEngine:
    """One per thread and index path; Whoosh searchers are cheap to refresh, not to reopen."""

    def __init__(self, path: str) -> None:
        self.path = path
        backend = connections["default"].get_backend()
        if not backend.setup_complete:
            backend.setup()
        self.schema = backend.schema
        self.snapshot = _Snapshot(backend.index.searcher())

    @classmethod
    def current(cls) -> WhooshEngine:
        path = str(settings.HAYSTACK_CONNECTIONS["default"]["PATH"])
        engines: dict[str, WhooshEngine] = _local.__dict__.setdefault("engines", {})
        engine = engines.get(path)
        if engine is not None:
            try:
                engine.refresh()
                return engine
            except Exception:  # the index was cleared or rebuilt under us: reopen it
                logger.info("reopening the search index at %s", path, exc_info=True)
                connections.reload("default")
        engine = engines[path] = cls(path)
        return engine

    def refresh(self) -> None:
        searcher = self.snapshot.searcher
        if not searcher.up_to_date():
            self.snapshot = _Snapshot(searcher.refresh())

    def _token(self, index_field: str, word: str) -> str | None:
        if index_field not in self.schema:
            return None
        tokens = [token.text for token in self.schema[index_field].analyzer(word)]
        return tokens[0] if tokens else None

    def word_scores(self, word: str, *, last: bool) -> dict[int, float]:
        """Document → score for one word: the sum over fields of exact, prefix and typo hits."""
        snap = self.snapshot
        budget = typo_budget(word)
        scores: dict[int, float] = {}
        for index_field, weight in FIELD_WEIGHTS:
            token = self._token(index_field, word)
            if not token or index_field not in snap.fields:
                continue
            parts = [(snap.docs(index_field, token), weight)]
            prefix = last and (index_field != "text" or len(token) >= 3)
            if prefix:
                parts.append((snap.prefixed(index_field, token), weight * PREFIX_FACTOR))
            if budget and index_field != "tags":
                near = snap.near(index_field, token, budget, prefix=prefix)
                parts.append((near, weight * TYPO_FACTOR))
            for docs, score in parts:
                for docnum in docs:
                    scores[docnum] = scores.get(docnum, 0.0) + score
        return scores

    def scores(self, terms: QueryTerms) -> dict[int, float]:
        """Every word must match somewhere (AND); scores add up."""
        combined: dict[int, float] | None = None
        for i, word in enumerate(terms.words):
            scores = self.word_scores(word, last=i == len(terms.words) - 1)
            if combined is None:
                combined = scores
            else:
                small, large = sorted((combined, scores), key=len)
                combined = {d: s + large[d] for d, s in small.items() if d in large}
            if not combined:
                return {}
        return combined or {}

    def search(
        self, *, terms: QueryTerms, staff: bool, filters: dict[str, str], offset: int, limit: int
    ) -> EngineResult:
        snap = self.snapshot
        visible = snap.challenges if staff else snap.published
        filter_sets = {
            name: snap.values[FACET_FIELDS[name]].get(value, set())
            for name, value in filters.items()
        }
        scores = self.scores(terms)
        matched = visible.intersection(scores)
        allowed = matched
        for docs in filter_sets.values():
            allowed = allowed & docs
        # Best score first; ties in index order, as Whoosh would.
        ranked = heapq.nsmallest(offset + limit, allowed, key=lambda d: (-scores[d], d))
        stored = snap.searcher.stored_fields
        pks = [int(stored(docnum)["django_id"]) for docnum in ranked[offset:]]
        facets = {}
        for name, index_field in FACET_FIELDS.items():
            base = matched
            for other, docs in filter_sets.items():
                if other != name:
                    base = base & docs
            counts = {}
            for value, docs in snap.values[index_field].items():
                count = len(docs & base) if base else 0
                if count:
                    counts[value] = count
            facets[name] = counts
        return EngineResult(pks, len(allowed), facets)


# --- Any haystack engine (Elasticsearch) ------------------------------------------------------


class HaystackEngine:
    """The same ranking as Lucene query syntax: `field:word^w`, `field:word~n`, edge n-grams.

    Words are letters and digits only (search.text), so nothing in them is query syntax.
    Facet counts come from the engine's facets, one request per facet when a filter is set so
    each facet is counted without its own filter.
    """

    def search(
        self, *, terms: QueryTerms, staff: bool, filters: dict[str, str], offset: int, limit: int
    ) -> EngineResult:
        clauses = [self.word_clause(word, last=i == len(terms.words) - 1) for i, word in enumerate(terms.words)]  # fmt: skip
        base = SearchQuerySet().models(Challenge).filter(content=Raw(" AND ".join(clauses)))
        if not staff:
            base = base.narrow("published:true")
        sqs = self.narrowed(base, filters)
        pks = [int(result.pk) for result in sqs[offset : offset + limit]]
        facets = {}
        for name, index_field in FACET_FIELDS.items():
            others = {k: v for k, v in filters.items() if k != name}
            counts = self.narrowed(base, others).facet(f"{index_field}_exact").facet_counts()
            pairs = counts.get("fields", {}).get(f"{index_field}_exact", [])
            facets[name] = {str(value): count for value, count in pairs if value and count}
        return EngineResult(pks, sqs.count(), facets)

    @staticmethod
    def narrowed(sqs: SearchQuerySet, filters: dict[str, str]) -> SearchQuerySet:
        for name, value in sorted(filters.items()):
            sqs = sqs.narrow(f'{FACET_FIELDS[name]}_exact:"{sqs.query.clean(value)}"')
        return sqs

    @staticmethod
    def word_clause(word: str, *, last: bool) -> str:
        budget = typo_budget(word)
        parts = []
        for index_field, weight in FIELD_WEIGHTS:
            # `field:(term)^boost`: both Lucene and Whoosh read it (Whoosh misparses `a~1^2`).
            parts.append(f"{index_field}:({word})^{weight:g}")
            if last and index_field in PREFIX_FIELDS and len(word) >= 2:
                auto, prefix = PREFIX_FIELDS[index_field], word[:NGRAM_MAX]
                parts.append(f"{auto}:({prefix})^{weight * PREFIX_FACTOR:g}")
            if budget and index_field != "tags":
                parts.append(f"{index_field}:({word}~{budget})^{weight * TYPO_FACTOR:g}")
            if budget and last and index_field in PREFIX_FIELDS:
                # A fuzzy term on the edge n-grams is a fuzzy prefix: a typo in the word being
                # typed. Elasticsearch honours it; Whoosh's parser drops fuzziness on n-gram
                # fields (an exact n-gram lookup, harmless), hence the native Whoosh path.
                auto = PREFIX_FIELDS[index_field]
                parts.append(f"{auto}:({word[:NGRAM_MAX]}~{budget})^{weight * TYPO_FACTOR:g}")
        return "(" + " OR ".join(parts) + ")"
