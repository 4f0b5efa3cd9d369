"""Site-wide pages: home, health and profile (accounts are in codepusher/accounts.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from challenges.selectors import challenge_list, repository_list
from codepusher.health import health_details_allowed, health_report
from execution.selectors import challenge_solved_list
from sessions_app.selectors import session_list_for_user


def home(request: HttpRequest) -> HttpResponse:
    challenges = challenge_list(user=request.user)
    return render(
        request,
        "home.html",
        {
            "featured": challenges.order_by("difficulty", "position")[:6],
            "challenge_count": challenges.count(),
            "repositories": repository_list(user=request.user).filter(challenge_count__gt=0),
        },
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 or 503 with `{"ok"}` for anyone; which service failed and why for staff or a token."""
    report = health_report()
    status = 200 if report["ok"] else 503
    if health_details_allowed(request):
        return JsonResponse(report, status=status)
    return JsonResponse({"ok": report["ok"]}, status=status)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "profile.html",
        {
            "sessions": session_list_for_user(user=request.user)[:50],
            "solved": challenge_solved_list(user=request.user),
        },
    )
