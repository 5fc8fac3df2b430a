"""Error pages: every 4xx/5xx a person can meet is a Dutch page in the app's layout.

Django's own defaults are English one-liners (400, 403, 404, 500, the CSRF failure) or an
empty body (405 from ``require_http_methods``). The handlers below replace the first kind;
``ErrorPageMiddleware`` replaces the second kind, whatever view or middleware produced it,
so a view added later cannot bring the English pages back.
"""

import logging

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# Status -> (title, what the visitor can do). Other statuses get the generic text.
ERRORS = {
    400: (
        _("Dit verzoek begrijpen we niet"),
        _("Er kwam iets binnen dat we niet kunnen lezen. Ga terug en probeer het opnieuw."),
    ),
    403: (
        _("Geen toegang"),
        _("Je mag deze pagina niet bekijken of deze handeling niet uitvoeren."),
    ),
    404: (
        _("Pagina niet gevonden"),
        _("Deze pagina bestaat niet (meer), of je hebt er geen toegang toe."),
    ),
    405: (
        _("Deze handeling kan hier niet"),
        _("Deze pagina kan niet op deze manier worden opgevraagd."),
    ),
    409: (
        _("Dit kan nu niet meer"),
        _(
            "Er is intussen iets veranderd (een ronde of vraag ging dicht, of iemand anders "
            "was je voor). Laad de pagina opnieuw en kijk wat er nu kan."
        ),
    ),
    410: (
        _("Deze link werkt niet meer"),
        _("Deze link is ingetrokken of verlopen. Vraag wie je hem gaf om een nieuwe."),
    ),
    413: (
        _("Te veel gegevens"),
        _("Wat je verstuurde is te groot. Maak het kleiner en probeer het opnieuw."),
    ),
    408: (
        _("Dit duurde te lang"),
        _("Het verzoek kwam niet op tijd binnen. Controleer de verbinding en probeer het opnieuw."),
    ),
    414: (
        _("Dit adres is te lang"),
        _("Het adres dat je opvroeg is te lang. Ga terug en probeer het opnieuw."),
    ),
    429: (
        _("Even geduld"),
        _("Er kwamen te veel verzoeken tegelijk. Probeer het over een minuut opnieuw."),
    ),
    500: (
        _("Er ging iets mis"),
        _("Er ging bij ons iets mis. Probeer het zo opnieuw; blijft het misgaan, meld het dan."),
    ),
}
ERRORS[502] = ERRORS[503] = ERRORS[504] = (
    _("Even niet bereikbaar"),
    _("De server is even niet bereikbaar. Probeer het over een minuut opnieuw."),
)
GENERIC = (_("Er ging iets mis"), _("Dit verzoek kon niet worden afgehandeld."))

# Rendered without templates, database or translations: the last resort when even the
# error page fails (for example when the database is down).
BARE_500 = (
    '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
    "<title>Er ging iets mis – Evaluatiespiegel</title>"
    '<link rel="stylesheet" href="/static/css/app.css"></head><body><main class="container">'
    "<h1>Er ging iets mis</h1><p>Er ging bij ons iets mis. Probeer het zo opnieuw.</p>"
    '<p><a href="/">Naar de startpagina</a></p></main></body></html>'
)


