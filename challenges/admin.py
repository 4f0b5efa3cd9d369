"""Staff curation of repositories, challenges, languages and test cases."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from challenges.models import (
    Challenge,
    ChallengeLanguage,
    Repository,
    Tag,
    TestCase,
    ValidatorFailure,
    ValidatorFile,
)


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
