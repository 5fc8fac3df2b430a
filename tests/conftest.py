import os
import uuid

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from scoring.models import Allocation
from sessions.models import (
    Claim,
    Evaluation,
    EvaluationMember,
    KeyMoment,
    Participant,
    Phase,
    Prompt,
    PromptState,
    ReconstructionSession,
    Role,
    SessionState,
)
from sessions.wall import contribution_submit

# Browser tests call the ORM from the test thread while Playwright runs an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def _dutch_for_every_test():
    """A request in English (Accept-Language) leaves English active in the thread; the next
    test must not read its Dutch messages in English because of the order tests run in."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def _room_versions_on(settings):
    """Live polls use the room versions (sessions/live.py) in every test, as under make serve,
    in a cache of the test's own: a poll that sends `rv` is answered from it when it may be.
    Process memory stands in for memcached; a change bumps when its transaction commits
    (in a test's own transaction: django_capture_on_commit_callbacks(execute=True))."""
    settings.CACHES = {
        **settings.CACHES,
        "live": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"live-{uuid.uuid4().hex}",
        },
    }


@pytest.fixture(autouse=True)
def _background_tasks_run_at_once(settings):
    """Background tasks run inside the request in tests; test_report_rendering.py also runs
    them through the real database queue and its worker command."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _dutch_unless_asked():
    """Every test starts in Dutch, the site's language. A test client request in English
    leaves English active in the thread afterwards (LocaleMiddleware never deactivates), and
    with English translations present the next test would get English messages."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def make_evaluation(slug: str = "ammd", title: str = "Alliantie Testdijk") -> Evaluation:
    return Evaluation.objects.create(title=title, slug=slug)


def make_user(username: str, **extra):
    return get_user_model().objects.create_user(
        username=username, password="geheim-wachtwoord-1", **extra
    )


@pytest.fixture
def evaluation(db) -> Evaluation:
    return make_evaluation()


@pytest.fixture
def key_moment(evaluation) -> KeyMoment:
    return KeyMoment.objects.create(
        evaluation=evaluation, order=1, title="Ondertekening", phase=Phase.START, period="2015"
    )


@pytest.fixture
def verteller(evaluation) -> Participant:
    return Participant.objects.create(
        evaluation=evaluation, name="Vera Verteller", organisation="Waterschap", role=Role.VERTELLER
    )


@pytest.fixture
def reflector(evaluation) -> Participant:
    return Participant.objects.create(
        evaluation=evaluation, name="Rob Reflector", organisation="Provincie", role=Role.REFLECTOR
    )


@pytest.fixture
def session(evaluation, key_moment, verteller, reflector) -> ReconstructionSession:
    s = ReconstructionSession.objects.create(
        evaluation=evaluation, key_moment=key_moment, day=1, slot=1, state=SessionState.OPEN
    )
    s.participants.set([verteller, reflector])
    return s


@pytest.fixture
def other_evaluation(db) -> Evaluation:
    return make_evaluation(slug="andere", title="Andere Alliantie")


@pytest.fixture
def outsider_participant(other_evaluation) -> Participant:
    return Participant.objects.create(
        evaluation=other_evaluation, name="Otto Buiten", role=Role.REFLECTOR
    )


@pytest.fixture
def facilitator(evaluation):
    user = make_user("fenna")
    EvaluationMember.objects.create(
        evaluation=evaluation, user=user, role=EvaluationMember.Role.FACILITATOR
    )
    return user


@pytest.fixture
def analyst(evaluation):
    user = make_user("anouk")
    EvaluationMember.objects.create(
        evaluation=evaluation, user=user, role=EvaluationMember.Role.ANALYST
    )
    return user


@pytest.fixture
def other_facilitator(other_evaluation):
    """Facilitates another evaluation: must never see ours."""
    user = make_user("otto", is_staff=True)
    EvaluationMember.objects.create(
        evaluation=other_evaluation, user=user, role=EvaluationMember.Role.FACILITATOR
    )
    return user


def points(ambitie=2, belangen=2, relatie=2, organisatie=2, proces=2) -> dict[str, int]:
    return {
        "ambitie": ambitie,
        "belangen": belangen,
        "relatie": relatie,
        "organisatie": organisatie,
        "proces": proces,
    }


def allocate(session, participant, **kwargs) -> Allocation:
    return Allocation.objects.create(session=session, participant=participant, **points(**kwargs))


@pytest.fixture
def world(db):
    """One whole evaluation with every kind of visitor: see tests/urlmap.py."""
    from tests.urlmap import build_world

    return build_world()


def personal_token(participant) -> str:
    """The secret of the participant's personal link: their claim's token (claimed now if
    no device holds the name yet)."""
    claim, _created = Claim.objects.get_or_create(participant=participant)
    return claim.token


# --- The wall of the slotdialoog (tests/test_wall*.py) ---------------------------------------


@pytest.fixture
def prompt(evaluation) -> Prompt:
    """An open prompt of the evaluation."""
    return Prompt.objects.create(
        evaluation=evaluation, title="Welke aanbeveling?", state=PromptState.OPEN
    )


@pytest.fixture
def people(evaluation) -> list[Participant]:
    """Five vertellers of the evaluation, Deelnemer 0 to 4."""
    return [
        Participant.objects.create(
            evaluation=evaluation, name=f"Deelnemer {i}", role=Role.VERTELLER
        )
        for i in range(5)
    ]


def write(participant, prompt, text="Begin samen.", token=None):
    """The participant's contribution `text` on `prompt` (sessions.wall.contribution_submit);
    the text is its client token unless `token` is given."""
    contribution, _created = contribution_submit(
        participant=participant, prompt_id=prompt.pk, text=text, client_token=token or text
    )
    return contribution
