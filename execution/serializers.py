from __future__ import annotations

from rest_framework import serializers

from execution.models import Run, RunMode, TestResult


class RunCreateSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=RunMode.choices)
    stdin = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, default=""
    )
    code = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    language = serializers.CharField(required=False, max_length=20)


class TestResultSerializer(serializers.ModelSerializer):
    """Hidden tests show their verdict and times only (never detail, output or memory)."""

    class Meta:
        model = TestResult
        fields = [
            "position", "is_sample", "verdict", "detail", "time_ms", "cpu_ms", "memory_kb",
            "output_excerpt",
        ]  # fmt: skip

    def to_representation(self, result: TestResult) -> dict:
        data = super().to_representation(result)
        if not result.is_sample:
            data.pop("output_excerpt")
            data["detail"] = ""
            data["memory_kb"] = None
        return data


class RunSerializer(serializers.ModelSerializer):
    session = serializers.CharField(source="session_id", read_only=True)
    user = serializers.CharField(source="user.username", read_only=True)
    tests = TestResultSerializer(many=True, read_only=True)

    class Meta:
        model = Run
        fields = [
            "id", "session", "user", "mode", "language", "version", "status", "verdict", "detail",
            "output", "exit_code", "time_ms", "tests", "previous", "changes", "created_at",
            "started_at", "finished_at",
        ]  # fmt: skip


class RunHistorySerializer(serializers.ModelSerializer):
    """One line of a session's run history: who, when, what, and a mark per test."""

    user = serializers.CharField(source="user.username", read_only=True)
    marks = serializers.SerializerMethodField()

    class Meta:
        model = Run
        fields = [
            "id", "user", "mode", "language", "version", "status", "verdict", "detail",
            "exit_code", "time_ms", "previous", "marks", "changes", "created_at", "finished_at",
        ]  # fmt: skip

    def get_marks(self, run: Run) -> list[dict]:
        return [
            {"position": t.position, "sample": t.is_sample, "verdict": t.verdict}
            for t in run.tests.all()
        ]


class RunDiffSerializer(serializers.Serializer):
    run = serializers.IntegerField()
    against = serializers.IntegerField()
    diff = serializers.CharField()
