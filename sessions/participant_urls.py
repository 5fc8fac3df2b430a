from django.urls import path

from . import participant_views as views
from . import wall_views

app_name = "participant"

urlpatterns = [
    path("doe-mee/", views.join, name="join"),
    path("doe-mee/kies/", views.pick, name="pick"),
    path("doe-mee/aanmelden/", views.register, name="register"),
    path("doe-mee/uit/", views.leave, name="leave"),
    path("p/<str:token>/", views.page, name="page"),
    path("p/<str:token>/live/", views.live, name="live"),
    path("p/<str:token>/klok/", views.timer, name="timer"),
    path("p/<str:token>/apparaat/", views.device, name="device"),
    path("p/<str:token>/sessies/<int:session_id>/", views.card, name="card"),
    path("p/<str:token>/sessies/<int:session_id>/punten/", views.submit, name="submit"),
    path("p/<str:token>/slotdialoog/", wall_views.participant_wall, name="wall"),
    path(
        "p/<str:token>/slotdialoog/vragen/<int:prompt_id>/schrijven/",
        wall_views.contribute,
        name="contribute",
    ),
    path(
        "p/<str:token>/slotdialoog/bijdragen/<int:contribution_id>/",
        wall_views.contribution_change,
        name="contribution",
    ),
    path(
        "p/<str:token>/slotdialoog/bijdragen/<int:contribution_id>/stip/",
        wall_views.vote,
        name="vote",
    ),
]
