"""Replay API: a session's timeline in pages, its code at any version, a version restored, and
the whole session as one JSON file. Reads for members and staff; restoring for members."""

from __future__ import annotations

from django.http import JsonResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sessions_app.ot.types import OTError
from sessions_app.permissions import NO_SUCH_SESSION, IsSessionMember, IsSessionMemberOrStaff
from sessions_app.selectors import session_get
from sessions_app.services import SessionError, session_version_restore
from sessions_app.timeline import (
    TIMELINE_MAX_LIMIT,
    TimelineError,
    session_export,
    timeline_page,
    version_text,
)

TimelineSerializer = inline_serializer(
    "Timeline",
    {"events": serializers.ListField(child=serializers.DictField()),
     "next": serializers.CharField(allow_null=True)},
)  # fmt: skip


class TimelineApi(APIView):
    permission_classes = [IsAuthenticated, IsSessionMemberOrStaff]

    @extend_schema(
        parameters=[
            OpenApiParameter("after", str, description="`next` of the previous page."),
            OpenApiParameter("limit", int, description=f"1 to {TIMELINE_MAX_LIMIT} (1000)."),
        ],
        responses=TimelineSerializer,
    )
    def get(self, request: Request, session_id: str) -> Response:
        """Ops, runs, messages, members and call events in time order, `limit` at a time."""
        if session_get(session_id=session_id) is None:
            raise NotFound(NO_SUCH_SESSION)
        limit = request.query_params.get("limit", "1000")
        if not limit.isdigit():
            raise ValidationError({"limit": [f"A number from 1 to {TIMELINE_MAX_LIMIT}."]})
        try:
            page = timeline_page(
                session_id=session_id,
                user=request.user,
                after=request.query_params.get("after") or None,
                limit=int(limit),
            )
        except TimelineError as exc:
            raise ValidationError({"detail": str(exc)}) from exc
        return Response({"events": page.events, "next": page.next})


class VersionApi(APIView):
    permission_classes = [IsAuthenticated, IsSessionMemberOrStaff]

    @extend_schema(
        responses=inline_serializer(
            "Version", {"v": serializers.IntegerField(), "text": serializers.CharField()}
        )
    )
    def get(self, request: Request, session_id: str, version: int) -> Response:
        """The code at version `v`, rebuilt from the nearest stored snapshot."""
        if session_get(session_id=session_id) is None:
            raise NotFound(NO_SUCH_SESSION)
        try:
            text = version_text(session_id=session_id, version=version)
        except OTError as exc:
            raise NotFound(f"No version {version}: {exc}") from exc
        return Response({"v": version, "text": text})


class RestoreApi(APIView):
    permission_classes = [IsAuthenticated, IsSessionMember]

    @extend_schema(
        request=inline_serializer("Restore", {"version": serializers.IntegerField(min_value=0)}),
        responses=inline_serializer("Restored", {"v": serializers.IntegerField()}),
    )
    def post(self, request: Request, session_id: str) -> Response:
        """Write the code of `version` into the live document as one op by the caller."""
        version = request.data.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise ValidationError({"version": ["A document version (a positive integer)."]})
        session = session_get(session_id=session_id)
        if session is None:
            raise NotFound(NO_SUCH_SESSION)
        try:
            new_version = session_version_restore(
                session=session, user=request.user, version=version
            )
        except OTError as exc:
            raise ValidationError({"version": [f"No version {version}."]}) from exc
        except SessionError as exc:
            raise ValidationError({"detail": str(exc)}) from exc
        return Response({"v": new_version})


class ExportApi(APIView):
    permission_classes = [IsAuthenticated, IsSessionMemberOrStaff]

    @extend_schema(responses=inline_serializer("SessionExport", {"ops": serializers.ListField()}))
    def get(self, request: Request, session_id: str) -> JsonResponse:
        """The session as one JSON file: challenge, members, ops, runs, messages, membership."""
        session = session_get(session_id=session_id)
        if session is None:
            raise NotFound(NO_SUCH_SESSION)
        response = JsonResponse(session_export(session=session, user=request.user))
        response["Content-Disposition"] = f'attachment; filename="session-{session.id}.json"'
        return response
