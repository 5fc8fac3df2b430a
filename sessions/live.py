"""Room versions: how a live page's poll answers "nothing new" without the database (issue 14).

The one owner of the rule. Every change that a participant's page or the projector shows calls
`room_changed(evaluation_id)` (a submit calls the narrower `points_changed()`); when
the transaction commits, that gives the room's version key in a shared cache (memcached, started
by `make serve`) a new random value. A poll sends the version it was last given (`rv`); while
its grant holds and every key it watches still has the value it was given, the answer is 204
from one cache read alone: no session, no user, no query.

Why it is never stale:
- A poll that is not answered from the cache reads the versions it watches *before* it reads
  what they guard from the database (`Poll.watch()` first, then the query), so a change that
  commits after its read bumps a key the client has not seen yet; the next poll checks again.
- Values are random, not counters: a cache that restarted or evicted a key starts it afresh,
  and no client can hold a value from before.
- What ends a poll's right to an answer bumps the credential's own key, read before the
  credential is checked: a released name (the claim token), a revoked projector link, a logout
  (the session key). Team membership is part of the room.
- Whatever ends a login without passing through here (an expired session, a password changed
  elsewhere, a lost bump while the cache was unreachable) is caught when the grant runs out:
  every screen goes to the database at least every GRANT_SECONDS.

Where: FastPollMiddleware answers the idle polls, right after the security headers'
middleware and before everything else (sessions, locale, CSRF, messages...: a 204 without a
body needs none of it); a view marks itself a poll with @poll_view and only ever sees the
polls that must check the database.

"Promptly" is therefore: at the next poll after the change commits (1 s on the projector, 3 s
on a participant's page), and within GRANT_SECONDS for what does not pass through here.

Without a shared cache (`make run`, DJANGO_MEMCACHED unset) nothing is cached: every poll
checks the database, which is correct, only slower. Process memory (LocMemCache) is not shared
by gunicorn's workers, so it is never used outside the tests.
"""

import hashlib
import logging
import re
import secrets

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control

CACHE = "live"
PARAM = "rv"
HEADER = "X-Room-Version"
GRANT_SECONDS = 30
VERSION_SECONDS = 24 * 60 * 60  # an evicted or expired version only costs one database check

log = logging.getLogger(__name__)


def enabled() -> bool:
    """Whether a shared cache for room versions is configured (settings.CACHES["live"])."""
    return CACHE in settings.CACHES


def room_key(evaluation_id: int) -> str:
    return f"room:{evaluation_id}"


def session_key(session_id: int) -> str:
    """The points submitted in one session (the projector's count and chart)."""
    return f"scores:{session_id}"


def wall_key(evaluation_id: int) -> str:
    """The wall of the slotdialoog (prompts, contributions, stippen): its own key, so that a
    room writing on the wall leaves the round pages' polls on the fast path."""
    return f"wall:{evaluation_id}"


def participant_key(participant_id: int) -> str:
    """One participant's own points (their page on another device follows them)."""
    return f"points:{participant_id}"


def _digest(secret: str) -> str:
    # Secrets (personal link tokens, session keys) never become a cache key themselves.
    return hashlib.sha256(secret.encode()).hexdigest()[:40]


def credential_key(secret: str) -> str:
    return f"cred:{_digest(secret)}"


def _grant_key(secret: str, path: str) -> str:
    return f"grant:{_digest(secret + '|' + path)}"


def _new() -> str:
    return secrets.token_hex(4)


def room_changed(evaluation_id: int) -> None:
    """Tell every live page of the evaluation that something it shows changed.

    Call it for any change a participant's page or the projector shows (states, groups, join
    code, settings, timers, sessions added or removed, the slotdialoog's items...). It takes
    effect when the current transaction commits (at once outside one); a rolled-back change
    bumps nothing. The next poll of every page of the room then checks the database once.
    """
    _bump_on_commit([room_key(evaluation_id)])


def points_changed(*, session_id: int, participant_id: int) -> None:
    """A participant's points in a session changed (a submit): the projector of that session
    and the participant's own pages follow; every other phone's poll stays free."""
    _bump_on_commit([session_key(session_id), participant_key(participant_id)])


def wall_changed(evaluation_id: int) -> None:
    """Something on the evaluation's wall changed: its polls (participants, projector) check
    the database once (sessions.wall bumps it with every write)."""
    _bump_on_commit([wall_key(evaluation_id)])


def credential_ended(secret: str) -> None:
    """A claim token, projector link token or login session key stops opening live pages."""
    _bump_on_commit([credential_key(secret)])


def _bump_on_commit(keys: list[str]) -> None:
    if enabled():
        transaction.on_commit(lambda: _bump(keys), robust=True)


def _bump(keys: list[str]) -> None:
    try:
        caches[CACHE].set_many({key: _new() for key in keys}, VERSION_SECONDS)
    except Exception:  # the grant's expiry bounds what a lost bump can leave stale
        log.warning("Kamerversie niet bijgewerkt (cache onbereikbaar): %s", keys, exc_info=True)


# What a client may name in its `rv` as watched keys (the grant decides whether it may).
_HINT = re.compile(r"(?:room|scores|points|wall):[0-9]{1,18}")
_HINT_MAX = 4


