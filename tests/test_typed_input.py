"""Typed codes, names and link secrets are cleaned in one place before they are looked up
(privacy2 item 4): a join code pasted from a chat with a zero-width space ("3BZTTV\\u200b")
was refused. The kind: invisible (Unicode format, Cf) characters, no-break spaces, a BOM
and fullwidth letters make typed input differ from what is stored.
"""

import pytest
from django.urls import reverse

from evaluatiespiegel.text import clean_path, normalise_typed
from sessions.forms import JoinForm, ParticipantsPasteForm, RegisterForm
from sessions.models import Participant, Role, normalise_join_code

from .conftest import personal_token

ZWSP, NBSP, BOM, WORD_JOINER = "\u200b", "\u00a0", "\ufeff", "\u2060"

PASTED_CODES = {
    "zero-width space after": "{code}" + ZWSP,
    "zero-width space inside": "{head}" + ZWSP + "{tail}",
    "no-break spaces around": NBSP + "{code}" + NBSP,
    "byte-order mark before": BOM + "{code}",
    "word joiner inside": "{head}" + WORD_JOINER + "{tail}",
    "fullwidth": "{fullwidth}",
    "fullwidth lower case": "{fullwidth_lower}",
}


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def _pasted(kind: str, code: str) -> str:
    return PASTED_CODES[kind].format(
        code=code,
        head=code[:3],
        tail=code[3:],
        fullwidth=_fullwidth(code),
        fullwidth_lower=_fullwidth(code.lower()),
    )


@pytest.mark.parametrize("kind", PASTED_CODES)
def test_the_normaliser_makes_every_pasting_the_code(kind):
    assert normalise_join_code(_pasted(kind, "3BZTTV")) == "3BZTTV"


@pytest.mark.parametrize("kind", PASTED_CODES)
def test_the_join_page_finds_the_evaluation_however_the_code_was_pasted(client, evaluation, kind):
    response = client.post(
        reverse("participant:join"), {"code": _pasted(kind, evaluation.join_code)}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"] == reverse("participant:pick")


@pytest.mark.parametrize("kind", PASTED_CODES)
def test_the_join_form_finds_it_too(evaluation, kind):
    form = JoinForm({"code": _pasted(kind, evaluation.join_code)})
    assert form.is_valid(), form.errors
    assert form.evaluation() == evaluation


@pytest.mark.parametrize(
    "typed",
    [
        "Anne de Vries" + ZWSP,
        BOM + "Anne de Vries",
        "Anne" + NBSP + "de" + NBSP + "Vries",
        "Anne de" + WORD_JOINER + " Vries",
        _fullwidth("Anne") + " de Vries",
    ],
)
def test_a_pasted_name_is_the_same_person(evaluation, typed):
    Participant.objects.create(
        evaluation=evaluation, name="Anne de Vries", organisation="Waterschap", role=Role.VERTELLER
    )
    assert Participant.identity(typed, "Waterschap") == Participant.identity(
        "Anne de Vries", "Waterschap"
    )
    form = RegisterForm(
        {"name": typed, "organisation": "Waterschap" + ZWSP, "role": Role.VERTELLER},
        evaluation=evaluation,
    )
    form.is_valid()
    assert form.cleaned_data["name"] == "Anne de Vries"
    assert form.cleaned_data["organisation"] == "Waterschap"
    person = Participant(evaluation=evaluation, name=typed, organisation=NBSP + "Provincie")
    person.role = Role.REFLECTOR
    person.save()
    assert (person.name, person.organisation) == ("Anne de Vries", "Provincie")


def test_a_pasted_list_of_participants_is_cleaned_the_same_way(evaluation):
    form = ParticipantsPasteForm(
        {"lines": f"{BOM}Bert{NBSP}Bos; Gemeente{ZWSP}; verteller\n"}, evaluation=evaluation
    )
    assert form.is_valid(), form.errors
    [person] = form.cleaned_data["lines"]
    assert (person.name, person.organisation) == ("Bert Bos", "Gemeente")


def test_a_pasted_personal_link_with_an_invisible_tail_opens(client, verteller):
    token = personal_token(verteller)
    page = reverse("participant:page", args=[token])
    for pasted in (page + ZWSP, page + "%E2%80%8B", page + "%C2%A0", page[:-1] + ZWSP + "/"):
        response = client.get(pasted)
        assert response.status_code == 302, pasted
        assert response["Location"] == page


def test_the_cleaning_is_one_rule():
    assert normalise_typed(f" {BOM}a{NBSP}{NBSP}b{ZWSP} ") == "a b"
    assert clean_path(f"/p/ab{ZWSP}c/{NBSP}") == "/p/abc/"
    assert clean_path("/p/a b/") == "/p/a b/"  # not a pasting: stays a 404
    assert normalise_typed("ＡＢＣ１２３") == "ABC123"
