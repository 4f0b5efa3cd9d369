"""Catalogue search: ranking, typos, prefixes, facets, visibility and highlighting.

Each test builds its own Whoosh index (tests/conftest.py gives every test a fresh directory) from
the database with `manage.py rebuild_index`, then searches through the selector.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from challenges.models import ChallengeLanguage, Tag
from search.selectors import challenge_search
from tests.factories import ChallengeFactory, RepositoryFactory

pytestmark = pytest.mark.django_db

ANON = AnonymousUser()


def titles(page) -> list[str]:
    return [hit.challenge.title for hit in page.results]


def search(query: str, user=ANON, **kwargs):
    return challenge_search(user=user, query=query, **kwargs)


@pytest.fixture
def ranked(reindex):
    """One challenge per place "knapsack" can appear, created in the reverse of rank order."""
    statement = ChallengeFactory(title="Bag Packing", statement="Solve it as a knapsack.")
    author = ChallengeFactory(title="Coin Change", author="knapsack")
    repository = ChallengeFactory(
        title="Rod Cutting", repository=RepositoryFactory(name="Knapsack Classics")
    )
    name = ChallengeFactory(title="Knapsack Problem")
    reindex()
    return [name, repository, author, statement]


@pytest.mark.parametrize("native", [True, False], ids=["whoosh-native", "haystack-generic"])
def test_name_beats_repository_beats_author_beats_statement(ranked, settings, native):
    settings.SEARCH_NATIVE_WHOOSH = native
    assert titles(search("knapsack")) == [c.title for c in ranked]


def test_exact_ranks_above_typo_within_the_same_field(reindex):
    ChallengeFactory(title="Knapsak Variant")  # literally spelled with the typo
    ChallengeFactory(title="Knapsack Problem")
    reindex()
    assert titles(search("knapsack")) == ["Knapsack Problem", "Knapsak Variant"]


def test_one_typo_from_four_letters(ranked):
    assert "Knapsack Problem" in titles(search("knapsak"))  # missing letter
    assert "Knapsack Problem" in titles(search("knapsakc"))  # two edits, 8 letters


def test_two_typos_need_eight_letters(reindex):
    ChallengeFactory(title="Knapsack Problem")
    reindex()
    assert titles(search("knupsak")) == []  # 7 letters, two edits
    assert titles(search("knupsakk")) == ["Knapsack Problem"]  # 8 letters, two edits


def test_short_words_are_not_fuzzed(reindex):
    ChallengeFactory(title="Sum Game", statement="Add.")
    reindex()
    assert titles(search("sum")) == ["Sum Game"]
    assert titles(search("sun")) == []  # one edit away but only three letters
    assert titles(search("gamr")) == ["Sum Game"]  # four letters: one typo allowed


def test_a_typo_in_the_word_being_typed_still_finds_its_completion(reindex):
    """ "fizbuz" is one edit from "fizzbuz", the start of "fizzbuzz"; a finished word with two
    edits in seven letters stays too far off (see test_two_typos_need_eight_letters)."""
    ChallengeFactory(title="FizzBuzz Remix", statement="Print numbers.")
    ChallengeFactory(title="Fibonacci Numbers", statement="Print numbers.")
    reindex()
    assert titles(search("fizbuz")) == ["FizzBuzz Remix"]
    assert titles(search("fizbuz remix")) == []  # only the last word is still being typed
    assert titles(search("remix fizbuz")) == ["FizzBuzz Remix"]
    assert titles(search("fizbu")) == ["FizzBuzz Remix"]


def test_a_typo_in_the_word_being_typed_is_highlighted_up_to_where_it_matched(reindex):
    ChallengeFactory(title="FizzBuzz Remix")
    reindex()
    assert search("fizbuz").results[0].title_html == "<mark>FizzBuz</mark>z Remix"


def test_prefix_of_the_last_word_matches_as_you_type(ranked):
    page = search("knap")
    assert titles(page)[0] == "Knapsack Problem"
    assert page.results[0].title_html == "<mark>Knap</mark>sack Problem"
    assert titles(search("knapsack pro")) == ["Knapsack Problem"]
    assert titles(search("k"))[0] == "Knapsack Problem"  # one letter still prefixes names


def test_every_word_must_match_somewhere(ranked):
    assert titles(search("knapsack cutting")) == ["Rod Cutting"]


def test_highlights_are_html_safe(reindex):
    ChallengeFactory(title="<script>alert(1)</script> Knapsack & Co", author="a<b>")
    reindex()
    hit = search("knapsack").results[0]
    assert hit.title_html == (
        "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Knapsack</mark> &amp; Co"
    )
    assert hit.author_html == "a&lt;b&gt;"


def test_statement_match_gets_a_highlighted_snippet(reindex):
    ChallengeFactory(title="Bags", statement="Intro. " * 40 + "Then solve the knapsack case.")
    reindex()
    snippet = search("knapsack").results[0].snippet_html
    assert "<mark>knapsack</mark>" in snippet and snippet.startswith("…")


def test_facets_count_matches_per_value(reindex):
    python = ChallengeFactory(title="Graph Walk", difficulty="easy")
    python.tags.add(Tag.objects.create(name="graphs"))
    cpp = ChallengeFactory(title="Graph Colouring", difficulty="hard")
    ChallengeLanguage.objects.create(challenge=cpp, language="cpp")
    cpp.tags.add(Tag.objects.get(name="graphs"), Tag.objects.create(name="greedy"))
    ChallengeFactory(title="Unrelated Thing", difficulty="medium")
    reindex()

    page = search("graph")
    counts = {name: {f.value: f.count for f in values} for name, values in page.facets.items()}
    assert counts == {
        "difficulty": {"easy": 1, "hard": 1},
        "tag": {"graphs": 2, "greedy": 1},
        "language": {"python": 2, "cpp": 1},
        "repository": {python.repository.slug: 1, cpp.repository.slug: 1},
    }
    assert page.total == 2


def test_repository_facet_is_labelled_with_names_and_counted_without_its_own_filter(reindex):
    shared = RepositoryFactory(name="Zeta Graphs")
    ChallengeFactory(title="Graph Walk", repository=shared)
    ChallengeFactory(title="Graph Cut", repository=shared)
    other = ChallengeFactory(title="Graph Paint", repository=RepositoryFactory(name="Alpha Set"))
    reindex()
    for query in ("graph", ""):  # the engine's counts and the database's alike
        page = search(query, repository=shared.slug)
        assert sorted(titles(page)) == ["Graph Cut", "Graph Walk"]
        facet = [(f.value, f.label, f.count, f.selected) for f in page.facets["repository"]]
        assert facet == [
            (other.repository.slug, "Alpha Set", 1, False),
            (shared.slug, "Zeta Graphs", 2, True),
        ], query


def test_filters_narrow_results_and_facets_stay_switchable(reindex):
    ChallengeFactory(title="Graph Walk", difficulty="easy")
    ChallengeFactory(title="Graph Colouring", difficulty="hard")
    reindex()
    page = search("graph", difficulty="hard")
    assert titles(page) == ["Graph Colouring"]
    difficulty = {f.value: (f.count, f.selected) for f in page.facets["difficulty"]}
    # Counted without its own filter, so "easy" is still offered with its count.
    assert difficulty == {"easy": (1, False), "hard": (1, True)}
    assert page.facets["language"][0].count == 1  # other facets follow the filter


def test_browse_without_words_lists_and_counts_from_the_database(reindex):
    ChallengeFactory(title="Alpha", difficulty="easy")
    ChallengeFactory(title="Beta", difficulty="hard")
    ChallengeFactory(title="Gamma draft", difficulty="hard", published=False)
    # Not indexed at all: browsing does not need the index.
    page = search("", difficulty="hard")
    assert titles(page) == ["Beta"]
    assert {f.value: f.count for f in page.facets["difficulty"]} == {"easy": 1, "hard": 1}


def browse_counts(**filters) -> dict[str, dict[str, int]]:
    page = search("", **filters)
    return {name: {f.value: f.count for f in values} for name, values in page.facets.items()}


def test_browse_counts_are_cached_until_the_catalogue_changes(django_assert_max_num_queries):
    """A repeated browse skips the counting queries; every kind of change shows at once."""
    challenge = ChallengeFactory(title="Alpha", difficulty="easy")
    assert browse_counts()["difficulty"] == {"easy": 1}
    # total, page ids, page rows, their tags, their languages; not the 3 counting queries
    with django_assert_max_num_queries(5):
        assert browse_counts()["difficulty"] == {"easy": 1}

    challenge.published = False
    challenge.save()
    assert browse_counts()["difficulty"] == {}, "an unpublished challenge leaves the counts"
    challenge.published = True
    challenge.save()
    challenge.tags.add(Tag.objects.create(name="graphs"))
    assert browse_counts()["tag"] == {"graphs": 1}
    ChallengeLanguage.objects.create(challenge=challenge, language="cpp")
    assert browse_counts()["language"] == {"cpp": 1, "python": 1}
    challenge.tags.clear()
    assert browse_counts()["tag"] == {}
    challenge.delete()
    assert browse_counts()["difficulty"] == {}


def test_browse_counts_without_a_cache_come_from_the_database(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    ChallengeFactory(title="Alpha", difficulty="hard")
    assert browse_counts()["difficulty"] == {"hard": 1}


def test_drafts_are_invisible_to_learners_and_visible_to_staff(reindex, user, staff_user):
    ChallengeFactory(title="Knapsack Draft", published=False, difficulty="hard")
    ChallengeFactory(title="Knapsack Public", difficulty="easy")
    reindex()
    for learner in (ANON, user):
        page = search("knapsack", user=learner)
        assert titles(page) == ["Knapsack Public"] and page.total == 1
        assert {f.value for f in page.facets["difficulty"]} == {"easy"}
    staff = search("knapsack", user=staff_user)
    assert sorted(titles(staff)) == ["Knapsack Draft", "Knapsack Public"]
    assert {f.value: f.count for f in staff.facets["difficulty"]} == {"easy": 1, "hard": 1}


@pytest.mark.parametrize("native", [True, False], ids=["whoosh-native", "haystack-generic"])
def test_both_engines_hide_drafts_from_learners(reindex, settings, user, staff_user, native):
    settings.SEARCH_NATIVE_WHOOSH = native
    ChallengeFactory(title="Knapsack Draft", published=False)
    ChallengeFactory(title="Knapsack Public")
    reindex()
    page = search("knapsack", user=user)
    assert (titles(page), page.total) == (["Knapsack Public"], 1)
    assert search("knapsack", user=staff_user).total == 2


def test_a_stale_index_never_leaks_a_just_unpublished_challenge(reindex, user):
    challenge = ChallengeFactory(title="Knapsack Secret")
    reindex()
    challenge.published = False
    challenge.save()  # the index update is queued, not done: the index still says published
    assert titles(search("knapsack", user=user)) == []


def test_paging(reindex):
    for n in range(5):
        ChallengeFactory(title=f"Knapsack {n}")
    reindex()
    first = search("knapsack", page_size=2)
    assert (first.total, first.pages, len(first.results)) == (5, 3, 2)
    last = search("knapsack", page_size=2, page=3)
    assert len(last.results) == 1 and last.page == 3
    beyond = search("knapsack", page_size=2, page=99)
    assert beyond.page == 3 and len(beyond.results) == 1
    seen = {t for p in (1, 2, 3) for t in titles(search("knapsack", page_size=2, page=p))}
    assert len(seen) == 5


@pytest.mark.parametrize(
    "query",
    ['"(*:~^', "knapsack~1^99 OR title:*", "AND OR NOT", "x" * 10_000, "🙂🙂", "\x00knap\u200b"],
)
def test_bad_input_never_breaks_the_search(ranked, query):
    page = search(query)
    assert page.total >= 0
    if not any(ch.isalnum() for ch in query):
        assert page.message  # nothing searchable: said so rather than silently empty


def test_syntax_characters_are_plain_text(ranked):
    assert titles(search('knapsack*:"problem"'))[0] == "Knapsack Problem"
    assert titles(search("title:knapsack")) == []  # "title" is a word here, not a field


def test_long_queries_are_cut_and_say_so(ranked):
    page = search("knapsack " * 2000)
    assert titles(page)[0] == "Knapsack Problem"
    assert "200" in page.message


def test_accents_fold(reindex):
    ChallengeFactory(title="Ünïcode Café")
    reindex()
    assert titles(search("unicode cafe")) == ["Ünïcode Café"]
    assert search("unicode cafe").results[0].title_html == "<mark>Ünïcode</mark> <mark>Café</mark>"
