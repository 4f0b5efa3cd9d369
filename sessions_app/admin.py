from django.contrib import admin

from sessions_app.models import CodingSession, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(CodingSession)
class CodingSessionAdmin(admin.ModelAdmin):
    list_display = ("id", "challenge", "owner", "language", "created_at")
    list_filter = ("language",)
    search_fields = ("id", "owner__username", "challenge__title")
    raw_id_fields = ("owner", "challenge")
    readonly_fields = ("id", "invite_token", "created_at")
    inlines = [MembershipInline]
