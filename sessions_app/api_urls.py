from django.urls import path

from sessions_app import apis, replay_apis, roles_apis

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
    path(
        "sessions/<str:session_id>/timeline/",
        replay_apis.TimelineApi.as_view(),
        name="session-timeline",
    ),
    path(
        "sessions/<str:session_id>/versions/<int:version>/",
        replay_apis.VersionApi.as_view(),
        name="session-version",
    ),
    path(
        "sessions/<str:session_id>/restore/",
        replay_apis.RestoreApi.as_view(),
        name="session-restore",
    ),
    path(
        "sessions/<str:session_id>/export/",
        replay_apis.ExportApi.as_view(),
        name="session-export",
    ),
]
