from django.contrib import admin

from execution.models import Run, TestResult


class TestResultInline(admin.TabularInline):
    model = TestResult
    extra = 0
    can_delete = False
    # Staff see hidden tests' full details here; the admin is closed to everybody else.
    readonly_fields = (
        "position", "is_sample", "verdict", "detail", "time_ms", "cpu_ms", "memory_kb",
        "output_excerpt",
    )  # fmt: skip
    exclude = ("test_case",)


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ("id", "session", "user", "mode", "language", "status", "verdict", "created_at")
    list_filter = ("status", "verdict", "mode", "language")
    search_fields = ("session__id", "user__username")
    readonly_fields = (
        "created_at", "dispatched_at", "started_at", "finished_at", "attempts", "version",
        "previous", "changes",
    )  # fmt: skip
    raw_id_fields = ("session", "user")
    inlines = [TestResultInline]
