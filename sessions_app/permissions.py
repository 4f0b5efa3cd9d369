from __future__ import annotations

from rest_framework.permissions import BasePermission

from sessions_app.selectors import session_user_is_member


class IsSessionMember(BasePermission):
    """For endpoints under /api/sessions/<session_id>/: members only, everyone else gets 403."""

    message = "You are not a member of this session."

    def has_permission(self, request, view) -> bool:
        session_id = view.kwargs.get("session_id")
        return session_id is None or session_user_is_member(
            session_id=session_id, user=request.user
        )
