"""Every URL of the project, with real arguments, for every kind of visitor.

Test support for sweeps over the whole site (fuzzing, access matrix, state sweep, accessibility).
It walks the URL resolver, so a view that someone adds later is swept automatically; a view
whose URL arguments this module cannot fill makes ``test_urlmap.py`` fail with the name of the
argument, and the fix is one line in ``SEGMENT_OBJECTS`` or ``KWARG_TARGETS`` below.

The interface (keep it stable, other tests import it):

``build_world() -> World``
    Creates one realistic evaluation in the test database (needs the ``db`` fixture) and
    returns its objects. Also available as the pytest fixture ``world`` (tests/conftest.py).

``routes() -> list[Route]``
    Every URL pattern of the project, in resolver order, each with its full pattern, its
    namespaced name (or ``None``), its view and the URL arguments it takes.

``Route.url(world, **objects) -> str``
    The path of this route for ``world``. By default session URLs point at the open session
    (``world.session``) and participant URLs at ``world.participant``; override with keyword
    arguments, e.g. ``route.url(world, session=world.sessions["onthuld"])``. The object
    names are those in ``Route.targets``: ``evaluation``, ``session``, ``participant``,
    ``key_moment``, ``how_question``, ``admin_object``, ``user``, ``member``, ``prompt``,
    ``contribution``, ``outline_import``. Raises ``Unfillable`` when an argument has no known
    source.

``Visitor`` and ``visit_as(client, visitor, world) -> Client``
    The kinds of visitor (anonymous, the participant whose token is in the URL, another
    participant, facilitator, analyst, a team member of another evaluation, superuser), and
    how to make a Django test client into one.

``route_by_name(name) -> Route``
    One route, e.g. ``route_by_name("sessions:console")``.
"""

from __future__ import annotations

import enum
import functools
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.admin.options import BaseModelAdmin
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.regex_helper import normalize

from scoring.conditions import Condition
from scoring.models import Allocation
from sessions.models import (
    Claim,
    Evaluation,
    EvaluationMember,
    KeyMoment,
    Participant,
    Phase,
    ReconstructionSession,
    Role,
    SessionState,
)

PASSWORD = "geheim-wachtwoord-1"


class Unfillable(LookupError):
    """A URL argument that this module does not know how to fill (add it to the tables below)."""


# ----------------------------------------------------------------------------------------------
# The world


