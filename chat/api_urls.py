from django.urls import path

from chat import apis

urlpatterns = [
    path(
        "sessions/<str:session_id>/messages/",
        apis.MessageListCreateApi.as_view(),
        name="chat-messages",
    ),
]
