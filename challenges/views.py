"""Catalogue and challenge pages, and starting a session from a challenge."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from challenges.models import Difficulty, Language
from challenges.selectors import (
    challenge_get,
    challenge_list,
    challenge_statement_html,
    challenge_visible_test_cases,
    repository_list,
)
from sessions_app.services import SessionError, session_create

FILTERS = ("difficulty", "repository", "tag", "language")


def challenge_catalogue(request: HttpRequest) -> HttpResponse:
    filters = {name: request.GET.get(name) or None for name in FILTERS}
    challenges = challenge_list(user=request.user, **filters)
    query = request.GET.get("q", "").strip()
    if query:
        challenges = challenges.filter(title__icontains=query)
    page = Paginator(challenges, 24).get_page(request.GET.get("page"))
    return render(
        request,
        "challenges/catalogue.html",
        {
            "page": page,
            "query": query,
            "filters": filters,
            "difficulties": Difficulty.choices,
            "languages": Language.choices,
            "repositories": repository_list(user=request.user),
        },
    )


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
        },
    )


@login_required
@require_POST
def challenge_start_session(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = challenge_get(user=request.user, slug=slug)
    if challenge is None:
        raise Http404("No such challenge.")
    try:
        session = session_create(
            challenge=challenge, owner=request.user, language=request.POST.get("language", "")
        )
    except SessionError as exc:
        messages.error(request, str(exc))
        return redirect(challenge)
    return redirect(session)
