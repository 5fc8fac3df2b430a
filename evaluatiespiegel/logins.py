"""Team logins are throttled by django-axes (settings.AXES_*); this is its Dutch answer."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """429 with a Dutch page saying how long to wait (settings.AXES_COOLOFF_TIME)."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return render(request, "registration/lockout.html", {"minutes": minutes}, status=429)


# axes stores the typed username in a varchar(255); PostgreSQL refuses a longer one (a 500).
# Django's login form does not check the length (it sets max_length after the field exists).
USERNAME_MAX_LENGTH = 150


def attempt_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the typed username, cut to the user model's 150 characters."""
    source = credentials if credentials else getattr(request, "data", request.POST)
    name = source.get("username")
    return name[:USERNAME_MAX_LENGTH] if isinstance(name, str) else name
