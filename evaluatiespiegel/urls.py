from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from evaluatiespiegel import converters  # noqa: F401 (registers <token:...>)
from sessions import setup_views, wall_views
from sessions import views as session_views

urlpatterns = [
    path("", session_views.home, name="home"),
    path("gezond/", session_views.health, name="health"),
    # Login, logout and changing one's own password. No password reset by e-mail: the app
    # sends no mail (a workshop venue may be offline), and a reset page that silently sends
    # nothing misleads. A beheerder sets a new password (README: Beveiliging).
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("evaluaties/nieuw/", setup_views.evaluation_create, name="evaluation_create"),
    path("e/<slug:slug>/", include("sessions.urls")),
    path("e/<slug:slug>/rapport/", include("reports.urls")),
    path("", include("sessions.participant_urls")),
    # The projector's own read-only link (no login on the venue's PC).
    path("projector/<token:token>/", session_views.projector_linked, name="projector_link"),
    path(
        "projector/<token:token>/live/",
        session_views.projector_linked_live,
        name="projector_link_live",
    ),
    path(
        "projector/<token:token>/slotdialoog/",
        wall_views.projector_linked,
        name="wall_projector_link",
    ),
    path(
        "projector/<token:token>/slotdialoog/live/",
        wall_views.projector_linked_live,
        name="wall_projector_link_live",
    ),
    path(
        "projector/<token:token>/sessies/<int:pk>/",
        session_views.projector_linked,
        name="projector_link_session",
    ),
    path(
        "projector/<token:token>/sessies/<int:pk>/live/",
        session_views.projector_linked_live,
        name="projector_link_session_live",
    ),
]

handler400 = "evaluatiespiegel.errors.bad_request"
handler403 = "evaluatiespiegel.errors.permission_denied"
handler404 = "evaluatiespiegel.errors.page_not_found"
handler500 = "evaluatiespiegel.errors.server_error"
