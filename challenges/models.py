"""Repositories of challenges, their languages and test cases: what staff curate."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from execution.languages import LANGUAGES, language_choices


class Difficulty(models.TextChoices):
    EASY = "easy", "Easy"
    MEDIUM = "medium", "Medium"
    HARD = "hard", "Hard"


class Comparison(models.TextChoices):
    EXACT = "exact", "Exact"
    TRAILING_WHITESPACE = "trailing_whitespace", "Ignore trailing whitespace"
    FLOAT = "float", "Numbers within a tolerance"
    TOKENS = "tokens", "Tokens, steered by validator flags (Kattis default)"
    CUSTOM = "custom", "Custom output validator"


# The languages are the runner's registry (execution/languages.py); the field's choices are a
# callable, so adding a language there needs no migration.
Language = models.TextChoices(
    "Language", [(lang.key.upper(), (lang.key, lang.label)) for lang in LANGUAGES.values()]
)


class Repository(models.Model):
    """An owner's named collection of challenges."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    owner = models.CharField(max_length=150, help_text="Handle of the person or team who owns it.")
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "repositories"

    def __str__(self) -> str:
        return f"{self.owner}/{self.name}"


class Tag(models.Model):
    name = models.SlugField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Challenge(models.Model):
    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="challenges")
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    statement = models.TextField(help_text="Markdown; rendered safely (no raw HTML).")
    difficulty = models.CharField(
        max_length=10, choices=Difficulty.choices, default=Difficulty.EASY
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="challenges")
    author = models.CharField(max_length=150)
    time_limit_ms = models.PositiveIntegerField(default=2000)
    memory_limit_mb = models.PositiveIntegerField(default=256)
    comparison = models.CharField(
        max_length=24, choices=Comparison.choices, default=Comparison.TRAILING_WHITESPACE
    )
    tolerance = models.FloatField(default=1e-6, help_text="Used by the 'numbers' comparison.")
    validator_flags = models.CharField(
        max_length=300,
        blank=True,
        help_text="With 'tokens': any of case_sensitive, space_change_sensitive, "
        "float_tolerance x, float_absolute_tolerance x, float_relative_tolerance x. "
        "With 'custom': extra arguments passed to the output validator.",
    )
    source = models.CharField(max_length=200, blank=True, help_text="Where it was first used.")
    source_url = models.URLField(max_length=500, blank=True)
    license = models.CharField(max_length=50, blank=True, help_text="e.g. cc by-sa, cc0.")
    published = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0, help_text="Order within the repository.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["repository__name", "position", "title"]
        indexes = [models.Index(fields=["published", "difficulty"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("challenges:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        """Refuse validator flags the judge could not apply, with the offending word named."""
        from execution.compare import flags_parse

        if self.comparison == Comparison.TOKENS:
            try:
                flags_parse(self.validator_flags)
            except ValueError as exc:
                raise ValidationError({"validator_flags": str(exc)}) from None
        elif self.validator_flags.strip() and self.comparison != Comparison.CUSTOM:
            raise ValidationError(
                {"validator_flags": "Validator flags go with the 'tokens' or 'custom' comparison."}
            )


class ChallengeLanguage(models.Model):
    """A language a challenge may be solved in, with its starter code and reference solution."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(max_length=20, choices=language_choices)
    starter_code = models.TextField(blank=True)
    solution = models.TextField(blank=True, help_text="Reference solution; staff only.")

    class Meta:
        ordering = ["challenge", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "language"], name="unique_challenge_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.challenge} ({self.get_language_display()})"


class TestCase(models.Model):
    __test__ = False  # not a pytest class

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="test_cases")
    position = models.PositiveIntegerField(default=0)
    stdin = models.TextField(blank=True)
    expected_output = models.TextField(blank=True)
    is_sample = models.BooleanField(default=False, help_text="Samples are shown to learners.")

    class Meta:
        ordering = ["challenge", "position", "id"]

    def __str__(self) -> str:
        kind = "sample" if self.is_sample else "hidden"
        return f"{self.challenge} #{self.position} ({kind})"


class ValidatorFile(models.Model):
    """One source file of a challenge's custom output validator (``comparison = custom``).

    The language follows from the names: ``.py`` files make a Python validator (the one ``.py``
    file, or ``validate.py``, is run); ``.cpp``/``.cc`` files (with headers) a C++ one.
    """

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="validator_files"
    )
    name = models.CharField(max_length=100, help_text="e.g. validate.py or validate.cpp")
    content = models.TextField()

    class Meta:
        ordering = ["challenge", "name"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "name"], name="unique_validator_file")
        ]

    def __str__(self) -> str:
        return f"{self.challenge} validator {self.name}"


class ValidatorFailure(models.Model):
    """A staff note: the output validator crashed or broke its limits on a run.

    The learner got Internal Error, never a verdict; this says what went wrong so staff can
    fix the validator.
    """

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="validator_failures"
    )
    run_id = models.PositiveIntegerField(null=True, blank=True)
    test_position = models.PositiveIntegerField(default=0)
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.challenge} run {self.run_id} test {self.test_position}"
