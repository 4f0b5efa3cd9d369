from django.urls import path

from sessions_app import apis, roles_apis

urlpatterns = [
    path("sessions/", apis.SessionCreateApi.as_view(), name="session-create"),
    path("sessions/<str:session_id>/", apis.SessionDetailApi.as_view(), name="session-detail"),
    path(
        "sessions/<str:session_id>/roles/",
        roles_apis.SessionRolesApi.as_view(),
        name="session-roles",
    ),
    path(
        "sessions/<str:session_id>/stats/",
        roles_apis.SessionStatsApi.as_view(),
        name="session-stats",
    ),
    path(
        "sessions/<str:session_id>/invite/",
        apis.SessionInviteRotateApi.as_view(),
        name="session-invite-rotate",
    ),
    path(
        "sessions/<str:session_id>/members/<str:username>/",
        apis.SessionMemberRemoveApi.as_view(),
        name="session-member-remove",
    ),
    path("sessions/<str:session_id>/leave/", apis.SessionLeaveApi.as_view(), name="session-leave"),
]