@dataclass
class World:
    """One evaluation as a workshop leaves it, plus the people who visit it.

    ``sessions`` maps a state label to a session: ``voorbereiding``, ``open``, ``live``
    (open, live results on), ``gesloten`` (closed, not revealed), ``onthuld`` (closed and
    revealed). ``session`` is the open one. ``participant`` (a verteller) is in every session
    and has scored in all but ``voorbereiding``; ``reflector`` is in every session too;
    ``other_participant`` belongs to the same evaluation but to no group; ``outsider_participant``
    belongs to ``other_evaluation``. Users: ``facilitator``, ``analyst`` (team of
    ``evaluation``), ``outsider`` (facilitator of ``other_evaluation``), ``superuser``.
    All users have the password ``PASSWORD``.
    """

    evaluation: Evaluation
    other_evaluation: Evaluation
    key_moments: list[KeyMoment]
    sessions: dict[str, ReconstructionSession]
    participant: Participant
    reflector: Participant
    other_participant: Participant
    outsider_participant: Participant
    facilitator: Any
    analyst: Any
    outsider: Any
    superuser: Any
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def session(self) -> ReconstructionSession:
        return self.sessions["open"]

    @property
    def key_moment(self) -> KeyMoment:
        return self.key_moments[0]

    @property
    def how_question(self):
        return self.evaluation.how_questions.order_by("pk").first()

    @property
    def report_block(self):
        """A text block of the eindrapport's outline (made from the default preset)."""
        from reports.outline import outline_for

        return outline_for(self.evaluation, "eindrapport").blocks.filter(kind="text").first()

    @property
    def outline_import(self):
        """An uploaded outline file of the eindrapport waiting for confirmation."""
        from reports.models import OutlineImport
        from reports.outline import outline_for
        from reports.outline_file import outline_import_stage

        waiting = OutlineImport.objects.filter(outline__evaluation=self.evaluation).first()
        return (
            waiting
            or outline_import_stage(
                outline=outline_for(self.evaluation, "eindrapport"),
                data=b"# Inleiding\n\nEen tekst uit een bestand.\n\n[[paradoxen]]\n",
                filename="opzet.md",
                user=self.analyst,
            )[0]
        )

    @property
    def user(self):
        return self.facilitator

    @property
    def prompt(self):
        """The open prompt of the slotdialoog (one contribution on it, by the reflector)."""
        return self.extra["prompt"]

    @property
    def contribution(self):
        """The reflector's contribution on ``prompt``: the visiting participant may vote on it."""
        return self.extra["contribution"]

    @property
    def rendered_report(self):
        """A finished eindrapport PDF of this world's evaluation (stand-in bytes)."""
        from reports.models import RenderedReport, ReportKind

        return RenderedReport.objects.get_or_create(
            evaluation=self.evaluation,
            kind=ReportKind.EINDRAPPORT,
            status=RenderedReport.Status.DONE,
            format=RenderedReport.Format.PDF,
            defaults={"content": b"%PDF-1.7 stand-in", "size": 17},
        )[0]

    @property
    def rendered_docx(self):
        """A finished eindrapport Word file of this world's evaluation (stand-in bytes)."""
        from reports.models import RenderedReport, ReportKind

        return RenderedReport.objects.get_or_create(
            evaluation=self.evaluation,
            kind=ReportKind.EINDRAPPORT,
            status=RenderedReport.Status.DONE,
            format=RenderedReport.Format.DOCX,
            defaults={"content": b"PK stand-in", "size": 11},
        )[0]

    @property
    def cards_report(self):
        """Finished participant cards of this world's evaluation (stand-in bytes)."""
        from reports.models import PrintableKind, RenderedReport

        return RenderedReport.objects.get_or_create(
            evaluation=self.evaluation,
            kind=PrintableKind.DEELNEMERSKAARTEN,
            status=RenderedReport.Status.DONE,
            format=RenderedReport.Format.PDF,
            defaults={"content": b"%PDF-1.7 stand-in", "size": 17},
        )[0]

    @property
    def member(self) -> EvaluationMember:
        return self.evaluation.members.get(user=self.facilitator)

    def instance_of(self, model: type[models.Model]) -> models.Model | None:
        """An object of ``model`` that belongs to this world (for admin change pages)."""
        preferred = {
            Evaluation: self.evaluation,
            ReconstructionSession: self.session,
            Participant: self.participant,
            KeyMoment: self.key_moment,
            get_user_model(): self.facilitator,
        }
        if model in preferred:
            return preferred[model]
        manager = model._default_manager
        if any(f.name == "evaluation" for f in model._meta.get_fields()):
            found = manager.filter(evaluation=self.evaluation).order_by("pk").first()
            if found is not None:
                return found
        return manager.order_by("pk").first()


@functools.cache
def _password_hash() -> str:
    # Hashing is slow on purpose (0.2 s); a sweep builds the world hundreds of times.
    return make_password(PASSWORD)


def _user(username: str, **extra):
    return get_user_model().objects.create(username=username, password=_password_hash(), **extra)


