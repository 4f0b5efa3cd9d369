"""Language API: the registry (execution/languages.py) as the pages and clients see it."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from execution.languages import LANGUAGES

LanguageSerializer = inline_serializer(
    "Language",
    {
        "key": serializers.CharField(),
        "label": serializers.CharField(),
        "extension": serializers.CharField(),
        "editor": serializers.CharField(),
        "source_file": serializers.CharField(),
    },
    many=True,
)


class LanguageListApi(APIView):
    """GET: every language the runner knows, in the registry's order.

    Public on purpose: the same facts are on every challenge page and in the pack format docs.
    """

    permission_classes = [AllowAny]

    @extend_schema(responses=LanguageSerializer)
    def get(self, request: Request) -> Response:
        return Response([lang.as_dict() for lang in LANGUAGES.values()])
