"""A document's row locked for a commit that keeps losing the race for a version.

Optimistic commits need no lock; after losing twice to other processes the committer retries
inside `LockedDocument`, which cannot lose on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from django.db import connection, transaction

from sessions_app.models import Document
from sessions_app.ot.storage import DocumentStore

T = TypeVar("T")

# Threads of finished locks, kept for the next (a thread serves one lock at a time).
_idle_lock_threads: list[ThreadPoolExecutor] = []
MAX_IDLE_LOCK_THREADS = 4


class LockedDocument(DocumentStore):
    """A document's snapshot row held FOR UPDATE, in a transaction on a thread of its own.

    A commit that lost the race for a version retries inside this lock: no other process can
    commit the document meanwhile, so the retry cannot lose again and a busy process elsewhere
    cannot starve this one. Every call goes through the lock's own thread and connection, so
    the process's other database work never waits for the lock, and the lock never waits for
    that work (which could be stuck behind another process's lock). Rival commits wait for the
    row, then fail on the version and retry here in turn.
    """

    locked = True
    # Longest wait for the row; a holder that died is rolled back long before this.
    LOCK_TIMEOUT_MS = 10_000

    def __init__(self, collection: str, doc_id: str) -> None:
        super().__init__(collection, doc_id)
        self._executor = (
            _idle_lock_threads.pop()
            if _idle_lock_threads
            else ThreadPoolExecutor(max_workers=1, thread_name_prefix="ot-lock")
        )
        self._atomic: Any = None

    async def _call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor, functools.partial(function, *args, **kwargs)
        )

    async def __aenter__(self) -> LockedDocument:
        try:
            await self._call(self._begin)
        except BaseException:
            self._release_thread()
            raise
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        try:
            await self._call(self._end, *exc_info)
        finally:
            self._release_thread()

    def _release_thread(self) -> None:
        if len(_idle_lock_threads) < MAX_IDLE_LOCK_THREADS:
            _idle_lock_threads.append(self._executor)
        else:
            self._executor.shutdown(wait=False)

    def _begin(self) -> None:
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        try:
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute(f"SET LOCAL lock_timeout = {self.LOCK_TIMEOUT_MS}")
            rows = Document.objects.select_for_update().filter(
                collection=self.collection, doc_id=self.doc_id
            )
            list(rows.values_list("pk", flat=True))
        except BaseException as exc:
            self._end(type(exc), exc, exc.__traceback__)
            raise

    def _end(self, *exc_info: Any) -> None:
        try:
            self._atomic.__exit__(*exc_info)
        finally:
            connection.close()  # back to the pool; this thread ends with the lock
