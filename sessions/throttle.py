"""Join-code guessing is limited per client; the count lives in the database, shared by all workers."""

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from .models import JoinAttempt

WRONG_TRIES_PER_MINUTE = 5
WINDOW = timedelta(minutes=1)


def client_key(request: HttpRequest) -> str:
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.headers.get("X-Forwarded-For", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


def join_blocked(request: HttpRequest) -> bool:
    since = timezone.now() - WINDOW
    recent = JoinAttempt.objects.filter(client=client_key(request), at__gte=since)
    return recent.count() >= WRONG_TRIES_PER_MINUTE


def join_failed(request: HttpRequest) -> None:
    JoinAttempt.objects.create(client=client_key(request))
    # Keep the table small: wrong tries older than an hour no longer matter.
    JoinAttempt.objects.filter(at__lt=timezone.now() - timedelta(hours=1)).delete()
