"""GET /api/search/: the catalogue search as JSON, for the header suggestions and API clients."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from execution.languages import LANGUAGES
from search.selectors import challenge_search, search_params


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    # Declared fields leave the class when DRF builds it, so this never shadows Field.label.
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetsSerializer(serializers.Serializer):
    difficulty = FacetValueSerializer(many=True)
    tag = FacetValueSerializer(many=True)
    language = FacetValueSerializer(many=True)
    repository = FacetValueSerializer(many=True)


class SearchHitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="challenge.pk")
    slug = serializers.CharField(source="challenge.slug")
    title = serializers.CharField(source="challenge.title")
    repository = serializers.CharField(source="challenge.repository.slug")
    repository_name = serializers.CharField(source="challenge.repository.name")
    author = serializers.CharField(source="challenge.author")
    difficulty = serializers.CharField(source="challenge.difficulty")
    tags = serializers.ListField(child=serializers.CharField())
    languages = serializers.ListField(child=serializers.CharField())
    published = serializers.BooleanField(source="challenge.published")
    url = serializers.CharField(source="challenge.get_absolute_url")
    title_html = serializers.CharField(help_text="Escaped HTML; matches wrapped in <mark>.")
    repository_html = serializers.CharField(help_text="Escaped HTML; matches in <mark>.")
    author_html = serializers.CharField(help_text="Escaped HTML; matches in <mark>.")
    snippet_html = serializers.CharField(
        help_text="Escaped excerpt of the statement around a match, or empty."
    )


class SearchPageSerializer(serializers.Serializer):
    query = serializers.CharField(help_text="The query as searched (cleaned, at most 200 chars).")
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    page_size = serializers.IntegerField()
    message = serializers.CharField(help_text="Why a query found nothing or was shortened.")
    results = SearchHitSerializer(many=True)
    facets = FacetsSerializer(help_text="Counts over what you may see, each without its filter.")


class ChallengeSearchApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="search_challenges",
        summary="Search the catalogue",
        description=(
            "Typo-tolerant, prefix-matching search over challenge names, repositories, authors, "
            "tags and statements, ranked in that order. An empty `q` lists the catalogue. "
            "Drafts are only visible to staff."
        ),
        parameters=[
            OpenApiParameter("q", str, description="Words to search for (as typed)."),
            OpenApiParameter("difficulty", str, enum=["easy", "medium", "hard"]),
            OpenApiParameter("tag", str, description="A tag name, e.g. `strings`."),
            OpenApiParameter("language", str, enum=list(LANGUAGES)),
            OpenApiParameter("repository", str, description="A repository slug."),
            OpenApiParameter("page", int, description="1-based page number."),
            OpenApiParameter("page_size", int, description="Results per page (1–50, default 20)."),
        ],
        responses={
            200: SearchPageSerializer,
            503: OpenApiResponse(
                SearchPageSerializer, description="The search engine is down; see `message`."
            ),
        },
    )
    def get(self, request: Request) -> Response:
        result = challenge_search(user=request.user, **search_params(request.query_params))
        status = 503 if result.unavailable else 200
        return Response(SearchPageSerializer(result).data, status=status)
