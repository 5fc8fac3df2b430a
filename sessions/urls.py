from django.urls import path

from . import views

app_name = "sessions"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("console/", views.console, name="console"),
    path("console/live/", views.console_live, name="console_live"),
    path("resultaten/", views.results, name="results"),
    path("inzichten/", views.insights, name="insights"),
    path("deelnemers/", views.participants, name="participants"),
    path(
        "deelnemers/<int:pk>/anonimiseren/",
        views.participant_anonymise_view,
        name="participant_anonymise",
    ),
    path("sleutelmomenten/nieuw/", views.key_moment_create, name="key_moment_create"),
    path("sessies/nieuw/", views.session_edit, name="session_create"),
    path("sessies/<int:pk>/", views.session_detail, name="session"),
    path("sessies/<int:pk>/bewerken/", views.session_edit, name="session_edit"),
    path("sessies/<int:pk>/live/", views.session_live, name="session_live"),
    path("sessies/<int:pk>/status/", views.session_state, name="session_state"),
    path("sessies/<int:pk>/heropenen/", views.session_reopen, name="reopen"),
    path("sessies/<int:pk>/projector/", views.projector, name="projector"),
    path("sessies/<int:pk>/projector/live/", views.projector_live, name="projector_live"),
]
