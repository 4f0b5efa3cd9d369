"""Celery entry points of the indexer; the work is in search.services."""

from __future__ import annotations

from celery import shared_task

from search.services import index_objects_update


@shared_task(
    name="search.tasks.index_update_task",
    # Idempotent (it indexes what the database holds), so any failure is safe to retry:
    # Whoosh's LockError while another worker writes, an unreachable Elasticsearch, ...
    autoretry_for=(Exception,),
    retry_backoff=1,
    retry_jitter=True,
    max_retries=8,
)
def index_update_task(model_label: str, pks: list[int]) -> int:
    return index_objects_update(model_label=model_label, pks=pks)
