from django.urls import path

from execution import apis

urlpatterns = [
    path("sessions/<str:session_id>/runs/", apis.RunCreateApi.as_view(), name="run-create"),
    path("runs/<int:run_id>/", apis.RunDetailApi.as_view(), name="run-detail"),
    path("runs/<int:run_id>/diff/", apis.RunDiffApi.as_view(), name="run-diff"),
]
