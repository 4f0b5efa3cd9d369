"""The search engines behind `challenge_search`.

Whoosh (the embedded default) is queried natively: whoosh query objects built from the words
(never parsed syntax), constant scores per field so a name match always outranks a repository
match, which outranks an author, tag and statement match (exact > prefix > typo in a field),
one pass that both ranks the page and collects every visible match for the facet counts, and
per-value document sets cached until the index changes. That keeps a query in a few ms.

Any other haystack engine (Elasticsearch 7 when SEARCH_URL is http://…) gets the same query as
Lucene syntax through `SearchQuerySet`, with haystack's facets; see `HaystackEngine`.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from django.conf import settings
from haystack import connections
from haystack.inputs import Raw
from haystack.query import SearchQuerySet
from whoosh import collectors
from whoosh.query import And as WhooshAnd
from whoosh.query import (
    ConstantScoreQuery,
    FuzzyTerm,
    Or,
    Prefix,
    Query,
    Term,
)

from challenges.models import Challenge
from search.text import QueryTerms, typo_budget

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
PREFIX_FACTOR = 0.6
TYPO_FACTOR = 0.3
FACET_FIELDS = {"difficulty": "difficulty", "tag": "tags", "language": "languages"}
FILTER_FIELDS = FACET_FIELDS | {"repository": "repository_slug"}


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
    engine = settings.HAYSTACK_CONNECTIONS["default"]["ENGINE"]
    return engine.endswith("WhooshEngine") and getattr(settings, "SEARCH_NATIVE_WHOOSH", True)


def engine_search(
    *, terms: QueryTerms, staff: bool, filters: dict[str, str], offset: int, limit: int
) -> EngineResult:
    engine = WhooshEngine.current() if engine_is_whoosh() else HaystackEngine()
    return engine.search(terms=terms, staff=staff, filters=filters, offset=offset, limit=limit)


# --- Whoosh ---------------------------------------------------------------------------------


class _Snapshot:
    """Document sets of one index generation: what is a challenge, published, of each value."""

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        docs = searcher.docs_for_query
        reader = searcher.reader()
        self.challenges = set(docs(Term("django_ct", CHALLENGE_CT)))
        self.published = set(docs(Term("published", True))) & self.challenges
        self.values: dict[str, dict[str, set[int]]] = {}
        for index_field in FILTER_FIELDS.values():
            values = {}
            if index_field in reader.indexed_field_names():
                for value in reader.field_terms(index_field):
                    values[value] = set(docs(Term(index_field, value))) & self.challenges
            self.values[index_field] = values


class _FacetingCollector(collectors.WrappingCollector):
    """Ranks only documents passing every filter, but remembers all visible matches for facets."""

    def __init__(self, child, visible: set[int], allowed: set[int]) -> None:
        super().__init__(child)
        self.visible = visible
        self.allowed = allowed
        self.matched: list[int] = []
        self.allowed_count = 0

    def collect_matches(self) -> None:
        child, offset = self.child, self.offset
        visible, allowed, matched = self.visible, self.allowed, self.matched
        for sub_docnum in child.matches():
            docnum = offset + sub_docnum
            if docnum in visible:
                matched.append(docnum)
                if docnum in allowed:
                    self.allowed_count += 1
                    child.collect(sub_docnum)


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
        path = settings.HAYSTACK_CONNECTIONS["default"]["PATH"]
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

    def word_query(self, word: str, *, last: bool) -> Query | None:
        budget = typo_budget(word)
        per_field: list[Query] = []
        for index_field, weight in FIELD_WEIGHTS:
            token = self._token(index_field, word)
            if not token:
                continue
            options: list[Query] = [ConstantScoreQuery(Term(index_field, token), weight)]
            if last:
                auto = PREFIX_FIELDS.get(index_field)
                if auto and 2 <= len(word) <= NGRAM_MAX:
                    prefix = Term(auto, word)
                elif index_field != "text" or len(token) >= 3:
                    prefix = Prefix(index_field, token)
                else:
                    prefix = None
                if prefix is not None:
                    options.append(ConstantScoreQuery(prefix, weight * PREFIX_FACTOR))
            if budget and index_field != "tags":
                fuzzy = FuzzyTerm(index_field, token, maxdist=budget, prefixlength=1)
                options.append(ConstantScoreQuery(fuzzy, weight * TYPO_FACTOR))
            # Or, not DisjunctionMax: whoosh 2.7's DisjunctionMaxMatcher.score() takes the max of
            # sub-matchers sitting on different documents. An exact word also matches as prefix
            # and typo, so the sums keep exact > prefix > typo and the tiers apart (see above).
            per_field.append(Or(options) if len(options) > 1 else options[0])
        return Or(per_field) if per_field else None

    def query(self, terms: QueryTerms) -> Query | None:
        words = [
            self.word_query(word, last=i == len(terms.words) - 1)
            for i, word in enumerate(terms.words)
        ]
        words = [q for q in words if q is not None]
        if not words:
            return None
        return WhooshAnd(words) if len(words) > 1 else words[0]

    def search(
        self, *, terms: QueryTerms, staff: bool, filters: dict[str, str], offset: int, limit: int
    ) -> EngineResult:
        snap = self.snapshot
        visible = snap.challenges if staff else snap.published
        filter_sets = {
            name: snap.values[FILTER_FIELDS[name]].get(value, set())
            for name, value in filters.items()
        }
        allowed = visible
        for docs in filter_sets.values():
            allowed = allowed & docs
        query = self.query(terms)
        if query is None:
            return EngineResult([], 0, {})
        top = collectors.TopCollector(limit=offset + limit, usequality=False, replace=0)
        collector = _FacetingCollector(top, visible, allowed)
        searcher = snap.searcher
        searcher.search_with_collector(query, collector)
        ranked = collector.results().top_n[offset : offset + limit]
        pks = [int(searcher.stored_fields(docnum)["django_id"]) for _, docnum in ranked]
        matched = set(collector.matched)
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
        return EngineResult(pks, collector.allowed_count, facets)


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
            sqs = sqs.narrow(f'{FILTER_FIELDS[name]}_exact:"{sqs.query.clean(value)}"')
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
        return "(" + " OR ".join(parts) + ")"
