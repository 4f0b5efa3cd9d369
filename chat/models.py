"""Chat messages of a session, public or direct to one member."""

from __future__ import annotations

from django.conf import settings
from django.db import models

MESSAGE_MAX_LENGTH = 4000


class Message(models.Model):
    session = models.ForeignKey(
        "sessions_app.CodingSession", on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_messages"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="direct_messages",
        help_text="Set for a direct message: only author and recipient see it.",
    )
    body = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    html = models.TextField(
        blank=True,
        help_text="The body rendered and sanitised once when sent, so history never re-renders it.",
    )
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="chat_mentions",
        help_text="Members named with @username who can see the message.",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "id"])]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"
