"""How fast a client may guess join codes and add names, counted in the database so that
the limits hold across server processes.

The rule for join codes (issue 10, items 5 and 6):
- A code is looked up before anything else; what a client may do depends on the answer.
- A client (its address, see evaluatiespiegel.clientip) that typed JOIN_CLIENT_LIMIT wrong
  codes in JOIN_WINDOW is throttled, and so is everybody once all clients together typed
  JOIN_GLOBAL_LIMIT wrong codes in an hour. A random guess is as likely to hit one
  evaluation as another, so that one ceiling bounds the chance that any given evaluation's
  code is found: at most JOIN_GLOBAL_LIMIT / 31^6 (about 1 in 900,000) per hour.
- A throttled client gets "te veel verkeerde codes" for any code it has not used before,
  right or wrong, so throttled guessing learns nothing. A code that this client already
  joined with in the last JOIN_MEMORY still works: a venue behind one address keeps joining
  after a few typos (everyone there types the code somebody there already used), and a
  guesser gains nothing from codes it already knows. The projector's QR link carries a key
  derived from the code with the secret key, so it works even for a throttled client.
- A client that is not throttled is never refused a correct code.

Why our own small rule and not a library: django-ratelimit is not installed, and a cache
based limiter would not be shared between gunicorn workers without a cache server; the
database is the one store all workers share. django-axes (installed) guards logins only.
"""

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from evaluatiespiegel.clientip import client_ip

from .models import Evaluation, JoinAttempt

Kind = JoinAttempt.Kind
QR_KEY_SALT = "evaluatiespiegel.join-qr"


def _limit(name: str, default):
    return getattr(settings, name, default)


def join_link_key(code: str) -> str:
    """The key in the projector's QR link for this join code (hex, 20 characters)."""
    return salted_hmac(QR_KEY_SALT, code).hexdigest()[:20]


def join_link_key_valid(code: str, key: str) -> bool:
    return bool(key) and constant_time_compare(join_link_key(code), key)


def _since(window: timedelta):
    return timezone.now() - window


def join_throttled(request: HttpRequest) -> bool:
    """Whether this client (or everybody) typed too many wrong codes recently."""
    wrong = JoinAttempt.objects.filter(kind=Kind.WRONG_CODE)
    client = wrong.filter(
        client=client_ip(request), at__gte=_since(_limit("JOIN_WINDOW", timedelta(minutes=10)))
    )
    if client.count() >= _limit("JOIN_CLIENT_LIMIT", 10):
        return True
    recent = wrong.filter(at__gte=_since(timedelta(hours=1)))
    return recent.count() >= _limit("JOIN_GLOBAL_LIMIT", 1000)


def join_allowed(request: HttpRequest, evaluation: Evaluation | None, *, key: str = "") -> bool:
    """May this request try a code? `evaluation` is what the code opens (None: wrong code).

    True means: go on and answer (a wrong code is then told it is wrong). False means the
    client is throttled: answer 429 without saying whether the code was right.
    """
    if evaluation is not None and join_link_key_valid(evaluation.join_code, key):
        return True
    if not join_throttled(request):
        return True
    # A right code and a wrong one cost the same queries here, so that neither the answer
    # nor its timing tells them apart (no evaluation has pk 0).
    return JoinAttempt.objects.filter(
        kind=Kind.JOINED,
        client=client_ip(request),
        evaluation_id=evaluation.pk if evaluation is not None else 0,
        at__gte=_since(_limit("JOIN_MEMORY", timedelta(hours=12))),
    ).exists()


def join_succeeded(request: HttpRequest, evaluation: Evaluation) -> None:
    """Remember that this client joined with this code (join_allowed lets it keep joining).

    Once per client and evaluation per half JOIN_MEMORY: a venue behind one address joins a
    thousand times in minutes, and on SQLite every write waits for the one write lock that the
    room's submits need too (issue 14). A read does not wait; the memory stays as long.
    """
    client = client_ip(request)
    fresh = _since(_limit("JOIN_MEMORY", timedelta(hours=12)) / 2)
    joined = JoinAttempt.objects.filter(kind=Kind.JOINED, client=client, evaluation=evaluation)
    if not joined.filter(at__gte=fresh).exists():
        JoinAttempt.objects.create(kind=Kind.JOINED, client=client, evaluation=evaluation)


def join_failed(request: HttpRequest) -> None:
    JoinAttempt.objects.create(kind=Kind.WRONG_CODE, client=client_ip(request))
    # Keep the table small: nothing older than the longest window matters.
    oldest = max(_limit("JOIN_MEMORY", timedelta(hours=12)), timedelta(hours=1))
    JoinAttempt.objects.filter(at__lt=_since(oldest)).delete()


def registration_allowed(request: HttpRequest, evaluation: Evaluation) -> bool:
    """Self-registration is limited per client and per evaluation, per hour.

    Generous enough for a room that registers itself from one venue address
    (REGISTRATION_CLIENT_LIMIT), low enough that a flood of look-alike names cannot bury the
    real ones (REGISTRATION_EVALUATION_LIMIT); the facilitator removes what got through.
    """
    registered = JoinAttempt.objects.filter(
        kind=Kind.REGISTERED, at__gte=_since(timedelta(hours=1))
    )
    if registered.filter(client=client_ip(request)).count() >= _limit(
        "REGISTRATION_CLIENT_LIMIT", 30
    ):
        return False
    return registered.filter(evaluation=evaluation).count() < _limit(
        "REGISTRATION_EVALUATION_LIMIT", 60
    )


def registration_done(request: HttpRequest, evaluation: Evaluation) -> None:
    JoinAttempt.objects.create(
        kind=Kind.REGISTERED, client=client_ip(request), evaluation=evaluation
    )
