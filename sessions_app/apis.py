"""Session API: create a room on a challenge, read it as a member."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from challenges.selectors import challenge_list
from codepusher.ratelimit import ClientRateThrottle
from sessions_app.permissions import NO_SUCH_SESSION, IsSessionMember
from sessions_app.selectors import session_get
from sessions_app.serializers import SessionCreateSerializer, SessionSerializer
from sessions_app.services import SessionError, SessionRateLimited, session_create


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
