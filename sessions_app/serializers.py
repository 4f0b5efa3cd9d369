from __future__ import annotations

from rest_framework import serializers

from challenges.models import Challenge
from sessions_app.models import CodingSession, SessionStatus


class SessionCreateSerializer(serializers.Serializer):
    challenge = serializers.PrimaryKeyRelatedField(queryset=Challenge.objects.none())
    language = serializers.CharField(max_length=20)

    def __init__(self, *args, challenges=None, **kwargs):
        super().__init__(*args, **kwargs)
        if challenges is not None:
            self.fields["challenge"].queryset = challenges


class SessionSerializer(serializers.ModelSerializer):
    challenge = serializers.PrimaryKeyRelatedField(read_only=True)
    challenge_slug = serializers.CharField(source="challenge.slug", read_only=True)
    owner = serializers.CharField(source="owner.username", read_only=True)
    invite_url = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()

    class Meta:
        model = CodingSession
        fields = [
            "id", "challenge", "challenge_slug", "language", "owner", "status", "invite_url",
            "members", "created_at",
        ]  # fmt: skip

    def get_invite_url(self, session: CodingSession) -> str:
        request = self.context.get("request")
        path = session.get_invite_path()
        return request.build_absolute_uri(path) if request else path

    def get_members(self, session: CodingSession) -> list[dict]:
        return [
            {"username": m.user.username, "color": m.color}
            for m in session.memberships.select_related("user")
        ]


class SessionStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=SessionStatus.choices)
