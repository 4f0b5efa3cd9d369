"""Keeping the index in step: what the signal processor queues, the task, the haystack commands."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from kombu.exceptions import OperationalError

from challenges.models import Challenge, ChallengeLanguage, Tag
from challenges.services import challenges_import
from search import tasks
from search.selectors import challenge_search
from search.services import index_objects_update
from tests.factories import ChallengeFactory, RepositoryFactory
from tests.search.conftest import write_pack

pytestmark = pytest.mark.django_db


def titles(query: str, user=None) -> list[str]:
    page = challenge_search(user=user or AnonymousUser(), query=query)
    return [hit.challenge.title for hit in page.results]


@pytest.fixture
def queued(monkeypatch):
    """The index tasks sent to the broker, as (model label, pks) pairs."""
    sent: list[tuple[str, list[int]]] = []

    def apply_async(args, **options):
        assert options["retry"] is False  # a dead broker must not hold up the request
        sent.append(tuple(args))

    monkeypatch.setattr(tasks.index_update_task, "apply_async", apply_async)
    return sent


@pytest.fixture
def run_tasks(monkeypatch):
    """Run each queued index task in this process, as the worker would."""

    def apply_async(args, **options):
        tasks.index_update_task.run(*args)

    monkeypatch.setattr(tasks.index_update_task, "apply_async", apply_async)


def test_a_save_queues_one_task_per_model_after_commit(queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        challenge = ChallengeFactory()  # saves the challenge, its language and test cases
        assert queued == []  # nothing leaves before the commit
    assert len(callbacks) >= 2
    assert sorted(queued) == [
        ("challenges.challenge", [challenge.pk]),
        ("challenges.repository", [challenge.repository_id]),
    ]


def test_related_changes_queue_their_challenges(queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, second = ChallengeFactory(), ChallengeFactory()
        tag = Tag.objects.create(name="graphs")
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first.tags.add(tag)
    with django_capture_on_commit_callbacks(execute=True):
        tag.challenges.add(second)
    with django_capture_on_commit_callbacks(execute=True):
        ChallengeLanguage.objects.create(challenge=second, language="cpp")
    with django_capture_on_commit_callbacks(execute=True):
        tag.name = "graph-theory"
        tag.save()
    challenge_batches = [pks for label, pks in queued if label == "challenges.challenge"]
    assert challenge_batches == [[first.pk], [second.pk], [second.pk], [first.pk, second.pk]]


def test_renaming_a_repository_queues_its_challenges(queued, django_capture_on_commit_callbacks):
    repository = RepositoryFactory()
    challenges = [ChallengeFactory(repository=repository) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        repository.name = "Renamed"
        repository.save()
    assert ("challenges.challenge", sorted(c.pk for c in challenges)) in queued


def test_a_pack_import_queues_every_challenge_it_touched(
    queued, django_capture_on_commit_callbacks, tmp_path
):
    pack = write_pack(tmp_path / "pack", titles=["Zephyr Walk", "Mistral Run", "Sirocco"])
    with django_capture_on_commit_callbacks(execute=True):
        challenges_import(path=pack)
    assert Challenge.objects.count() == 3
    queued_pks = {pk for label, pks in queued if label == "challenges.challenge" for pk in pks}
    assert queued_pks == set(Challenge.objects.values_list("pk", flat=True))
    assert len([label for label, _ in queued if label == "challenges.challenge"]) == 1


def test_a_dead_broker_is_logged_and_the_save_succeeds(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.index_update_task, "apply_async", broken)
    with (
        caplog.at_level(logging.WARNING, logger="search.signals"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        challenge = ChallengeFactory(title="Saved Anyway")
    assert Challenge.objects.filter(pk=challenge.pk).exists()
    assert "not queued; run update_index" in caplog.text


def test_queued_tasks_keep_the_index_fresh(run_tasks, django_capture_on_commit_callbacks, user):
    with django_capture_on_commit_callbacks(execute=True):
        challenge = ChallengeFactory(title="Zephyr Walk", published=False)
    assert titles("zephyr", user) == []
    with django_capture_on_commit_callbacks(execute=True):
        challenge.published = True
        challenge.save()
    assert titles("zephyr", user) == ["Zephyr Walk"]
    with django_capture_on_commit_callbacks(execute=True):
        challenge.title = "Mistral Walk"
        challenge.save()
    assert titles("zephyr", user) == [] and titles("mistral", user) == ["Mistral Walk"]
    with django_capture_on_commit_callbacks(execute=True):
        challenge.repository.name = "Sirocco Set"
        challenge.repository.save()
    assert titles("sirocco", user) == ["Mistral Walk"]
    with django_capture_on_commit_callbacks(execute=True):
        challenge.delete()
    assert challenge_search(user=user, query="mistral").total == 0


def test_the_task_removes_what_the_database_no_longer_has(reindex):
    challenge = ChallengeFactory(title="Zephyr Walk")
    reindex()
    pk = challenge.pk
    Challenge.objects.filter(pk=pk).delete()
    assert index_objects_update(model_label="challenges.challenge", pks=[pk]) == 0
    assert challenge_search(user=AnonymousUser(), query="zephyr").total == 0


def test_the_task_refuses_other_models():
    with pytest.raises(ValueError):
        index_objects_update(model_label="auth.user", pks=[1])


def test_rebuild_index_and_update_index_commands(staff_user):
    first = ChallengeFactory(title="Zephyr Walk")
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert titles("zephyr") == ["Zephyr Walk"]
    ChallengeFactory(title="Zephyr Run")  # no commit hook here: only the command indexes it
    call_command("update_index", verbosity=0)
    assert sorted(titles("zephyr")) == ["Zephyr Run", "Zephyr Walk"]
    Challenge.objects.filter(pk=first.pk).delete()
    call_command("update_index", remove=True, verbosity=0)
    assert challenge_search(user=staff_user, query="zephyr").total == 1
