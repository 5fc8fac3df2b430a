from django.urls import path

from evaluatiespiegel import converters  # noqa: F401 (registers <token:...>)

from . import participant_views as views
from . import wall_views

app_name = "participant"

urlpatterns = [
    path("doe-mee/", views.join, name="join"),
    path("doe-mee/kies/", views.pick, name="pick"),
    path("doe-mee/aanmelden/", views.register, name="register"),
    path("doe-mee/uit/", views.leave, name="leave"),
    path("p/<token:token>/", views.page, name="page"),
    path("p/<token:token>/live/", views.live, name="live"),
    path("p/<token:token>/klok/", views.timer, name="timer"),
    path("p/<token:token>/apparaat/", views.device, name="device"),
    path("p/<token:token>/overnemen/", views.take_over, name="take_over"),
    path("p/<token:token>/sessies/<int:session_id>/", views.card, name="card"),
    path("p/<token:token>/sessies/<int:session_id>/punten/", views.submit, name="submit"),
    path("p/<token:token>/slotdialoog/", wall_views.participant_wall, name="wall"),
    path(
        "p/<token:token>/slotdialoog/vragen/<int:prompt_id>/schrijven/",
        wall_views.contribute,
        name="contribute",
    ),
    path(
        "p/<token:token>/slotdialoog/bijdragen/<int:contribution_id>/",
        wall_views.contribution_change,
        name="contribution",
    ),
    path(
        "p/<token:token>/slotdialoog/bijdragen/<int:contribution_id>/stip/",
        wall_views.vote,
        name="vote",
    ),
]