def unchanged(request: HttpRequest, secret: str | None) -> bool:
    """The fast path: whether `secret` holds a grant for this URL and the client's `rv` is the
    current version of everything the grant watches. One cache read, no database.

    `rv` is "<watched keys>~<their versions>" as Poll.version gave it; the keys are the
    client's word, so they count only when they are exactly the grant's. False (check the
    database) whenever anything is missing: no rv, no cache, no grant, an unreachable cache,
    a version that moved.
    """
    seen = request.GET.get(PARAM)
    if not seen or not secret or not enabled():
        return False
    hint, _tilde, versions = seen.partition("~")
    named = hint.split(",") if hint else []
    if len(named) > _HINT_MAX or not all(_HINT.fullmatch(key) for key in named):
        return False
    keys = [credential_key(secret), *named]
    grant = _grant_key(secret, request.path)
    try:
        values = caches[CACHE].get_many([grant, *keys])
    except Exception:
        return False
    if values.get(grant) != keys or not all(key in values for key in keys):
        return False
    return versions == ".".join(values[key] for key in keys)


class Poll:
    """The slow path of one poll: the versions it watches, read before the database.

    Make it before reading the credential from the database (it watches the credential's own
    key), call watch() with the room's keys before reading what they guard, and pass the
    answer through answer(): that grants the fast path for GRANT_SECONDS and gives the page
    its version in the X-Room-Version header (static/js/live.js sends it back as `rv`).
    """

    def __init__(self, request: HttpRequest, secret: str | None):
        self.request = request
        self.secret = secret or ""
        self.keys: list[str] = []
        self.values: dict[str, str] = {}
        self.ok = bool(secret) and enabled()
        self.watch(credential_key(self.secret))

    def watch(self, *keys: str) -> "Poll":
        """Read these version keys now (a missing one starts with a fresh random value)."""
        if not self.ok:
            return self
        self.keys += keys
        try:
            cache = caches[CACHE]
            found = cache.get_many(keys)
            missing = [key for key in keys if key not in found]
            for key in missing:
                cache.add(key, _new(), VERSION_SECONDS)
            if missing:
                found.update(cache.get_many(missing))
        except Exception:
            self.ok = False
            return self
        self.values.update(found)
        self.ok = all(key in self.values for key in keys)
        return self

    @property
    def version(self) -> str:
        """What the page sends back as `rv`: the watched keys (but the credential's, which the
        server derives) and their versions, so the fast path needs one cache read."""
        if not self.ok:
            return ""
        return f"{','.join(self.keys[1:])}~{'.'.join(self.values[key] for key in self.keys)}"

    def answer(self, response: HttpResponse) -> HttpResponse:
        """Grant the fast path to this credential for this URL; the page learns its version."""
        if not self.ok or response.status_code not in (200, 204):
            return response
        try:
            caches[CACHE].set(_grant_key(self.secret, self.request.path), self.keys, GRANT_SECONDS)
        except Exception:
            return response
        response[HEADER] = self.version
        return response


# --- The fast path, before the rest of the middleware ------------------------------------

_SECRET = "room_poll_secret"
TOKEN = "token"  # the secret is the URL's token (a personal link, a projector link)
LOGIN = "login"  # the secret is the login session's key (the team's projector)


def poll_view(secret: str):
    """Mark a view as a live poll whose idle answer FastPollMiddleware may give: `secret` is
    TOKEN (the URL's `token`) or LOGIN (the login session's cookie). The view itself then
    answers only what the versions cannot, through Poll (make it before reading the
    credential, watch() before reading what the keys guard, answer() at the end)."""
    if secret not in (TOKEN, LOGIN):
        raise ValueError(secret)

    def mark(view):
        setattr(view, _SECRET, secret)
        return view

    return mark


def _poll_secret(request: HttpRequest) -> str | None:
    try:
        request.get_host()  # ALLOWED_HOSTS holds for this answer as for any other
        match = resolve(request.path_info)
    except (DisallowedHost, Resolver404):
        return None  # the rest of the stack answers these as it always does
    kind = getattr(match.func, _SECRET, None)
    if kind == TOKEN:
        return match.kwargs.get("token")
    if kind == LOGIN:
        return request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    return None


class FastPollMiddleware:
    """Answers a live poll with nothing new (204) from one cache read, before the rest of the
    middleware runs (issue 14: in a 1,000-person room, phones poll about 330 times a second).

    Only GET requests that carry a room version (`rv`) to a view marked with @poll_view,
    whose credential holds a grant for the URL (unchanged()). Everything else, and every poll
    that must check the database, passes on untouched. The answer carries what the rest of the
    stack would give a 204 that matters: the security headers (the middleware before this
    one), X-Frame-Options, and Cache-Control private, no-store (a personal link's secret is in
    the URL).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method == "GET"
            and f"{PARAM}=" in request.META.get("QUERY_STRING", "")
            and enabled()
        ):
            secret = _poll_secret(request)
            if secret and unchanged(request, secret):
                response = HttpResponse(status=204)
                patch_cache_control(response, private=True, no_store=True)
                response.headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
                return response
        return self.get_response(request)
