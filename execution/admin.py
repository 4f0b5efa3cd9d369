from django.contrib import admin

from execution.models import Run, TestResult


class TestResultInline(admin.TabularInline):
    model = TestResult
    extra = 0
    can_delete = False
    readonly_fields = ("position", "is_sample", "verdict", "detail", "time_ms", "output_excerpt")
    exclude = ("test_case",)


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ("id", "session", "user", "mode", "language", "status", "verdict", "created_at")
    list_filter = ("status", "verdict", "mode", "language")
    search_fields = ("session__id", "user__username")
    readonly_fields = ("created_at", "started_at", "finished_at")
    raw_id_fields = ("session", "user")
    inlines = [TestResultInline]
