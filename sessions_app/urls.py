from django.urls import path

from sessions_app import views

app_name = "sessions_app"

urlpatterns = [
    path("<str:session_id>/", views.session_room, name="room"),
    path("<str:session_id>/join/<str:token>/", views.session_invite, name="join"),
    path("<str:session_id>/replay/", views.session_replay, name="replay"),
]
