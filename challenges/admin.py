"""Staff curation of repositories, challenges, languages and test cases."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from challenges.models import Challenge, ChallengeLanguage, Repository, Tag, TestCase


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


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ("title", "repository", "author", "difficulty", "published", "updated_at")
    list_filter = ("published", "difficulty", "repository", "tags", "languages__language")
    search_fields = ("title", "slug", "author", "statement", "repository__name")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("tags",)
    list_select_related = ("repository",)
    inlines = [ChallengeLanguageInline, TestCaseInline]
    actions = ["publish", "unpublish"]
    fieldsets = (
        (None, {"fields": ("repository", "title", "slug", "author", "position", "published")}),
        ("Statement", {"fields": ("statement", "difficulty", "tags")}),
        ("Judging", {"fields": ("time_limit_ms", "memory_limit_mb", "comparison", "tolerance")}),
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
