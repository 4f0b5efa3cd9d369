"""Chat API: members read a session's history (paging back) and post messages."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chat.selectors import message_history_page, session_member_by_username
from chat.serializers import (
    MessageCreateSerializer,
    MessageHistoryQuerySerializer,
    MessageSerializer,
)
from chat.services import MessageError, MessageRateLimited, message_send
from sessions_app.permissions import IsSessionMember
from sessions_app.selectors import session_get

HistorySerializer = inline_serializer(
    "MessageHistory",
    {"results": MessageSerializer(many=True), "has_more": serializers.BooleanField()},
)


class MessageListCreateApi(APIView):
    """GET: visible messages, newest last; `?before=<id>` pages back. POST: send one."""

    permission_classes = [IsAuthenticated, IsSessionMember]

    @extend_schema(
        parameters=[
            OpenApiParameter("before", int, description="Only messages with a smaller id."),
            OpenApiParameter("limit", int, description="Page size, 1 to 100 (default 50)."),
        ],
        responses=HistorySerializer,
    )
    def get(self, request: Request, session_id: str) -> Response:
        query = MessageHistoryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = message_history_page(
            session_id=session_id, user=request.user, **query.validated_data
        )
        return Response(
            {
                "results": MessageSerializer(page.messages, many=True).data,
                "has_more": page.has_more,
            }
        )

    @extend_schema(request=MessageCreateSerializer, responses={201: MessageSerializer})
    def post(self, request: Request, session_id: str) -> Response:
        serializer = MessageCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = session_get(session_id=session_id)
        if session is None:
            raise NotFound("No such session.")
        recipient = None
        username = serializer.validated_data.get("recipient")
        if username:
            recipient = session_member_by_username(session_id=session_id, username=username)
            if recipient is None:
                raise ValidationError({"detail": f"{username} is not a member of this session."})
        try:
            message = message_send(
                session=session,
                author=request.user,
                body=serializer.validated_data["body"],
                recipient=recipient,
            )
        except MessageRateLimited as exc:
            raise Throttled(detail=str(exc)) from exc
        except MessageError as exc:
            raise ValidationError({"detail": str(exc)}) from exc
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)
