from __future__ import annotations

from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission

from sessions_app.selectors import session_user_is_member

NO_SUCH_SESSION = "No such session (or you are not one of its members)."


class IsSessionMember(BasePermission):
    """For endpoints under /api/sessions/<session_id>/: members only.

    Everyone else gets the 404 a missing session gets, word for word, so a session id cannot be
    probed for existence.
    """

    def has_permission(self, request, view) -> bool:
        session_id = view.kwargs.get("session_id")
        if session_id is None or session_user_is_member(session_id=session_id, user=request.user):
            return True
        raise NotFound(NO_SUCH_SESSION)


class IsSessionMemberOrStaff(IsSessionMember):
    """Reads of a whole session (the replay): its members, and staff who coach or moderate."""

    def has_permission(self, request, view) -> bool:
        if request.user.is_authenticated and request.user.is_staff:
            return True
        return super().has_permission(request, view)
