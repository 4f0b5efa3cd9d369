"""Roles and contributions API: `/api/sessions/<session_id>/roles/` and `.../stats/`."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sessions_app.models import SessionMode
from sessions_app.permissions import NO_SUCH_SESSION, IsSessionMember
from sessions_app.roles import (
    ROTATION_MINUTES_MAX,
    UNSET,
    RolesError,
    RolesForbidden,
    session_roles_get,
    session_roles_update,
)
from sessions_app.selectors import session_get
from sessions_app.stats import session_stats_get


class SessionRolesApi(APIView):
    """Read the roles (any member); change them (owner: mode, driver, rotation; driver: hand
    over; navigator: ask for the keyboard). Members get `roles.changed` on the presence socket."""

    permission_classes = [IsAuthenticated, IsSessionMember]

    class InputSerializer(serializers.Serializer):
        mode = serializers.ChoiceField(choices=SessionMode.values, required=False)
        driver = serializers.CharField(max_length=150, required=False, allow_null=True)
        rotation_minutes = serializers.IntegerField(
            min_value=1, max_value=ROTATION_MINUTES_MAX, required=False, allow_null=True
        )
        request_keyboard = serializers.BooleanField(required=False)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, session_id: str) -> Response:
        return Response(session_roles_get(session_id=session_id))

    @extend_schema(request=InputSerializer, responses=OpenApiTypes.OBJECT)
    def patch(self, request: Request, session_id: str) -> Response:
        session = session_get(session_id=session_id)
        if session is None:
            raise NotFound(NO_SUCH_SESSION)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not data:
            raise ValidationError("Send mode, driver, rotation_minutes or request_keyboard.")
        try:
            session_roles_update(
                session=session,
                user=request.user,
                mode=data.get("mode", UNSET),
                driver=data.get("driver", UNSET),
                rotation_minutes=data.get("rotation_minutes", UNSET),
                request_keyboard=data.get("request_keyboard"),
            )
        except RolesForbidden as exc:
            raise PermissionDenied(str(exc)) from exc
        except RolesError as exc:
            raise ValidationError({"detail": str(exc)}) from exc
        return Response(session_roles_get(session_id=session_id))


class SessionStatsApi(APIView):
    """Per member: characters inserted and deleted, ops, typing time, time as driver, runs."""

    permission_classes = [IsAuthenticated, IsSessionMember]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, session_id: str) -> Response:
        return Response(session_stats_get(session_id=session_id))
