"""Coding sessions, their members, and the stored collaborative documents (ShareDB model)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

SESSION_ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
SESSION_ID_LENGTH = 12


def session_id_new() -> str:
    """12 characters from 31 symbols: about 59 bits, unguessable and easy to read aloud."""
    return "".join(secrets.choice(SESSION_ID_ALPHABET) for _ in range(SESSION_ID_LENGTH))


def invite_token_new() -> str:
    return secrets.token_urlsafe(12)


class SessionStatus(models.TextChoices):
    OPEN = "open", "Open"
    READ_ONLY = "read_only", "Read-only"  # the code cannot be edited; chat and runs go on
    CLOSED = "closed", "Closed"  # nothing changes any more: no edits, runs, messages or calls


class CodingSession(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=session_id_new, editable=False)
    invite_token = models.CharField(
        max_length=32, default=invite_token_new, help_text="Secret of the invite link."
    )
    invite_rotated_at = models.DateTimeField(
        null=True, blank=True, help_text="When the owner last replaced the invite link."
    )
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )
    challenge = models.ForeignKey(
        "challenges.Challenge", on_delete=models.CASCADE, related_name="sessions"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owned_sessions"
    )
    language = models.CharField(max_length=20)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="coding_sessions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.id} ({self.challenge})"

    def get_absolute_url(self) -> str:
        return reverse("sessions_app:room", kwargs={"session_id": self.id})

    def get_invite_path(self) -> str:
        return reverse(
            "sessions_app:join", kwargs={"session_id": self.id, "token": self.invite_token}
        )

    @property
    def group_name(self) -> str:
        """The channel-layer group every member of the session listens on."""
        return f"session.{self.id}"


class Membership(models.Model):
    session = models.ForeignKey(CodingSession, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    color = models.CharField(max_length=7, default="#4f7cff")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="unique_session_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.session_id}"


class MembershipEventKind(models.TextChoices):
    JOINED = "joined", "joined the session"
    LEFT = "left", "left the session"
    REMOVED = "removed", "was removed by the owner"
    CALL_JOINED = "call_joined", "joined the call"
    CALL_LEFT = "call_left", "left the call"


class MembershipEvent(models.Model):
    """Who came and went, kept after a membership ends: the replay's member markers."""

    session = models.ForeignKey(
        CodingSession, on_delete=models.CASCADE, related_name="membership_events"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=MembershipEventKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who did it, when not the member (the owner removing them).",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.session_id}"


# --- ShareDB-compatible document storage --------------------------------------------------------


class Document(models.Model):
    """The current snapshot of one ShareDB document; `version` is the commit point."""

    collection = models.CharField(max_length=100)
    doc_id = models.CharField(max_length=100)
    version = models.PositiveBigIntegerField(default=0)
    type = models.CharField(max_length=100, blank=True, help_text="Empty when not created.")
    data = models.JSONField(null=True, blank=True)
    ops_bytes = models.PositiveBigIntegerField(
        default=0, help_text="Size of the stored op log (UTF-8 JSON of the op bodies)."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collection", "doc_id"], name="unique_document")
        ]

    def __str__(self) -> str:
        return f"{self.collection}/{self.doc_id}@{self.version}"


class DocumentOp(models.Model):
    """One acknowledged op; (collection, doc_id, version) is unique, which makes commits atomic."""

    collection = models.CharField(max_length=100)
    doc_id = models.CharField(max_length=100)
    version = models.PositiveBigIntegerField(help_text="The version the op applied to.")
    src = models.CharField(max_length=64, blank=True)
    seq = models.PositiveBigIntegerField(null=True, blank=True)
    op = models.JSONField(help_text="ShareDB op message body: {op}, {create} or {del}.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["collection", "doc_id", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "doc_id", "version"], name="unique_document_op_version"
            )
        ]
        indexes = [models.Index(fields=["collection", "doc_id", "src", "seq"])]

    def __str__(self) -> str:
        return f"{self.collection}/{self.doc_id} op v{self.version}"


class DocumentSnapshot(models.Model):
    """Milestone snapshots, so fetching a document at an old version replays few ops."""

    collection = models.CharField(max_length=100)
    doc_id = models.CharField(max_length=100)
    version = models.PositiveBigIntegerField()
    type = models.CharField(max_length=100, blank=True)
    data = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "doc_id", "version"], name="unique_document_snapshot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.collection}/{self.doc_id} snapshot v{self.version}"


# --- Roles: who may edit the code now ---------------------------------------------------------


class SessionMode(models.TextChoices):
    FREE = "free", "Everyone edits"
    DRIVER = "driver", "One driver edits"


class SessionRoles(models.Model):
    """A session's editing mode; sessions without a row are in `free` mode."""

    session = models.OneToOneField(
        CodingSession, on_delete=models.CASCADE, primary_key=True, related_name="roles"
    )
    mode = models.CharField(max_length=8, choices=SessionMode.choices, default=SessionMode.FREE)
    driver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The one member who may edit in driver mode.",
    )
    rotation_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The keyboard passes to the next member this often."
    )
    next_rotation_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.session_id}: {self.mode}"


class RoleChange(models.Model):
    """Every mode and driver a session had, from when: the stats' "time as driver"."""

    class Reason(models.TextChoices):
        MODE = "mode", "the owner switched modes"
        DRIVER = "driver", "the owner chose the driver"
        HANDOVER = "handover", "the driver handed over"
        ROTATION = "rotation", "the keyboard rotated"

    session = models.ForeignKey(
        CodingSession, on_delete=models.CASCADE, related_name="role_changes"
    )
    mode = models.CharField(max_length=8, choices=SessionMode.choices)
    driver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=10, choices=Reason.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "created_at"])]

    def __str__(self) -> str:
        return f"{self.session_id} {self.mode} {self.driver_id} at {self.created_at}"


class KeyboardRequest(models.Model):
    """A navigator asking the driver for the keyboard; gone once they get it or withdraw."""

    session = models.ForeignKey(
        CodingSession, on_delete=models.CASCADE, related_name="keyboard_requests"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="unique_keyboard_request")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} asks for the keyboard in {self.session_id}"
