from django.contrib import admin
from django.urls import include, path

from sessions import views as session_views

urlpatterns = [
    path("", session_views.home, name="home"),
    path("gezond/", session_views.health, name="health"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("e/<slug:slug>/", include("sessions.urls")),
    path("e/<slug:slug>/rapport/", include("reports.urls")),
    path("", include("sessions.participant_urls")),
]
