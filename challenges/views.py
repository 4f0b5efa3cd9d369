"""Catalogue and challenge pages, and starting a session from a challenge."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from challenges.selectors import (
    challenge_get,
    challenge_language_default,
    challenge_statement_html,
    challenge_visible_test_cases,
)
from search.selectors import challenge_search, search_params
from sessions_app.services import SessionError, session_create

CATALOGUE_PAGE_SIZE = 24


def challenge_catalogue(request: HttpRequest) -> HttpResponse:
    """The catalogue and its search; `X-Catalogue-Partial: 1` (search.js) gets the results only."""
    params = search_params(request.GET) | {"page_size": CATALOGUE_PAGE_SIZE}
    result = challenge_search(user=request.user, **params)

    def page_url(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return f"?{query.urlencode()}"

    partial = request.headers.get("X-Catalogue-Partial") == "1"
    response = render(
        request,
        "search/_catalogue_results.html" if partial else "challenges/catalogue.html",
        {
            "search": result,
            "query": result.query,
            "previous_url": page_url(result.page - 1) if result.has_previous else "",
            "next_url": page_url(result.page + 1) if result.has_next else "",
        },
    )
    patch_vary_headers(response, ["X-Catalogue-Partial"])
    return response


def challenge_detail(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = challenge_get(user=request.user, slug=slug)
    if challenge is None:
        raise Http404("No such challenge.")
    return render(
        request,
        "challenges/detail.html",
        {
            "challenge": challenge,
            "statement_html": challenge_statement_html(challenge=challenge),
            "sample_tests": challenge_visible_test_cases(challenge=challenge, user=request.user),
            "languages": challenge.languages.all(),
            "language_default": challenge_language_default(challenge=challenge, user=request.user),
        },
    )


@login_required
@require_POST
def challenge_start_session(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = challenge_get(user=request.user, slug=slug)
    if challenge is None:
        raise Http404("No such challenge.")
    try:
        owner = cast(AbstractBaseUser, request.user)  # login_required: never anonymous here
        session = session_create(
            challenge=challenge, owner=owner, language=request.POST.get("language", "")
        )
    except SessionError as exc:
        messages.error(request, str(exc))
        return redirect(challenge)
    return redirect(session)
