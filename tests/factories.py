"""factory_boy factories for the models every app's tests need."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from challenges.models import Challenge, ChallengeLanguage, Repository, TestCase

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"learner{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RepositoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Repository

    slug = factory.Sequence(lambda n: f"repo-{n}")
    name = factory.Sequence(lambda n: f"Repository {n}")
    owner = "grace"
    description = "Practice problems."


class ChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Challenge
        skip_postgeneration_save = True

    repository = factory.SubFactory(RepositoryFactory)
    slug = factory.Sequence(lambda n: f"challenge-{n}")
    title = factory.Sequence(lambda n: f"Sum of Numbers {n}")
    statement = "Read two integers and print their sum.\n\n```\n1 2\n```"
    author = "ada"
    published = True

    @factory.post_generation
    def with_content(obj, create, extracted, **kwargs):
        if not create:
            return
        ChallengeLanguage.objects.create(
            challenge=obj,
            language="python",
            starter_code="a, b = map(int, input().split())\n",
            solution="a, b = map(int, input().split())\nprint(a + b)\n",
        )
        TestCase.objects.create(
            challenge=obj, position=1, stdin="1 2\n", expected_output="3\n", is_sample=True
        )
        TestCase.objects.create(
            challenge=obj, position=2, stdin="40 2\n", expected_output="42\n", is_sample=False
        )
