from django.urls import path

from search import apis

urlpatterns = [
    path("search/", apis.ChallengeSearchApi.as_view(), name="search"),
]
