"""Session API: create a room on a challenge, read it as a member, and the owner's controls."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied, Throttled, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from challenges.selectors import challenge_list
from chat.selectors import session_member_by_username
from codepusher.ratelimit import ClientRateThrottle
from sessions_app.models import CodingSession
from sessions_app.permissions import NO_SUCH_SESSION, IsSessionMember
from sessions_app.selectors import session_get
from sessions_app.serializers import (
    SessionCreateSerializer,
    SessionSerializer,
    SessionStatusSerializer,
)
from sessions_app.services import (
    SessionError,
    SessionForbidden,
    SessionRateLimited,
    session_create,
    session_invite_rotate,
    session_leave,
    session_member_remove,
    session_status_set,
)


class SessionCreateApi(APIView):
    # Per client here; per user in session_create, which the site's form also goes through.
    throttle_scope = "session_create"
    throttle_classes = [ClientRateThrottle]

    @extend_schema(request=SessionCreateSerializer, responses={201: SessionSerializer})
    def post(self, request: Request) -> Response:
        serializer = SessionCreateSerializer(
            data=request.data, challenges=challenge_list(user=request.user)
        )
        serializer.is_valid(raise_exception=True)
        try:
            session = session_create(owner=request.user, **serializer.validated_data)
        except SessionRateLimited as exc:
            raise Throttled(detail=str(exc)) from exc
        except SessionError as exc:
            raise ValidationError({"language": [str(exc)]}) from exc
        data = SessionSerializer(session, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


class SessionDetailApi(APIView):
    permission_classes = [IsAuthenticated, IsSessionMember]

    @extend_schema(responses=SessionSerializer)
    def get(self, request: Request, session_id: str) -> Response:
        session = session_get(session_id=session_id)
        if session is None:
            raise NotFound(NO_SUCH_SESSION)
        return Response(SessionSerializer(session, context={"request": request}).data)

    @extend_schema(request=SessionStatusSerializer, responses=SessionSerializer)
    def patch(self, request: Request, session_id: str) -> Response:
        """The owner makes the session open, read-only or closed."""
        serializer = SessionStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = _session_or_404(session_id)
        with _session_errors():
            session_status_set(session=session, by=request.user, **serializer.validated_data)
        return Response(SessionSerializer(session, context={"request": request}).data)


def _session_or_404(session_id: str) -> CodingSession:
    session = session_get(session_id=session_id)
    if session is None:
        raise NotFound(NO_SUCH_SESSION)
    return session


@contextmanager
def _session_errors() -> Iterator[None]:
    """Owner-only refusals are 403, other refusals 400, with the service's words."""
    try:
        yield
    except SessionForbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    except SessionError as exc:
        raise ValidationError({"detail": str(exc)}) from exc


class SessionInviteRotateApi(APIView):
    permission_classes = [IsAuthenticated, IsSessionMember]

    @extend_schema(request=None, responses=SessionSerializer)
    def post(self, request: Request, session_id: str) -> Response:
        """The owner replaces the invite link; the old one stops working."""
        session = _session_or_404(session_id)
        with _session_errors():
            session_invite_rotate(session=session, by=request.user)
        return Response(SessionSerializer(session, context={"request": request}).data)


class SessionMemberRemoveApi(APIView):
    permission_classes = [IsAuthenticated, IsSessionMember]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, session_id: str, username: str) -> Response:
        """The owner removes a member; their sockets close at once."""
        session = _session_or_404(session_id)
        with _session_errors():
            if session.owner_id != request.user.pk:
                raise SessionForbidden("Only the session's owner can do that.")
            member = session_member_by_username(session_id=session_id, username=username)
            if member is None:
                raise SessionError(f"{username} is not a member of this session.")
            session_member_remove(session=session, by=request.user, user=member)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SessionLeaveApi(APIView):
    permission_classes = [IsAuthenticated, IsSessionMember]

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, session_id: str) -> Response:
        """A member leaves the session (the owner closes it instead)."""
        session = _session_or_404(session_id)
        with _session_errors():
            session_leave(session=session, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