def build_world() -> World:
    """Create the world in the test database and return it (about 40 rows, a few ms)."""
    from reports.catalogue import catalogue_install
    from reports.models import Paradox

    now = timezone.now()
    evaluation = Evaluation.objects.create(title="Alliantie Testdijk", slug="testdijk")
    other = Evaluation.objects.create(title="Andere Alliantie", slug="andere")
    catalogue_install(evaluation=evaluation)
    Paradox.objects.create(
        evaluation=evaluation,
        condition=Condition.AMBITIE,
        title="Sterke motor versus effectief proces",
        practice="De ambitie trok iedereen mee.",
    )
    Group.objects.create(name="Facilitatoren")
    moments = [
        KeyMoment.objects.create(
            evaluation=evaluation, order=i, title=f"Moment {i}", phase=phase, period=str(2014 + i)
        )
        for i, phase in enumerate([Phase.START, Phase.UITVOERING, Phase.CRISIS], start=1)
    ]
    participant = Participant.objects.create(
        evaluation=evaluation, name="Vera Verteller", organisation="Waterschap", role=Role.VERTELLER
    )
    reflector = Participant.objects.create(
        evaluation=evaluation, name="Rob Reflector", organisation="Provincie", role=Role.REFLECTOR
    )
    loner = Participant.objects.create(
        evaluation=evaluation, name="Lies Los", organisation="Gemeente", role=Role.REFLECTOR
    )
    outsider_participant = Participant.objects.create(
        evaluation=other, name="Otto Buiten", role=Role.REFLECTOR
    )
    # The two participants who visit (Visitor.PARTICIPANT, OTHER_PARTICIPANT) picked their
    # names on their own devices; the others' names are still free to pick.
    for person in (participant, loner):
        Claim.objects.create(participant=person)
        own_device(person)
    specs = {
        "voorbereiding": dict(state=SessionState.VOORBEREIDING),
        "open": dict(state=SessionState.OPEN, opened_at=now - timedelta(minutes=5)),
        "live": dict(state=SessionState.OPEN, live_results=True, opened_at=now),
        "gesloten": dict(
            state=SessionState.GESLOTEN,
            opened_at=now - timedelta(hours=2),
            closed_at=now - timedelta(hours=1),
        ),
        "onthuld": dict(
            state=SessionState.GESLOTEN,
            revealed=True,
            opened_at=now - timedelta(hours=4),
            closed_at=now - timedelta(hours=3),
        ),
    }
    sessions = {}
    for slot, (label, spec) in enumerate(specs.items(), start=1):
        # Scored while open, then put in its state, as a facilitator's round goes.
        session = ReconstructionSession.objects.create(
            evaluation=evaluation,
            key_moment=moments[slot % len(moments)],
            day=1 + slot // 3,
            slot=slot,
            room="Groep A",
            state=SessionState.OPEN,
        )
        session.participants.set([participant, reflector])
        if label != "voorbereiding":
            Allocation.objects.create(
                session=session,
                participant=participant,
                ambitie=4,
                belangen=2,
                relatie=2,
                organisatie=1,
                proces=1,
            )
        ReconstructionSession.objects.filter(pk=session.pk).update(**spec)
        session.refresh_from_db()
        sessions[label] = session
    facilitator = _user("fenna")
    analyst = _user("anouk")
    outsider = _user("otto", is_staff=True)
    superuser = _user("beheer", email="beheer@example.nl", is_staff=True, is_superuser=True)
    EvaluationMember.objects.create(
        evaluation=evaluation, user=facilitator, role=EvaluationMember.Role.FACILITATOR
    )
    EvaluationMember.objects.create(
        evaluation=evaluation, user=analyst, role=EvaluationMember.Role.ANALYST
    )
    EvaluationMember.objects.create(
        evaluation=other, user=outsider, role=EvaluationMember.Role.FACILITATOR
    )
    prompt, contribution = add_wall(evaluation, author=reflector, voter=participant)
    return World(
        extra={"prompt": prompt, "contribution": contribution},
        evaluation=evaluation,
        other_evaluation=other,
        key_moments=moments,
        sessions=sessions,
        participant=participant,
        reflector=reflector,
        other_participant=loner,
        outsider_participant=outsider_participant,
        facilitator=facilitator,
        analyst=analyst,
        outsider=outsider,
        superuser=superuser,
    )


def add_wall(evaluation: Evaluation, *, author: Participant, voter: Participant | None = None):
    """An open prompt of the slotdialoog with `author`'s contribution on it (and `voter`'s stip
    and own contribution, if given), as in the middle of a closing dialogue. Returns both."""
    from sessions.models import Contribution, Prompt, PromptKind, PromptState, Vote

    question = evaluation.how_questions.order_by("pk").first()
    prompt = Prompt.objects.create(
        evaluation=evaluation,
        kind=PromptKind.RECOMMENDATION,
        key=f"hoevraag:{question.pk}" if question else "",
        title=question.text if question else "Welke aanbeveling geef je?",
        state=PromptState.OPEN,
        opened_at=timezone.now(),
    )
    contribution = Contribution.objects.create(
        prompt=prompt,
        participant=author,
        text="Begin met een gezamenlijke startdag.",
        client_token="a",
    )
    if voter is not None:
        Contribution.objects.create(
            prompt=prompt, participant=voter, text="Maak de ambitie samen.", client_token="b"
        )
        Vote.objects.create(prompt=prompt, contribution=contribution, participant=voter, slot=1)
    return prompt, contribution


# ----------------------------------------------------------------------------------------------
# Visitors


class Visitor(enum.Enum):
    """Who is knocking. The value is a short label for test ids."""

    ANONYMOUS = "anoniem"
    PARTICIPANT = "deelnemer"  # the participant whose token is in the URL, on their own device
    OTHER_PARTICIPANT = "andere-deelnemer"  # someone else of the same evaluation
    FACILITATOR = "facilitator"
    ANALYST = "analist"
    OUTSIDER = "ander-team"  # facilitator (and staff) of another evaluation
    SUPERUSER = "beheerder"