def error_page(
    request: HttpRequest,
    status: int,
    detail: str = "",
    *,
    title: str | None = None,
    explanation: str | None = None,
) -> HttpResponse:
    """The Dutch error page for ``status``; ``detail`` is an extra sentence (already translated).

    ``title`` and ``explanation`` replace the status's general ones where the view knows
    better what happened and what to do (a revoked projector link)."""
    general_title, general_explanation = ERRORS.get(status, GENERIC)
    title = title or general_title
    explanation = explanation or general_explanation
    context = {"status": status, "title": title, "explanation": explanation, "detail": detail}
    try:
        content = loader.render_to_string("errors/error.html", context, request=request)
    except Exception:
        logger.exception("De foutpagina %s kon niet worden opgebouwd", status)
        content = BARE_500
    return HttpResponse(content, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: also what a malformed body, odd charset or too big a request ends in."""
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler403."""
    return error_page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404."""
    return error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500."""
    return error_page(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: usually a form left open so long that the session expired."""
    return error_page(
        request,
        403,
        str(
            _(
                "Het formulier was verlopen of kwam niet van deze site. "
                "Laad de pagina opnieuw en probeer het nog eens."
            )
        ),
    )


ALLOWED_METHODS = ("GET", "HEAD", "POST")

# Texts of Django's own bare answers, never shown as a view's message.
DJANGO_ENGLISH = (
    "Not Found",
    "Bad Request",
    "Forbidden",
    "Server Error",
    "CSRF",
    "Method Not",
    "Too Many",
    "Request",
)


def _ascii_compatible(charset: str | None) -> bool:
    """Whether a declared body charset keeps ASCII as ASCII (as form and query parsing need).

    Unknown charsets are left to Django (which answers them with a 400 of its own).
    """
    if not charset:
        return True
    try:
        return "a=1&".encode(charset) == b"a=1&"
    except (LookupError, ValueError):
        return True


class ErrorPageMiddleware:
    """Gives every error answer without a page of its own (an empty 405, a plain-text
    one-liner) the Dutch error page, and refuses HTTP methods the app never uses.

    A method other than GET, HEAD and POST never reaches a view: a view without a method
    decorator would otherwise run in full for an OPTIONS or TRACE (and render a PDF for it).
    htmx requests keep their fragment answers: htmx shows no 4xx body, and a whole page
    swapped into a fragment would break the screen it came from.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ALLOWED_METHODS:
            response = error_page(request, 405)
            response["Allow"] = ", ".join(ALLOWED_METHODS)
            return response
        if not _ascii_compatible(request.content_params.get("charset")):
            # A body declared as UTF-16 or UTF-32 cannot be split into fields at all, and
            # Django's debug page crashes on it (a 500 under make run): refuse it first.
            return error_page(request, 400)
        response = self.get_response(request)
        if response.status_code < 400 or getattr(response, "streaming", False):
            return response
        if request.headers.get("HX-Request") or not self._bare(response):
            return response
        page = error_page(request, response.status_code, self._message(response))
        for header in ("Allow", "Retry-After", "Vary", "Content-Language"):
            if header in response:
                page[header] = response[header]
        page.cookies = response.cookies
        return page

    @staticmethod
    def _message(response: HttpResponse) -> str:
        """What the view said in its bare answer ("Onbekende actie."), kept as the page's
        detail: the general text alone does not say what happened. Django's own English
        one-liners are not kept."""

        from django.utils.html import strip_tags

        text = " ".join(strip_tags(response.content[:2000].decode(errors="replace")).split())
        if not text or any(english in text for english in DJANGO_ENGLISH):
            return ""
        return text[:300]

    @staticmethod
    def _bare(response: HttpResponse) -> bool:
        content_type = response.get("Content-Type", "")
        if content_type and not content_type.startswith(("text/html", "text/plain")):
            return False  # JSON, files: meant for a program, not a person
        return b"<html" not in response.content[:2000].lower()


# What nginx in front of gunicorn answers itself (evaluatiespiegel/serve.py): a malformed or
# too big request, TRACE, a timeout, or gunicorn that does not answer.
PROXY_STATUSES = (400, 405, 408, 413, 414, 500, 502, 503, 504)


def write_static_pages(directory: str) -> None:
    """Write ``<status>.html`` for every PROXY_STATUSES into ``directory``: the same Dutch pages,
    for the proxy to serve when it answers without asking the app."""
    from pathlib import Path

    from django.http import HttpRequest
    from django.utils import translation

    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = "/"
    request.META = {"SERVER_NAME": "localhost", "SERVER_PORT": "80"}
    with translation.override("nl"):
        for status in PROXY_STATUSES:
            page = error_page(request, status)
            (folder / f"{status}.html").write_bytes(page.content)
