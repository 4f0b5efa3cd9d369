"""API representations of the catalogue. Reference solutions and validators never appear here."""

from __future__ import annotations

from rest_framework import serializers

from challenges.models import Challenge, Repository, TestCase
from challenges.selectors import challenge_statement_html


class RepositorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Repository
        fields = ["id", "slug", "name", "owner", "description"]


class ChallengeListSerializer(serializers.ModelSerializer):
    repository = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    repository_name = serializers.CharField(source="repository.name", read_only=True)
    languages = serializers.SerializerMethodField()
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Challenge
        fields = [
            "id", "slug", "title", "repository", "repository_name", "author", "difficulty",
            "languages", "tags", "published", "url",
        ]  # fmt: skip

    def get_languages(self, challenge: Challenge) -> list[str]:
        return [item.language for item in challenge.languages.all()]


class SampleTestCaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = TestCase
        fields = ["position", "stdin", "expected_output", "is_sample"]


class ChallengeDetailSerializer(ChallengeListSerializer):
    statement_html = serializers.SerializerMethodField()
    starter_code = serializers.SerializerMethodField()
    test_cases = serializers.SerializerMethodField()

    class Meta(ChallengeListSerializer.Meta):
        fields = ChallengeListSerializer.Meta.fields + [
            "statement", "statement_html", "time_limit_ms", "memory_limit_mb", "comparison",
            "tolerance", "validator_flags", "source", "source_url", "license", "starter_code",
            "test_cases",
        ]  # fmt: skip

    def get_statement_html(self, challenge: Challenge) -> str:
        return challenge_statement_html(challenge=challenge)

    def get_starter_code(self, challenge: Challenge) -> dict[str, str]:
        return {item.language: item.starter_code for item in challenge.languages.all()}

    def get_test_cases(self, challenge: Challenge) -> list[dict]:
        return SampleTestCaseSerializer(self.context["visible_test_cases"], many=True).data
