"""Celery entry points of the indexer; the work is in search.services."""

from __future__ import annotations

from celery import shared_task

from search.services import index_objects_update


@shared_task(
    name="search.tasks.index_update_task",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def index_update_task(model_label: str, pks: list[int]) -> int:
    return index_objects_update(model_label=model_label, pks=pks)
