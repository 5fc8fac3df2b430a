"""Request body limits, checked on the declared size before anything reads the body.

Django parses a POST when a view or middleware first touches request.POST/FILES (the CSRF
check does so for every POST), and streams file parts of any size to a temporary file. For a
visitor without a team login (participants, the join page, the login form) nothing the app
offers needs more than a few kilobytes, so a larger body is refused with 413 before it is
read; team members get a larger limit for their uploads.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import error_page


class BodySizeLimitMiddleware:
    """Refuse bodies over ANONYMOUS_MAX_BODY (no team login) or TEAM_MAX_BODY bytes with 413.

    Needs request.user, so it sits after AuthenticationMiddleware; it answers in __call__,
    before any middleware's process_view (where the CSRF check reads the body) runs. A body
    without Content-Length (chunked) is not read by Django at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length <= settings.ANONYMOUS_MAX_BODY:
            return self.get_response(request)  # the common case: no session lookup
        user = getattr(request, "user", None)
        team = bool(user is not None and user.is_authenticated)
        limit = settings.TEAM_MAX_BODY if team else settings.ANONYMOUS_MAX_BODY
        if length > limit:
            detail = _("Deze pagina neemt hooguit %(kb)s kB aan; er is niets opgeslagen.") % {
                "kb": limit // 1024
            }
            return error_page(request, 413, detail)
        return self.get_response(request)
