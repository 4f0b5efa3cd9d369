from django.urls import path

from challenges import apis

urlpatterns = [
    path("challenges/", apis.ChallengeListApi.as_view(), name="challenge-list"),
    path("challenges/<int:pk>/", apis.ChallengeDetailApi.as_view(), name="challenge-detail"),
]