def own_device(participant: Participant) -> str:
    """The device cookie of the participant's own device, which holds their name: every
    client made this participant is that one device (a personal link answers no other,
    privacy2 item 2; anyone else with the link gets the page that offers the take-over)."""
    from sessions.services import claim_bind_device

    secret = f"testapparaat-{participant.pk}"
    claim_bind_device(claim=participant.claim, secret=secret)
    return secret


def _participant_cookies(client: Client, participant: Participant) -> None:
    from sessions import participant_views as pv

    client.cookies[pv.COOKIE] = participant.claim.token
    client.cookies[pv.DEVICE_COOKIE] = own_device(participant)
    # As after typing the join code: the signed cookie that pick and register read.
    client.cookies[pv.JOIN_COOKIE] = signing.get_cookie_signer(
        salt=pv.JOIN_COOKIE + pv.JOIN_COOKIE_SALT
    ).sign(str(participant.evaluation_id))


def visit_as(client: Client, visitor: Visitor, world: World) -> Client:
    """Make ``client`` (a fresh ``django.test.Client``) into ``visitor``; returns it."""
    users = {
        Visitor.FACILITATOR: world.facilitator,
        Visitor.ANALYST: world.analyst,
        Visitor.OUTSIDER: world.outsider,
        Visitor.SUPERUSER: world.superuser,
    }
    if visitor in users:
        client.force_login(users[visitor])
    elif visitor is Visitor.PARTICIPANT:
        _participant_cookies(client, world.participant)
    elif visitor is Visitor.OTHER_PARTICIPANT:
        _participant_cookies(client, world.other_participant)
    return client


# ----------------------------------------------------------------------------------------------
# Routes

# The literal path segment before an ambiguous argument (``pk``, ``id``) says what it is.
SEGMENT_OBJECTS: dict[str, tuple[str, str]] = {
    "sessies": ("session", "pk"),
    "deelnemers": ("participant", "pk"),
    "sleutelmomenten": ("key_moment", "pk"),
    "hoe-vragen": ("how_question", "pk"),
    "pdf": ("rendered_report", "pk"),
    "word": ("rendered_docx", "pk"),
    "kaarten": ("cards_report", "pk"),
    # The facilitator's own membership: removing it is refused (the last facilitator stays),
    # so a sweep that posts there leaves the world intact.
    "team": ("member", "pk"),
    "blok": ("report_block", "pk"),
    "vragen": ("prompt", "pk"),
    "bijdragen": ("contribution", "pk"),
    "inlezen": ("outline_import", "pk"),
}

# Arguments that mean the same everywhere: name -> (object, attribute) or a function of the world.
KWARG_TARGETS: dict[str, tuple[str, str] | Callable[[World], Any]] = {
    "slug": ("evaluation", "slug"),
    "token": ("participant", "claim.token"),  # the personal link is the claim's secret
    "session_id": ("session", "pk"),
    "prompt_id": ("prompt", "pk"),
    "contribution_id": ("contribution", "pk"),
    "section": lambda world: _first_section(),
    "kind": lambda world: "eindrapport",
    # Switching a block off and on is the one block action that leaves the outline whole.
    "action": lambda world: "aan-uit",
    "app_label": lambda world: "workshop",
    "content_type_id": lambda world: ContentType.objects.get_for_model(Evaluation).pk,
    "object_id": ("evaluation", "pk"),  # admin's "view on site" shortcut
    "url": lambda world: "bestaat-niet/",  # admin's catch-all
    "uidb64": lambda world: urlsafe_base64_encode(force_bytes(world.facilitator.pk)),
}


def _first_section() -> str:
    from reports.forms import SECTIONS

    return SECTIONS[0][0]


