"""Reads of the catalogue; the one place that decides what a user may see."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet

from challenges.models import Challenge, ChallengeLanguage, Repository, TestCase
from codepusher.markdown import markdown_render

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
