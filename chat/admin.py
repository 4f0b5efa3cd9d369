from django.contrib import admin

from chat.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("session", "author", "recipient", "created_at")
    search_fields = ("body", "author__username", "session__id")
    raw_id_fields = ("session", "author", "recipient")
