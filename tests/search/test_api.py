"""GET /api/search/ and the catalogue page: public, documented, never a 500."""

from __future__ import annotations

import pytest

from challenges.models import Challenge
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(reindex):
    ChallengeFactory(title="Knapsack Problem", difficulty="medium")
    ChallengeFactory(title="Knapsack Draft", published=False)
    ChallengeFactory(title="Two Sum", difficulty="easy")
    reindex()


def test_api_is_public_and_returns_highlighted_results_and_facets(api_client, catalogue):
    response = api_client.get("/api/search/", {"q": "knap"})
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 1 and data["query"] == "knap" and data["message"] == ""
    hit = data["results"][0]
    assert hit["title"] == "Knapsack Problem"
    assert hit["title_html"] == "<mark>Knap</mark>sack Problem"
    assert hit["url"] == f"/challenges/{hit['slug']}/"
    assert {"id", "repository", "repository_name", "author", "difficulty", "tags"} <= set(hit)
    assert data["facets"]["difficulty"] == [
        {"value": "medium", "label": "Medium", "count": 1, "selected": False}
    ]
    assert [(f["label"], f["count"]) for f in data["facets"]["repository"]] == [
        (hit["repository_name"], 1)
    ]


def test_catalogue_filter_selects_show_facet_counts(client, catalogue):
    """Every filter select, repository included, says how many challenges each choice keeps."""
    html = client.get("/challenges/", {"q": "knapsack"}).content.decode()
    knapsack = Challenge.objects.get(title="Knapsack Problem")
    assert ">Medium (1)</option>" in html
    assert f">{knapsack.repository.name} (1)</option>" in html
    assert html.count('<select name="repository"') == 1


def test_api_suggestions_hide_drafts_from_learners_not_staff(api_client, catalogue, staff_user):
    params = {"q": "knapsack", "page_size": 5}
    assert [r["title"] for r in api_client.get("/api/search/", params).json()["results"]] == [
        "Knapsack Problem"
    ]
    api_client.force_authenticate(staff_user)
    data = api_client.get("/api/search/", params).json()
    assert data["total"] == 2
    assert {r["title"]: r["published"] for r in data["results"]} == {
        "Knapsack Problem": True,
        "Knapsack Draft": False,
    }


def test_api_filters_and_pages(api_client, catalogue):
    data = api_client.get("/api/search/", {"difficulty": "easy"}).json()
    assert [r["title"] for r in data["results"]] == ["Two Sum"]
    data = api_client.get("/api/search/", {"page_size": 1, "page": 2}).json()
    assert (data["page"], data["pages"], len(data["results"])) == (2, 2, 1)


@pytest.mark.parametrize(
    "params",
    [
        {"q": '"(*:~^'},
        {"q": "k" * 10_000},
        {"q": "🙂 knapsack 🙂"},
        {"q": "knapsack", "page": "abc", "page_size": "-5"},
        {"q": "knapsack", "page": "99999999999999999999"},
        {"q": "x", "difficulty": "' OR 1=1 --", "tag": "<b>", "language": "a" * 500},
        {"q": "\x00\u202e\ufeff"},
    ],
)
def test_bad_input_is_a_200_with_results_or_a_message(api_client, client, catalogue, params):
    response = api_client.get("/api/search/", params)
    assert response.status_code == 200
    data = response.json()
    assert data["results"] or data["message"] or data["total"] == 0
    assert client.get("/challenges/", params).status_code == 200


def test_bad_input_messages(api_client, catalogue):
    assert "letters or digits" in api_client.get("/api/search/", {"q": "*:~^"}).json()["message"]
    long = api_client.get("/api/search/", {"q": "knapsack " * 100}).json()
    assert "200 characters" in long["message"] and long["results"]
    emoji = api_client.get("/api/search/", {"q": "🙂 knapsack"}).json()
    assert [r["title"] for r in emoji["results"]] == ["Knapsack Problem"]


def test_schema_documents_the_search_endpoint(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/search/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {
        "q", "difficulty", "tag", "language", "page", "page_size",
    }  # fmt: skip
    response = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert response["$ref"].endswith("/SearchPage")
    assert "SearchHit" in schema["components"]["schemas"]


def test_catalogue_page_searches_highlights_and_keeps_state_in_links(client, catalogue):
    html = client.get("/challenges/", {"q": "knapsak", "difficulty": "medium"}).content.decode()
    assert "<mark>Knapsack</mark> Problem" in html
    assert "Knapsack Draft" not in html and "Two Sum" not in html
    assert 'value="knapsak"' in html  # the query stays in the box
    assert '<option value="medium" selected>Medium (1)</option>' in html


def test_catalogue_partial_is_the_results_only(client, catalogue):
    response = client.get("/challenges/", {"q": "sum"}, HTTP_X_CATALOGUE_PARTIAL="1")
    html = response.content.decode()
    assert "site-header" not in html and "<!doctype" not in html
    assert "Two <mark>Sum</mark>" in html
    assert "X-Catalogue-Partial" in response["Vary"]


def test_catalogue_pager_links_keep_the_query(client, reindex):
    for n in range(30):
        ChallengeFactory(title=f"Knapsack {n}")
    reindex()
    html = client.get("/challenges/", {"q": "knapsack", "difficulty": "easy"}).content.decode()
    assert 'href="?q=knapsack&amp;difficulty=easy&amp;page=2"' in html
    page2 = client.get("/challenges/", {"q": "knapsack", "difficulty": "easy", "page": 2})
    assert "Page 2 of 2" in page2.content.decode()


@pytest.fixture
def elasticsearch_down(settings):
    """SEARCH_URL pointing at an Elasticsearch that cannot answer: nothing listens on the port
    (a closed loopback port), and without the optional client the backend cannot even load."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again when the block ends: nothing listens
    settings.HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "haystack.backends.elasticsearch7_backend.Elasticsearch7SearchEngine",
            "URL": f"http://127.0.0.1:{port}",
            "INDEX_NAME": "codepusher-test",
            "SILENTLY_FAIL": False,
            "TIMEOUT": 2,
        }
    }


def test_a_down_search_engine_says_so_and_browsing_still_works(api_client, elasticsearch_down):
    ChallengeFactory(title="Knapsack Problem")
    response = api_client.get("/api/search/", {"q": "knapsack"})
    assert response.status_code == 503
    assert response.json()["message"].startswith("Search is unavailable right now")
    page = api_client.get("/challenges/", {"q": "knapsack"})
    assert page.status_code == 200 and b"Search is unavailable right now" in page.content
    browse = api_client.get("/api/search/", {"q": ""})
    assert browse.status_code == 200 and browse.json()["total"] == 1