@dataclass(frozen=True)
class Route:
    """One URL pattern: ``pattern`` is the full pattern (route syntax or regex pieces joined),
    ``name`` the namespaced name (``"sessions:console"``) or None, ``view`` the callable,
    ``kwargs`` the names of the arguments taken from the path, ``defaults`` the extra
    keyword arguments of ``path()`` (e.g. ``{"kind": "eindrapport"}``)."""

    pattern: str
    name: str | None
    view: Callable
    kwargs: tuple[str, ...]
    defaults: dict
    _pieces: tuple = field(repr=False, compare=False)

    @property
    def id(self) -> str:
        """A readable test id."""
        return self.name or self.pattern

    @property
    def model_admin(self) -> BaseModelAdmin | None:
        """The admin of this route's model, for admin pages (else None)."""
        admin = getattr(self.view, "model_admin", None)
        if admin is None:
            # A view of the admin site wrapping a ModelAdmin method (the password change).
            view, seen = self.view, 0
            while view is not None and seen < 20:
                owner = getattr(view, "__self__", None)
                if isinstance(owner, BaseModelAdmin):
                    return owner
                view, seen = getattr(view, "__wrapped__", None), seen + 1
        return admin

    @property
    def is_admin(self) -> bool:
        return self.pattern.startswith("admin/")

    def target(self, kwarg: str) -> tuple[str, str] | Callable[[World], Any]:
        """Where the value of ``kwarg`` comes from; raises Unfillable."""
        if kwarg in {"object_id", "id"} and self.model_admin is not None:
            return ("admin_object", "pk")
        if kwarg == "token" and "uidb64" in self.kwargs:
            return lambda world: default_token_generator.make_token(world.facilitator)
        prefix = ""
        for piece, names in self._pieces:
            if kwarg in names:
                intro = names[kwarg] if isinstance(piece, _RegexPiece) else f"<{names[kwarg]}>"
                before = re.findall(r"([\w-]+)/$", prefix + piece.split(intro)[0])
                if before and before[-1] in SEGMENT_OBJECTS:
                    return SEGMENT_OBJECTS[before[-1]]
                break
            prefix += piece
        if kwarg in KWARG_TARGETS:
            return KWARG_TARGETS[kwarg]
        raise Unfillable(
            f"{self.id}: geen waarde voor <{kwarg}> in {self.pattern!r}; "
            "voeg haar toe aan SEGMENT_OBJECTS of KWARG_TARGETS in tests/urlmap.py"
        )

    @property
    def targets(self) -> set[str]:
        """The world objects this route's URL refers to (e.g. {"evaluation", "session"})."""
        found = set()
        for kwarg in self.kwargs:
            source = self.target(kwarg)
            if isinstance(source, tuple):
                found.add(source[0])
        return found

    def value(self, kwarg: str, world: World, **objects) -> Any:
        source = self.target(kwarg)
        if callable(source):
            return source(world)
        name, attribute = source
        if name in objects:
            obj = objects[name]
        elif name == "admin_object":
            obj = world.instance_of(self.model_admin.model)
            if obj is None:
                return 999999  # no such object in the world: the admin answers "not found"
        else:
            obj = getattr(world, name)
        return operator.attrgetter(attribute)(obj)

    def url(self, world: World, **objects) -> str:
        """The absolute path of this route for ``world`` (see the module docstring)."""
        values = {kwarg: self.value(kwarg, world, **objects) for kwarg in self.kwargs}
        return "/" + "".join(_fill(piece, values) for piece, _names in self._pieces)


class _RegexPiece(str):
    """A regex part of a pattern (admin's app list, catch-all), filled through its groups."""


def _fill(piece: str, values: dict) -> str:
    if isinstance(piece, _RegexPiece):
        (template, params), *_ = normalize(str(piece))
        return template % {k: values[k] for k in params}
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), piece)


def _piece(pattern) -> tuple[str, dict[str, str]]:
    """(route string or regex, {kwarg: the text that introduces it in the piece})."""
    if isinstance(pattern, RoutePattern):
        route = pattern._route
        names = {m.group(2): m.group(1) for m in re.finditer(r"<((?:\w+:)?(\w+))>", route)}
        return route, names
    assert isinstance(pattern, RegexPattern), pattern
    names = {name: f"(?P<{name}>" for name in pattern.regex.groupindex}
    return _RegexPiece(pattern._regex), names


def _walk(patterns, pieces: tuple, namespace: str) -> list[Route]:
    found = []
    for entry in patterns:
        here = (*pieces, _piece(entry.pattern))
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            found.extend(_walk(entry.url_patterns, here, ns))
            continue
        assert isinstance(entry, URLPattern)
        name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
        found.append(
            Route(
                pattern="".join(p.lstrip("^").rstrip("$") for p, _n in here),
                name=name,
                view=entry.callback,
                kwargs=tuple(k for _p, n in here for k in n),
                defaults=dict(entry.default_args),
                _pieces=here,
            )
        )
    return found


def routes() -> list[Route]:
    """Every URL pattern of the project (admin, auth and i18n included), in resolver order."""
    return _walk(get_resolver().url_patterns, (), "")


def route_by_name(name: str) -> Route:
    """The route with this namespaced name; raises KeyError."""
    for route in routes():
        if route.name == name:
            return route
    raise KeyError(name)
