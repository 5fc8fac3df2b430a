"""The project's URLs plus two views that fail on purpose (for tests/test_error_pages.py)."""

from django.http import HttpResponse
from django.urls import path

from evaluatiespiegel.urls import *  # noqa: F403 - the handlers too
from evaluatiespiegel.urls import urlpatterns as project_urlpatterns


def crash(request):
    raise RuntimeError("opzettelijk")


def too_many(request):
    response = HttpResponse("Too Many Requests", status=429, content_type="text/plain")
    response["Retry-After"] = "60"
    return response


urlpatterns = [
    path("test/kapot/", crash),
    path("test/te-veel/", too_many),
    *project_urlpatterns,
]
