"""Search as you type in Chromium: the catalogue follows the keyboard, the header suggests."""

from __future__ import annotations

import time

import pytest
from django.core.management import call_command
from whoosh.index import LockError

from search.engine import WhooshEngine
from tests.factories import ChallengeFactory
from tests.live import live_search_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def index_now() -> None:
    """Bring the live index up to date, waiting out the live Celery worker when an earlier test
    started one: it writes the same index as the saves' tasks arrive (Whoosh has one writer)."""
    for _ in range(100):
        try:
            call_command("update_index", remove=True, verbosity=0)
            return
        except LockError:
            time.sleep(0.1)
    raise AssertionError("the search index stayed locked for 10 s")


@pytest.fixture
def indexed(settings, live_logs):
    """Challenges in the database and in the index the live server reads (documents of earlier
    tests' challenges removed, or their facet counts would show here)."""
    settings.HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
            "PATH": str(live_search_path(live_logs)),
        }
    }
    WhooshEngine.current()
    challenges = [
        ChallengeFactory(title="Quokka Knapsack", difficulty="medium"),
        ChallengeFactory(title="Quokka Draft", published=False),
        ChallengeFactory(title="Two Sum Basics"),
    ]
    index_now()
    return challenges


def card_titles(page) -> list[str]:
    return page.eval_on_selector_all(
        "#catalogue-results [data-challenge] h3", "els => els.map(e => e.textContent.trim())"
    )


def test_catalogue_results_update_while_typing(new_page, indexed):
    knapsack = indexed[0]
    page = new_page(path="/challenges/")
    page.wait_for_selector(f"[data-challenge='{knapsack.slug}']")
    assert "Two Sum Basics" in card_titles(page)

    page.locator("#catalogue-q").press_sequentially("quokka knapsak", delay=60)  # no Enter
    page.wait_for_function(
        """() => { const cards = document.querySelectorAll('#catalogue-results [data-challenge]');
                   return location.search.includes('knapsak')  // the last keystroke's results
                     && cards.length === 1 && cards[0].querySelector('mark'); }"""
    )
    assert card_titles(page) == ["Quokka Knapsack"]  # the draft stays hidden
    title_html = page.inner_html(f"[data-challenge='{knapsack.slug}'] h3")
    assert title_html == "<mark>Quokka</mark> <mark>Knapsack</mark>"
    assert "q=quokka+knapsak" in page.url  # the URL follows, so the state can be shared

    # Only the matching difficulty is offered, with its count; choosing it needs no Enter either.
    assert page.eval_on_selector_all(
        "select[name=difficulty] option", "els => els.map(e => e.textContent)"
    ) == ["Any difficulty", "Medium (1)"]
    page.select_option("select[name=difficulty]", "medium")
    page.wait_for_function("() => location.search.includes('difficulty=medium')")
    assert card_titles(page) == ["Quokka Knapsack"]

    reloaded = new_page(path="/challenges/?" + page.url.split("?", 1)[1])
    assert reloaded.input_value("#catalogue-q") == "quokka knapsak"
    assert card_titles(reloaded) == ["Quokka Knapsack"]


def test_header_box_suggests_and_opens_with_the_keyboard(new_page, indexed):
    knapsack = indexed[0]
    page = new_page(path="/")
    page.locator("[data-search-input]").press_sequentially("quok", delay=60)
    # The last keystroke's suggestions (a loaded machine may answer "qu" on the way).
    page.wait_for_selector(".search-suggestions [role=option] mark:text-is('Quok')")
    options = page.eval_on_selector_all(
        ".search-suggestions [role=option] .suggestion-title",
        "els => els.map(e => e.innerHTML)",
    )
    assert options == ["<mark>Quok</mark>ka Knapsack"]
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#search-suggestion-0", "aria-selected") == "true"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{knapsack.get_absolute_url()}")
    assert page.inner_text("h1") == "Quokka Knapsack"


def test_catalogue_works_without_javascript(browser, live_server_url, indexed):
    context = browser.new_context(base_url=live_server_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/challenges/")
        page.fill("#catalogue-q", "knapsak")
        page.click("#catalogue-form button[type=submit]")
        page.wait_for_url("**/challenges/?q=knapsak*")
        assert card_titles(page) == ["Quokka Knapsack"]
    finally:
        context.close()


def test_header_suggestions_tolerate_a_typo_like_the_catalogue(new_page, indexed, screenshots):
    """One search behaviour everywhere: a typo in the word being typed finds its completion in
    the header's suggestions and in the catalogue alike."""
    fizz = ChallengeFactory(title="FizzBuzz Remix")
    index_now()
    page = new_page(path="/")
    page.locator("[data-search-input]").press_sequentially("fizbuz", delay=60)
    page.wait_for_selector(".search-suggestions [role=option] mark:text-is('FizzBuz')")
    options = page.eval_on_selector_all(
        ".search-suggestions [role=option] .suggestion-title", "els => els.map(e => e.innerHTML)"
    )
    assert options == ["<mark>FizzBuz</mark>z Remix"]
    screenshots(page, "header-suggestions-typo")  # the phone size hides the box: focus again
    page.locator("[data-search-input]").press("Enter")  # no suggestion chosen: the catalogue
    page.wait_for_url("**/challenges/?q=fizbuz")
    assert card_titles(page) == [fizz.title]


def option_texts(page, name: str) -> list[str]:
    return page.eval_on_selector_all(
        f"select[name={name}] option", "els => els.map(e => e.textContent)"
    )


def test_catalogue_filter_selects_show_counts_that_follow_the_query(new_page, indexed, screenshots):
    knapsack, _, two_sum = indexed
    page = new_page(path="/challenges/")
    page.wait_for_selector(f"[data-challenge='{two_sum.slug}']")
    repositories = ["All repositories"] + sorted(
        f"{c.repository.name} (1)" for c in (knapsack, two_sum)
    )
    assert option_texts(page, "repository") == repositories
    assert option_texts(page, "difficulty") == ["Any difficulty", "Easy (1)", "Medium (1)"]

    page.locator("#catalogue-q").press_sequentially("quokka", delay=60)
    page.wait_for_function("() => location.search.includes('q=quokka')")
    assert option_texts(page, "repository") == [
        "All repositories",
        f"{knapsack.repository.name} (1)",
    ]
    page.select_option("select[name=repository]", knapsack.repository.slug)
    page.wait_for_function(
        f"() => location.search.includes('repository={knapsack.repository.slug}')"
    )
    assert card_titles(page) == ["Quokka Knapsack"]
    # The filter change searched the words as typed (not the page's own URL glued onto them).
    assert page.inner_text("[data-result-count]") == "1 challenge for “quokka”"
    screenshots(page, "catalogue-facet-counts")
