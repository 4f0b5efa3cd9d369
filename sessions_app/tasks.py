"""Periodic work of sessions: the keyboard's rotation in driver mode (Celery beat)."""

from __future__ import annotations

from celery import shared_task

from sessions_app.roles import session_roles_rotate_due


@shared_task(ignore_result=True)
def roles_rotate_task() -> int:
    """Pass the keyboard on in every session whose rotation is due, and tell its members."""
    return session_roles_rotate_due()
