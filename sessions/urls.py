from django.urls import path

from . import planner_views, setup_views, views, wall_views

app_name = "sessions"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("console/", views.console, name="console"),
    path("console/live/", views.console_live, name="console_live"),
    path("projectorlink/", views.projector_link_manage, name="projector_link_manage"),
    path("resultaten/", views.results, name="results"),
    path("inzichten/", views.insights, name="insights"),
    path("deelnemers/", views.participants, name="participants"),
    path(
        "deelnemers/<int:pk>/anonimiseren/",
        views.participant_anonymise_view,
        name="participant_anonymise",
    ),
    path("deelnemers/bestand/", setup_views.participants_upload, name="participants_upload"),
    path("deelnemers/<int:pk>/", setup_views.participant_edit, name="participant_edit"),
    path(
        "deelnemers/<int:pk>/verwijderen/",
        setup_views.participant_delete,
        name="participant_delete",
    ),
    path("instellingen/", setup_views.evaluation_settings, name="settings"),
    path("deelnamecode/", setup_views.join_code_regenerate, name="join_code_regenerate"),
    path("team/", setup_views.team, name="team"),
    path("team/<int:pk>/verwijderen/", setup_views.team_member_remove, name="team_remove"),
    path("sleutelmomenten/", setup_views.key_moments, name="key_moments"),
    path("sleutelmomenten/nieuw/", setup_views.key_moment_create, name="key_moment_create"),
    path("sleutelmomenten/<int:pk>/", setup_views.key_moment_edit, name="key_moment_edit"),
    path(
        "sleutelmomenten/<int:pk>/verplaatsen/",
        setup_views.key_moment_move,
        name="key_moment_move",
    ),
    path(
        "sleutelmomenten/<int:pk>/verwijderen/",
        setup_views.key_moment_delete,
        name="key_moment_delete",
    ),
    path(
        "deelnemers/<int:pk>/vrijgeven/",
        views.participant_release_view,
        name="participant_release",
    ),
    path(
        "deelnemers/aanmeldingen-opruimen/",
        views.registrations_remove_unused_view,
        name="registrations_remove_unused",
    ),
    path("groepsindeling/", planner_views.group_planner, name="group_planner"),
    path("sessies/nieuw/", views.session_edit, name="session_create"),
    path("sessies/<int:pk>/", views.session_detail, name="session"),
    path("sessies/<int:pk>/bewerken/", views.session_edit, name="session_edit"),
    path("sessies/<int:pk>/verwijderen/", setup_views.session_delete, name="session_delete"),
    path("sessies/<int:pk>/klok/", setup_views.session_timer, name="session_timer"),
    path("sessies/<int:pk>/live/", views.session_live, name="session_live"),
    path("sessies/<int:pk>/status/", views.session_state, name="session_state"),
    path("sessies/<int:pk>/heropenen/", views.session_reopen, name="reopen"),
    path("sessies/<int:pk>/projector/", views.projector, name="projector"),
    path("sessies/<int:pk>/projector/live/", views.projector_live, name="projector_live"),
    path("slotdialoog/", wall_views.console, name="wall"),
    path("slotdialoog/live/", wall_views.console_live, name="wall_live"),
    path("slotdialoog/standaardvragen/", wall_views.defaults, name="wall_defaults"),
    path("slotdialoog/vragen/<int:pk>/", wall_views.prompt_state, name="prompt_state"),
    path(
        "slotdialoog/bijdragen/<int:pk>/",
        wall_views.contribution_action,
        name="contribution_action",
    ),
    path("slotdialoog/projector/", wall_views.projector, name="wall_projector"),
    path("slotdialoog/projector/live/", wall_views.projector_live, name="wall_projector_live"),
]
