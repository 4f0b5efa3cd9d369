"""Keep the search index in step with the catalogue without making any save wait for it.

Haystack's RealtimeSignalProcessor writes the index inside the request that saved the object.
This one only notes what changed; when the transaction commits it sends one Celery task per
model with the primary keys, and the worker re-reads them from the database. If the broker is
down the change is logged and the save still succeeds (`update_index` catches up later).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.db import models, transaction
from haystack.signals import BaseSignalProcessor

from challenges.models import Challenge, ChallengeLanguage, Repository, Tag

logger = logging.getLogger(__name__)

CHALLENGE = "challenges.challenge"
REPOSITORY = "challenges.repository"

_pending = threading.local()


def _buffer() -> dict[str, set[int]]:
    if not hasattr(_pending, "changes"):
        _pending.changes = {}
    return _pending.changes


def index_enqueue(model_label: str, pks) -> None:
    """Note objects whose documents must be rewritten once the current transaction commits."""
    pks = {int(pk) for pk in pks if pk is not None}
    if not pks:
        return
    _buffer().setdefault(model_label, set()).update(pks)
    # Every change registers a callback; the first to run at commit sends the whole buffer and
    # the others find it empty. Changes of a rolled-back transaction ride along with the next
    # commit, which is harmless: the task indexes what the database holds at that point.
    transaction.on_commit(index_flush)


def index_flush() -> None:
    from django.conf import settings

    from search.tasks import index_update_task

    changes = _buffer()
    _pending.changes = {}
    for model_label, pks in sorted(changes.items()):
        try:
            index_update_task.apply_async(
                args=(model_label, sorted(pks)), queue=settings.SEARCH_TASK_QUEUE, retry=False
            )
        except Exception:  # the broker is down or misconfigured: never fail the save
            logger.warning(
                "search index update for %s %s not queued; run update_index to catch up",
                model_label,
                sorted(pks),
                exc_info=True,
            )


class CelerySignalProcessor(BaseSignalProcessor):
    """Index Challenge and Repository changes (and the related rows they show) through Celery."""

    def _handlers(self) -> list[tuple[models.signals.ModelSignal, Callable[..., None], Any]]:
        """(signal, handler, sender) for every change that alters what the index shows."""
        return [
            (models.signals.post_save, self.challenge_changed, Challenge),
            (models.signals.post_delete, self.challenge_changed, Challenge),
            (models.signals.post_save, self.repository_changed, Repository),
            (models.signals.post_delete, self.repository_changed, Repository),
            (models.signals.post_save, self.language_changed, ChallengeLanguage),
            (models.signals.post_delete, self.language_changed, ChallengeLanguage),
            (models.signals.m2m_changed, self.tags_changed, Challenge.tags.through),
            (models.signals.post_save, self.tag_changed, Tag),
            (models.signals.pre_delete, self.tag_changed, Tag),
        ]

    def setup(self) -> None:
        for signal, handler, sender in self._handlers():
            signal.connect(handler, sender=sender)

    def teardown(self) -> None:
        for signal, handler, sender in self._handlers():
            signal.disconnect(handler, sender=sender)

    def challenge_changed(self, sender, instance: Challenge, **kwargs) -> None:
        index_enqueue(CHALLENGE, [instance.pk])
        # The repository document says whether it holds a published challenge.
        index_enqueue(REPOSITORY, [instance.repository_id])

    def repository_changed(self, sender, instance: Repository, **kwargs) -> None:
        index_enqueue(REPOSITORY, [instance.pk])
        if not kwargs.get("created"):
            # Challenge documents carry the repository's name.
            pks = Challenge.objects.filter(repository_id=instance.pk).values_list("pk", flat=True)
            index_enqueue(CHALLENGE, pks)

    def language_changed(self, sender, instance: ChallengeLanguage, **kwargs) -> None:
        index_enqueue(CHALLENGE, [instance.challenge_id])

    def tags_changed(self, sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
        if not reverse:
            if action.startswith("post_"):
                index_enqueue(CHALLENGE, [instance.pk])
        elif action == "pre_clear":  # tag.challenges.clear(): note who loses the tag
            pks = Challenge.objects.filter(tags=instance).values_list("pk", flat=True)
            index_enqueue(CHALLENGE, list(pks))
        elif action.startswith("post_") and pk_set:  # tag.challenges.add/remove(...)
            index_enqueue(CHALLENGE, pk_set)

    def tag_changed(self, sender, instance: Tag, **kwargs) -> None:
        if kwargs.get("created"):
            return
        pks = Challenge.objects.filter(tags=instance).values_list("pk", flat=True)
        index_enqueue(CHALLENGE, list(pks))
