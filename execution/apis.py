"""Run API: members of a session run its code and read the results."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from execution.selectors import run_get
from execution.serializers import RunCreateSerializer, RunSerializer
from execution.services import RunError, RunRateLimited, run_create
from sessions_app.permissions import IsSessionMember
from sessions_app.selectors import session_get, session_user_is_member


class RunCreateApi(APIView):
    permission_classes = [IsAuthenticated, IsSessionMember]

    @extend_schema(request=RunCreateSerializer, responses={201: RunSerializer})
    def post(self, request: Request, session_id: str) -> Response:
        serializer = RunCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = session_get(session_id=session_id)
        if session is None:
            raise NotFound("No such session.")
        try:
            run = run_create(session=session, user=request.user, **serializer.validated_data)
        except RunRateLimited as exc:
            raise Throttled(detail=str(exc)) from exc
        except RunError as exc:
            raise ValidationError({"detail": str(exc)}) from exc
        return Response(RunSerializer(run).data, status=status.HTTP_201_CREATED)


class RunDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=RunSerializer)
    def get(self, request: Request, run_id: int) -> Response:
        run = run_get(run_id=run_id)
        # A non-member gets the answer a missing run gets, so run ids cannot be probed.
        if run is None or not session_user_is_member(session_id=run.session_id, user=request.user):
            raise NotFound("No such run.")
        return Response(RunSerializer(run).data)
