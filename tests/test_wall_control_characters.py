"""Control characters typed or sent into the wall never reach the database (second new-user
pass: a NUL byte in a contribution was stored as-is; PostgreSQL refuses such text, a 500)."""

import pytest
from django.urls import reverse

from sessions.models import Participant, Prompt, PromptState, Role
from sessions.wall import contribution_edit

from .conftest import personal_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def prompt(evaluation) -> Prompt:
    return Prompt.objects.create(
        evaluation=evaluation, title="Wat herken je?", state=PromptState.OPEN
    )


@pytest.fixture
def writer(evaluation) -> Participant:
    return Participant.objects.create(evaluation=evaluation, name="Bram", role=Role.VERTELLER)


@pytest.mark.parametrize("sent", ["a\x00b", "a\x07b\x1b", "a\u0000\u0085b"])
def test_a_contribution_keeps_its_words_without_control_characters(client, prompt, writer, sent):
    url = reverse("participant:contribute", args=[personal_token(writer), prompt.pk])
    response = client.post(url, {"text": sent, "client_token": "t\x00k"})
    assert response.status_code == 302
    stored = prompt.contributions.get()
    assert stored.text == "ab"


def test_line_breaks_and_tabs_stay(client, prompt, writer):
    url = reverse("participant:contribute", args=[personal_token(writer), prompt.pk])
    client.post(url, {"text": "Eerst\nDan\tnog", "client_token": "x"})
    assert prompt.contributions.get().text == "Eerst\nDan\tnog"


def test_an_edit_with_a_nul_is_cleaned_too(client, prompt, writer):
    url = reverse("participant:contribute", args=[personal_token(writer), prompt.pk])
    client.post(url, {"text": "Begin", "client_token": "x"})
    contribution = prompt.contributions.get()
    contribution_edit(participant=writer, contribution_id=contribution.pk, text="Be\x00gin")
    contribution.refresh_from_db()
    assert contribution.text == "Begin"


def test_only_control_characters_is_empty(client, prompt, writer):
    url = reverse("participant:contribute", args=[personal_token(writer), prompt.pk])
    response = client.post(url, {"text": "\x00\x00", "client_token": "x"})
    assert response.status_code == 400
    assert not prompt.contributions.exists()
