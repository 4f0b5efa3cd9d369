from django.urls import path

from sessions_app import apis

urlpatterns = [
    path("sessions/", apis.SessionCreateApi.as_view(), name="session-create"),
    path("sessions/<str:session_id>/", apis.SessionDetailApi.as_view(), name="session-detail"),
]
