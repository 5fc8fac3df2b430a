"""One place that finds an evaluation for a request and checks the role table for it."""

from collections.abc import Callable
from functools import wraps
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from .models import Evaluation
from .permissions import Action, allowed


def get_evaluation_for_team(
    request: HttpRequest, slug: str, action: Action = Action.VIEW
) -> Evaluation:
    """The evaluation with this slug, if the logged-in user may take `action` on it.

    Anyone else gets a 404, so that outsiders cannot even learn which evaluations exist. The
    allowed actions are kept on the evaluation as `evaluation.allowed` (a frozenset of
    sessions.permissions.Action) for templates and follow-up checks, without another query.
    """
    evaluation = get_object_or_404(Evaluation.objects.for_user(request.user), slug=slug)
    evaluation.allowed = allowed(request.user, evaluation)
    if action not in evaluation.allowed:
        raise Http404
    return evaluation


# Older names for the two checks most views make.
FACILITATORS = Action.RUN
ANALYSTS = Action.WRITE


LOGIN_EXPIRED_EVENT = "evaluatiespiegel:login-verlopen"


def login_required(view: Callable) -> Callable:
    """Django's login_required, except where the login is back: the page, not the form's URL.

    A form posted after the login ended would, with Django's decorator, come back after
    logging in as a GET of the URL it was posted to, which for most forms only takes POST
    (a 405 page, and the typed text gone). Here a POST returns to the page the form was on
    (the same-site Referer), where static/js/drafts.js puts the unsaved text back.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            return redirect_to_login(request.get_full_path())
        return redirect_to_login(_page_of_form(request))

    return wrapper


def _page_of_form(request: HttpRequest) -> str:
    """The same-site page a form was posted from (path and query), or the home page."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = referer.split("://", 1)[-1].split("/", 1)
        if len(parts) == 2:
            return "/" + parts[1].split("#", 1)[0]
    return resolve_url("home")


def polled(*, at_keyboard: bool) -> Callable:
    """login_required for the fragments that pages poll, without swapping a login page in.

    Without a login, an htmx poll gets 204 (htmx keeps the last picture and goes on polling):
    where a person is at the keyboard (console, session page) with HX-Redirect to the login
    page and back; on the projector with the event LOGIN_EXPIRED_EVENT, which static/js/live.js
    shows as a discreet line. A browser opening the URL itself goes to the login page.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.user.is_authenticated:
                return view(request, *args, **kwargs)
            if not getattr(request, "htmx", False):
                return redirect_to_login(request.get_full_path())
            if at_keyboard:
                page = request.htmx.current_url_abs_path or "/"
                login = resolve_url(settings.LOGIN_URL)
                return HttpResponse(
                    status=204, headers={"HX-Redirect": f"{login}?next={quote(page)}"}
                )
            return HttpResponse(status=204, headers={"HX-Trigger": LOGIN_EXPIRED_EVENT})

        return wrapper

    return decorator
