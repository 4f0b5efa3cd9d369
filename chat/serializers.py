"""The one shape of a chat message, for API responses and WebSocket frames alike."""

from __future__ import annotations

from rest_framework import serializers

from chat.models import Message


class MessageSerializer(serializers.ModelSerializer):
    """`html` is the sanitised rendering; clients show it and never the raw `body` as HTML."""

    author = serializers.CharField(source="author.username", read_only=True)
    color = serializers.SerializerMethodField()
    to = serializers.SerializerMethodField()
    mentions = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = Message
        fields = ["id", "author", "color", "body", "html", "to", "created_at", "mentions"]
        read_only_fields = fields

    def get_color(self, message: Message) -> str | None:
        """The author's colour in the session (annotated by the selectors)."""
        return getattr(message, "author_color", None)

    def get_to(self, message: Message) -> str | None:
        """The recipient's username for a direct message, null for everyone."""
        return message.recipient.username if message.recipient_id else None

    def get_mentions(self, message: Message) -> list[str]:
        names = getattr(message, "mentioned_usernames", None)
        if names is None:
            names = [user.username for user in message.mentions.all()]
        return sorted(names)


class MessageCreateSerializer(serializers.Serializer):
    """Only the types are checked here; `chat.services` says what is wrong with the content."""

    body = serializers.CharField(allow_blank=True, trim_whitespace=False)
    recipient = serializers.CharField(required=False, allow_null=True, allow_blank=True)


class MessageHistoryQuerySerializer(serializers.Serializer):
    before = serializers.IntegerField(required=False, min_value=1)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=100, default=50)
