"""Staff curation of repositories, challenges, languages and test cases."""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from challenges.models import (
    Challenge,
    ChallengeLanguage,
    Comparison,
    Repository,
    Tag,
    TestCase,
    ValidatorFailure,
    ValidatorFile,
)
from challenges.packs import PackError
from challenges.services import challenges_import_kattis
from execution.validators import validator_entry

MAX_UPLOAD_BYTES = 64 << 20


class KattisUploadForm(forms.Form):
    repository = forms.ModelChoiceField(Repository.objects.order_by("name"), to_field_name="slug")
    archive = forms.FileField(
        label="Problem package (.zip)",
        help_text="One Kattis problem, or a folder of them, zipped. All or nothing.",
    )
    publish = forms.BooleanField(required=False, help_text="Publish new problems at once.")

    def clean_archive(self):
        archive = self.cleaned_data["archive"]
        if not archive.name.lower().endswith(".zip"):
            raise forms.ValidationError("Upload a .zip file.")
        if archive.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The file is over {MAX_UPLOAD_BYTES >> 20} MB.")
        return archive


class ChallengeInline(admin.TabularInline):
    model = Challenge
    fields = ("position", "title", "slug", "difficulty", "published")
    show_change_link = True
    extra = 0


@admin.register(Repository)
class RepositoryAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "slug", "updated_at")
    search_fields = ("name", "owner", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ChallengeInline]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ("name",)


class ChallengeLanguageInline(admin.StackedInline):
    model = ChallengeLanguage
    extra = 0


class TestCaseInline(admin.StackedInline):
    model = TestCase
    fields = (("position", "is_sample"), "stdin", "expected_output")
    extra = 0


class ValidatorFileInline(admin.StackedInline):
    model = ValidatorFile
    extra = 0
    verbose_name = "output validator file"


class ValidatorFailureInline(admin.TabularInline):
    """Staff notes left by the judge when the validator crashed; read-only."""

    model = ValidatorFailure
    fields = ("created_at", "run_id", "test_position", "message")
    readonly_fields = fields
    extra = 0
    can_delete = True

    def has_add_permission(self, request: HttpRequest, obj: Challenge | None = None) -> bool:
        return False


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ("title", "repository", "author", "difficulty", "published", "updated_at")
    list_filter = ("published", "difficulty", "repository", "tags", "languages__language")
    search_fields = ("title", "slug", "author", "statement", "repository__name")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("tags",)
    list_select_related = ("repository",)
    inlines = [
        ChallengeLanguageInline,
        TestCaseInline,
        ValidatorFileInline,
        ValidatorFailureInline,
    ]
    actions = ["publish", "unpublish"]
    fieldsets = (
        (None, {"fields": ("repository", "title", "slug", "author", "position", "published")}),
        ("Statement", {"fields": ("statement", "difficulty", "tags")}),
        ("Origin", {"fields": ("source", "source_url", "license")}),
        (
            "Judging",
            {
                "fields": (
                    "time_limit_ms",
                    "memory_limit_mb",
                    "comparison",
                    "tolerance",
                    "validator_flags",
                )
            },
        ),
    )

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        """Warn at once when a custom comparison has no usable validator: every push of the
        challenge would end in Internal Error."""
        super().save_related(request, form, formsets, change)
        challenge = form.instance
        if challenge.comparison != Comparison.CUSTOM:
            return
        try:
            validator_entry(sorted(challenge.validator_files.values_list("name", flat=True)))
        except ValueError as exc:
            self.message_user(
                request, f"The output validator is unusable: {exc}. Pushes will end in "
                "Internal Error until it is fixed.", messages.WARNING,
            )  # fmt: skip

    def get_urls(self):
        import_view = self.admin_site.admin_view(self.import_kattis_view)
        return [
            path("import-kattis/", import_view, name="challenges_challenge_import_kattis"),
            *super().get_urls(),
        ]

    def import_kattis_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a Kattis package zip: the same all-or-nothing import as the command."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = KattisUploadForm(request.POST or None, request.FILES or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["archive"]
            with tempfile.NamedTemporaryFile(suffix=".zip") as saved:
                for chunk in upload.chunks():
                    saved.write(chunk)
                saved.flush()
                try:
                    summary = challenges_import_kattis(
                        path=Path(saved.name),
                        repository_slug=form.cleaned_data["repository"].slug,
                        publish=form.cleaned_data["publish"],
                        name=upload.name,
                    )
                except PackError as exc:
                    problems = exc.lines(Path(upload.name))
            if not problems:
                for warning in summary.warnings:
                    self.message_user(request, f"Warning: {warning}", messages.WARNING)
                self.message_user(request, f"Imported {upload.name}: {summary}.", messages.SUCCESS)
                return redirect("admin:challenges_challenge_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import Kattis problems",
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(request, "admin/challenges/challenge/import_kattis.html", context)

    @admin.action(description="Publish selected challenges")
    def publish(self, request: HttpRequest, queryset: QuerySet[Challenge]) -> None:
        self._set_published(request, queryset, True)

    @admin.action(description="Unpublish selected challenges")
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Challenge]) -> None:
        self._set_published(request, queryset, False)

    def _set_published(
        self, request: HttpRequest, queryset: QuerySet[Challenge], value: bool
    ) -> None:
        # Saved one by one so post_save reaches the search index for each challenge.
        count = 0
        for challenge in queryset:
            if challenge.published != value:
                challenge.published = value
                challenge.save(update_fields=["published", "updated_at"])
                count += 1
        state = "published" if value else "unpublished"
        self.message_user(request, f"{count} challenge(s) {state}.", messages.SUCCESS)
