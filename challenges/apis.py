"""Read API of the catalogue: published challenges for everyone, drafts for staff."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from challenges.models import Challenge
from challenges.selectors import challenge_get, challenge_list, challenge_visible_test_cases
from challenges.serializers import ChallengeDetailSerializer, ChallengeListSerializer

FILTERS = ("difficulty", "repository", "tag", "language")


@extend_schema(parameters=[OpenApiParameter(name, str) for name in FILTERS])
class ChallengeListApi(generics.ListAPIView):
    serializer_class = ChallengeListSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        filters = {name: self.request.query_params.get(name) or None for name in FILTERS}
        return challenge_list(user=self.request.user, **filters)


class ChallengeDetailApi(generics.RetrieveAPIView):
    serializer_class = ChallengeDetailSerializer
    permission_classes = [AllowAny]

    def get_object(self) -> Challenge:
        challenge = challenge_get(user=self.request.user, pk=self.kwargs["pk"])
        if challenge is None:
            raise NotFound("No such challenge.")
        return challenge

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        challenge = self.get_object()
        visible = challenge_visible_test_cases(challenge=challenge, user=request.user)
        context = self.get_serializer_context() | {"visible_test_cases": visible}
        return Response(self.get_serializer(challenge, context=context).data)
