from django.urls import path

from challenges import views

app_name = "challenges"

urlpatterns = [
    path("", views.challenge_catalogue, name="catalogue"),
    path("<slug:slug>/", views.challenge_detail, name="detail"),
    path("<slug:slug>/start/", views.challenge_start_session, name="start"),
]
