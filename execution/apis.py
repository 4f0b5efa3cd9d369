"""Run API: members of a session run its code and read the results."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from execution.models import Run
from execution.selectors import run_code_diff, run_get, run_history_list
from execution.serializers import (
    RunCreateSerializer,
    RunDiffSerializer,
    RunHistorySerializer,
    RunSerializer,
)
from execution.services import RunError, RunRateLimited, run_create
from sessions_app.permissions import IsSessionMember
from sessions_app.selectors import session_get, session_user_is_member


class RunCreateApi(APIView):
    """POST: run the session's code; GET: the session's run history, newest first."""

    permission_classes = [IsAuthenticated, IsSessionMember]

    @extend_schema(responses=RunHistorySerializer(many=True))
    def get(self, request: Request, session_id: str) -> Response:
        if session_get(session_id=session_id) is None:
            raise NotFound("No such session.")
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(
            run_history_list(session_id=session_id), request, view=self
        )
        return paginator.get_paginated_response(RunHistorySerializer(page, many=True).data)

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


def _run_for_reader(request: Request, run_id: int) -> Run:
    """Members read their session's runs, staff every run (the replay's run markers); hidden
    tests stay redacted by the serializer for both. Anyone else gets the missing-run answer, so
    run ids cannot be probed."""
    run = run_get(run_id=run_id)
    if run is None or not (
        request.user.is_staff
        or session_user_is_member(session_id=run.session_id, user=request.user)
    ):
        raise NotFound("No such run.")
    return run


class RunDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=RunSerializer)
    def get(self, request: Request, run_id: int) -> Response:
        return Response(RunSerializer(_run_for_reader(request, run_id)).data)


class RunDiffApi(APIView):
    """The unified diff of two runs' code (`?against=<run id>`, default the previous push)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("against", int)], responses=RunDiffSerializer)
    def get(self, request: Request, run_id: int) -> Response:
        run = _run_for_reader(request, run_id)
        against_id = request.query_params.get("against") or run.previous_id
        if against_id is None:
            raise ValidationError({"detail": "Say which run to compare with: ?against=<run id>."})
        try:
            against = _run_for_reader(request, int(against_id))
        except ValueError as exc:
            raise ValidationError({"detail": "against must be a run id."}) from exc
        if against.session_id != run.session_id:
            raise ValidationError({"detail": "Both runs must belong to the same session."})
        diff = run_code_diff(run=run, against=against)
        return Response(
            RunDiffSerializer({"run": run.pk, "against": against.pk, "diff": diff}).data
        )
