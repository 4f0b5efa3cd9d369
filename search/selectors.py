"""Searching the catalogue: what a user may find, ranked, highlighted, faceted and paged.

The engine finds and ranks; the database has the last word on visibility. Every page of
results is re-read through `challenge_list(user=…)`, so a challenge unpublished a moment ago
(its index update still queued) never reaches a learner. An empty query browses the catalogue
straight from the database, so the catalogue works even before the index is built.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.utils.html import escape

from challenges.models import Challenge, ChallengeLanguage, Difficulty, Language, Repository
from challenges.selectors import User, challenge_list, user_is_staff
from search.engine import SearchUnavailable, engine_search
from search.text import MAX_QUERY_LENGTH, QueryTerms, highlight, query_clean, query_terms, snippet

MAX_PAGE_SIZE = 50
# A safety net only: catalogue changes retire cached counts at once (catalogue_version_bump).
CATALOGUE_CACHE_SECONDS = 300
CATALOGUE_VERSION_KEY = "search:catalogue-version"
SEARCH_UNAVAILABLE = (
    "Search is unavailable right now. Try again in a moment, or browse the catalogue without words."
)
MAX_TAG_FACETS = 30
FACETS = ("difficulty", "tag", "language", "repository")
FILTER_VALUE = re.compile(r"^[\w-]{1,100}$")
T = TypeVar("T")


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class SearchHit:
    challenge: Challenge
    title_html: str
    repository_html: str
    author_html: str
    snippet_html: str
    tags: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()

    @property
    def id(self) -> int:
        return self.challenge.pk


@dataclass
class SearchPage:
    query: str
    results: list[SearchHit]
    total: int
    page: int
    pages: int
    page_size: int
    filters: dict[str, str]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    message: str = ""
    truncated: bool = False
    unavailable: bool = False

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def search_filters_clean(**filters: object) -> dict[str, str]:
    """Keep filter values that could name a difficulty, tag, language or repository slug."""
    return {
        name: value
        for name, value in filters.items()
        if isinstance(value, str) and FILTER_VALUE.match(value)
    }


def challenge_search(
    *,
    user: User,
    query: str,
    difficulty: str | None = None,
    tag: str | None = None,
    language: str | None = None,
    repository: str | None = None,
    page: int = 1,
    page_size: int = 20,
) -> SearchPage:
    """Challenges matching `query` that `user` may see, with facet counts over those only."""
    clean = query_clean(query)
    truncated = isinstance(query, str) and len(query.strip()) > MAX_QUERY_LENGTH
    filters = search_filters_clean(
        difficulty=difficulty, tag=tag, language=language, repository=repository
    )
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    page = max(1, int(page))
    terms = query_terms(clean)
    if not clean:
        result = _browse(user=user, filters=filters, page=page, page_size=page_size)
    elif not terms:
        result = SearchPage(clean, [], 0, 1, 1, page_size, filters, _facet_values({}, filters))
        result.message = "Type some letters or digits to search: symbols alone match nothing."
    else:
        try:
            result = _search(
                user=user, terms=terms, filters=filters, page=page, page_size=page_size
            )
        except SearchUnavailable:
            result = SearchPage(clean, [], 0, 1, 1, page_size, filters, _facet_values({}, filters))
            result.message = SEARCH_UNAVAILABLE
            result.unavailable = True
    result.query = clean
    result.truncated = truncated
    if truncated and not result.message:
        result.message = f"Your search was cut to its first {MAX_QUERY_LENGTH} characters."
    return result


def _search(
    *, user: User, terms: QueryTerms, filters: dict[str, str], page: int, page_size: int
) -> SearchPage:
    staff = user_is_staff(user)

    def run(page: int):
        return engine_search(
            terms=terms,
            staff=staff,
            filters=filters,
            offset=(page - 1) * page_size,
            limit=page_size,
        )

    found = run(page)
    pages = max(1, math.ceil(found.total / page_size))
    if page > pages:
        page = pages
        found = run(page)
    rows = _page_rows(challenge_list(user=user).filter(pk__in=found.pks))
    hits = [_hit(row, terms) for pk in found.pks if (row := rows.get(pk)) is not None]
    facets = _facet_values(found.facets, filters)
    return SearchPage("", hits, found.total, page, pages, page_size, filters, facets)


@dataclass(frozen=True)
class _Row:
    challenge: Challenge
    tags: tuple[str, ...]
    languages: tuple[str, ...]


def _page_rows(queryset: QuerySet[Challenge]) -> dict[int, _Row]:
    """One page of challenges with their tag names and languages, by primary key.

    Names as plain values, not prefetched model instances: building ~5 objects per card was
    half the cost of a search.
    """
    challenges = {c.pk: c for c in queryset.prefetch_related(None).order_by()}
    tags: dict[int, list[str]] = {}
    for pk, name in Challenge.tags.through.objects.filter(challenge_id__in=challenges).values_list(
        "challenge_id", "tag__name"
    ):
        tags.setdefault(pk, []).append(name)
    languages: dict[int, list[str]] = {}
    for pk, language in (
        ChallengeLanguage.objects.filter(challenge_id__in=challenges)
        .order_by()
        .values_list("challenge_id", "language")
    ):
        languages.setdefault(pk, []).append(language)
    return {
        pk: _Row(c, tuple(sorted(tags.get(pk, ()))), tuple(sorted(languages.get(pk, ()))))
        for pk, c in challenges.items()
    }


def _hit(row: _Row, terms: QueryTerms) -> SearchHit:
    challenge = row.challenge
    title = highlight(challenge.title, terms)
    repository = highlight(challenge.repository.name, terms)
    author = highlight(challenge.author, terms)
    # A statement excerpt explains a match the card does not show already.
    shown = "<mark>" in title or "<mark>" in repository or "<mark>" in author
    excerpt = "" if shown else snippet(challenge.statement, terms)
    return SearchHit(challenge, title, repository, author, excerpt, row.tags, row.languages)


def _browse(*, user: User, filters: dict[str, str], page: int, page_size: int) -> SearchPage:
    """No words: the visible catalogue in its usual order, counted by the database."""
    queryset = challenge_list(user=user, **filters)
    total = queryset.values("pk").count()
    pages = max(1, math.ceil(total / page_size))
    page = min(page, pages)
    start = (page - 1) * page_size
    page_pks = list(queryset.values_list("pk", flat=True)[start : start + page_size])
    rows = _page_rows(challenge_list(user=user).filter(pk__in=page_pks))
    hits = [
        SearchHit(
            challenge=row.challenge,
            title_html=escape(row.challenge.title),
            repository_html=escape(row.challenge.repository.name),
            author_html=escape(row.challenge.author),
            snippet_html="",
            tags=row.tags,
            languages=row.languages,
        )
        for pk in page_pks
        if (row := rows.get(pk)) is not None
    ]
    facets = _browse_counts(user=user, filters=filters)
    facet_values = _facet_values(facets, filters)
    return SearchPage("", hits, total, page, pages, page_size, filters, facet_values)


def _browse_counts(*, user: User, filters: dict[str, str]) -> dict[str, dict[str, int]]:
    """Facet counts of the visible catalogue, cached until the catalogue next changes.

    Counting joins every visible challenge with its tags and languages (~40 ms at 10,000
    challenges).
    """

    def visible(without: str) -> QuerySet[Challenge]:
        """Each facet is counted without its own filter, so its other values stay reachable."""
        others = {k: v for k, v in filters.items() if k != without}
        return challenge_list(user=user, **others).order_by()

    columns = {
        "difficulty": "difficulty",
        "tag": "tags__name",
        "language": "languages__language",
        "repository": "repository__slug",
    }

    def count() -> dict[str, dict[str, int]]:
        return {
            name: {
                value: n
                for value, n in visible(name)
                .values_list(column)
                .annotate(n=Count("pk", distinct=True))
                if value is not None
            }
            for name, column in columns.items()
        }

    scope = (user_is_staff(user), sorted(filters.items()))
    return _catalogue_cached("browse-counts", scope, count)


def _repository_names() -> dict[str, str]:
    """Every repository's name by slug (the repository facet's labels), cached likewise."""
    return _catalogue_cached(
        "repository-names",
        (),
        lambda: dict(Repository.objects.order_by("name").values_list("slug", "name")),
    )


def _catalogue_cached(kind: str, scope: object, compute: Callable[[], T]) -> T:
    """`compute()`, cached until the catalogue next changes.

    Any save or delete of a challenge, repository, language or tag retires every entry
    (`catalogue_version_bump`); entries also expire on their own in case a bulk write skipped
    signals. When the cache is down, `compute()` answers every time.
    """
    key = _catalogue_key(kind, scope)
    try:
        cached = cache.get(key) if key else None
    except Exception:
        key, cached = None, None
    if cached is not None:
        return cached
    value = compute()
    if key:
        with contextlib.suppress(Exception):
            cache.set(key, value, CATALOGUE_CACHE_SECONDS)
    return value


def _catalogue_key(kind: str, scope: object) -> str | None:
    try:
        version = cache.get(CATALOGUE_VERSION_KEY)
        if version is None:  # a new or emptied cache: start a version
            cache.add(CATALOGUE_VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(CATALOGUE_VERSION_KEY)
    except Exception:
        return None
    database = settings.DATABASES["default"]["NAME"]
    digest = hashlib.sha256(repr((str(database), scope)).encode()).hexdigest()[:32]
    return f"search:{kind}:{version}:{digest}"


def _facet_values(
    counts: dict[str, dict[str, int]], filters: dict[str, str]
) -> dict[str, list[FacetValue]]:
    """Facet counts in display order; a selected value stays listed even when it counts 0."""
    labels = {
        "difficulty": dict(Difficulty.choices),
        "language": dict(Language.choices),
        "repository": _repository_names(),
    }
    facets: dict[str, list[FacetValue]] = {}
    for name in FACETS:
        found = dict(counts.get(name, {}))
        selected = filters.get(name)
        if selected and selected not in found:
            found[selected] = 0
        if name in labels:
            order = list(labels[name])
            values = sorted(found, key=lambda v: (order.index(v) if v in order else len(order), v))
        else:
            values = sorted(found, key=lambda v: (-found[v], v))[:MAX_TAG_FACETS]
            if selected and selected not in values:
                values.append(selected)
        facets[name] = [
            FacetValue(v, labels.get(name, {}).get(v, v), found[v], v == selected) for v in values
        ]
    return facets


def search_params(data) -> dict:
    """`challenge_search` keyword arguments from query parameters; anything malformed is ignored."""

    def number(name: str, default: int) -> int:
        try:
            return int(data.get(name, default))
        except (TypeError, ValueError):
            return default

    params = {name: data.get(name) or None for name in ("difficulty", "tag", "language")}
    params["repository"] = data.get("repository") or None
    return params | {
        "query": data.get("q", ""),
        "page": min(max(number("page", 1), 1), 10_000),
        "page_size": number("page_size", 20),
    }
