"""Runs (submissions) of a session's code and their per-test results."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Verdict(models.TextChoices):
    ACCEPTED = "ACCEPTED", "Accepted"
    WRONG_ANSWER = "WRONG_ANSWER", "Wrong Answer"
    TIME_LIMIT_EXCEEDED = "TIME_LIMIT_EXCEEDED", "Time Limit Exceeded"
    MEMORY_LIMIT_EXCEEDED = "MEMORY_LIMIT_EXCEEDED", "Memory Limit Exceeded"
    OUTPUT_LIMIT_EXCEEDED = "OUTPUT_LIMIT_EXCEEDED", "Output Limit Exceeded"
    RUNTIME_ERROR = "RUNTIME_ERROR", "Runtime Error"
    COMPILATION_ERROR = "COMPILATION_ERROR", "Compilation Error"
    INTERNAL_ERROR = "INTERNAL_ERROR", "Internal Error"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"


class RunMode(models.TextChoices):
    PUSH = "push", "Push (all test cases)"
    RUN = "run", "Run with custom input"
    INTERACTIVE = "interactive", "Interactive (input typed live)"


class Run(models.Model):
    session = models.ForeignKey(
        "sessions_app.CodingSession", on_delete=models.CASCADE, related_name="runs"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="runs"
    )
    mode = models.CharField(max_length=12, choices=RunMode.choices)
    language = models.CharField(max_length=20)
    code = models.TextField()
    version = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Document version of the code judged; null for own code."
    )
    stdin = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    verdict = models.CharField(max_length=24, choices=Verdict.choices, blank=True)
    detail = models.CharField(max_length=500, blank=True, help_text="Signal, exception or error.")
    output = models.TextField(blank=True, help_text="What the terminal showed, capped.")
    exit_code = models.IntegerField(null=True, blank=True, help_text="Custom-input runs only.")
    time_ms = models.PositiveIntegerField(null=True, blank=True, help_text="Custom-input runs.")
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="How many times a worker took the run (a crashed one is re-run once)."
    )
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The push this one's blame compares against.",
    )  # fmt: skip
    changes = models.JSONField(default=list, blank=True, help_text="Tests that changed, blamed.")
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(
        null=True, blank=True, help_text="When the scheduler handed it to a worker."
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["session", "status"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.mode}, {self.status})"


class TestResult(models.Model):
    __test__ = False

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="tests")
    test_case = models.ForeignKey(
        "challenges.TestCase", null=True, blank=True, on_delete=models.SET_NULL
    )
    position = models.PositiveIntegerField()
    is_sample = models.BooleanField(default=False)
    verdict = models.CharField(max_length=24, choices=Verdict.choices)
    detail = models.CharField(max_length=500, blank=True)
    time_ms = models.PositiveIntegerField(default=0)
    cpu_ms = models.PositiveIntegerField(null=True, blank=True)
    memory_kb = models.PositiveIntegerField(null=True, blank=True, help_text="Peak.")
    output_excerpt = models.TextField(blank=True)

    class Meta:
        ordering = ["run", "position"]

    def __str__(self) -> str:
        return f"run {self.run_id} test {self.position}: {self.verdict}"
