"""Reads of the catalogue; the one place that decides what a user may see."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet

from challenges.models import Challenge, ChallengeLanguage, Language, Repository, TestCase
from codepusher.markdown import markdown_render
from execution.models import Run
from sessions_app.models import CodingSession

User = AbstractBaseUser | AnonymousUser


def user_is_staff(user: User) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_staff", False))


def challenge_list(
    *,
    user: User,
    difficulty: str | None = None,
    repository: str | None = None,
    tag: str | None = None,
    language: str | None = None,
) -> QuerySet[Challenge]:
    """Challenges visible to `user`: staff see drafts, everyone else only published ones."""
    queryset = Challenge.objects.select_related("repository").prefetch_related(
        "tags",
        Prefetch("languages", queryset=ChallengeLanguage.objects.only("challenge", "language")),
    )
    if not user_is_staff(user):
        queryset = queryset.filter(published=True)
    if difficulty:
        queryset = queryset.filter(difficulty=difficulty)
    if repository:
        queryset = queryset.filter(repository__slug=repository)
    if tag:
        queryset = queryset.filter(tags__name=tag)
    if language:
        queryset = queryset.filter(languages__language=language)
    # Only the many-valued joins can repeat a row; DISTINCT over every column costs otherwise.
    return queryset.distinct() if tag or language else queryset


def challenge_get(
    *, user: User, slug: str | None = None, pk: int | None = None
) -> Challenge | None:
    lookup = Q(slug=slug) if slug is not None else Q(pk=pk)
    return challenge_list(user=user).filter(lookup).first()


def challenge_visible_test_cases(*, challenge: Challenge, user: User) -> QuerySet[TestCase]:
    """Learners see sample test cases only; hidden ones never leave the server for them."""
    queryset = challenge.test_cases.all()
    if not user_is_staff(user):
        queryset = queryset.filter(is_sample=True)
    return queryset


def repository_list(*, user: User) -> QuerySet[Repository]:
    visible = Q(challenges__published=True) if not user_is_staff(user) else Q()
    return Repository.objects.annotate(challenge_count=Count("challenges", filter=visible))


def challenge_statement_html(*, challenge: Challenge) -> str:
    """The statement as safe HTML, without a leading "# Title" that the page already shows."""
    statement = challenge.statement.lstrip("\ufeff")
    first, _, rest = statement.partition("\n")
    if first.strip().lstrip("#").strip() == challenge.title and first.startswith("# "):
        statement = rest
    return markdown_render(statement)


def language_last_used(*, user: User) -> str | None:
    """The language of the learner's latest run or session, whichever is newer."""
    if not user.is_authenticated:
        return None
    candidates = [
        Run.objects.filter(user_id=user.pk).values("language", "created_at").first(),
        CodingSession.objects.filter(memberships__user_id=user.pk)
        .values("language", "created_at")
        .order_by("-created_at")
        .first(),
    ]
    latest = max((c for c in candidates if c), key=lambda c: c["created_at"], default=None)
    return latest["language"] if latest else None


def challenge_language_default(*, challenge: Challenge, user: User) -> str:
    """What the language picker preselects: the learner's last used language when the challenge
    offers it, else Python, else the first offered (never alphabetical C++ by accident)."""
    offered = [item.language for item in challenge.languages.all()]
    for choice in (language_last_used(user=user), Language.PYTHON.value):
        if choice in offered:
            return choice
    return offered[0] if offered else Language.PYTHON.value
