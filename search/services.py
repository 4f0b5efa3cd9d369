"""Writes of search state: index documents in line with the database, catalogue counts' cache."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from haystack import connection_router, connections
from haystack.exceptions import NotHandled

from challenges.models import Challenge, Repository
from search.selectors import CATALOGUE_VERSION_KEY

logger = logging.getLogger(__name__)

INDEXED_MODELS = {"challenges.challenge": Challenge, "challenges.repository": Repository}


def index_objects_update(*, model_label: str, pks: Iterable[int]) -> int:
    """Re-index the objects that still exist and drop the others; returns how many were written.

    Reads the database at run time (never data carried by the task), so a late, repeated or
    stale call is harmless: the index ends up as the database is now.
    """
    model = INDEXED_MODELS.get(model_label)
    if model is None:
        raise ValueError(f"not an indexed model: {model_label!r}")
    pks = sorted({int(pk) for pk in pks})
    if not pks:
        return 0
    written = 0
    for using in connection_router.for_write():
        try:
            index = connections[using].get_unified_index().get_index(model)
        except NotHandled:
            continue
        backend = connections[using].get_backend()
        # Haystack logs and swallows a failed write (e.g. Whoosh's LockError while another
        # worker holds the index); raising instead lets Celery retry this idempotent task.
        backend.silently_fail = False
        existing = list(index.index_queryset(using=using).filter(pk__in=pks))
        if existing:
            backend.update(index, existing)
            written += len(existing)
        for pk in set(pks) - {obj.pk for obj in existing}:
            backend.remove(f"{model_label}.{pk}")
    logger.info("search index: %s %s updated (%d written)", model_label, pks, written)
    return written


def catalogue_version_bump(**_signal_kwargs: object) -> None:
    """Retire every cached catalogue count: now, and again once the transaction commits.

    Now, so nothing cached from before the change is served again; at commit, so counts cached
    while the transaction was open (from the old rows) are not served after it either.
    """

    def bump() -> None:
        try:
            cache.set(CATALOGUE_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        except Exception:  # the cache is down: the counts are then computed every time
            logger.warning("could not retire cached catalogue counts", exc_info=True)

    bump()
    transaction.on_commit(bump)
