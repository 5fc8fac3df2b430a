"""Every URL of the project × every kind of visitor, against the role table.

The routes come from the URL resolver (tests/urlmap.py), so a view added later is checked too:
a team page that is not in ACCESS below fails with its name, and the fix is one line saying
which action of sessions.permissions its view requires. What each role may do is not written
here but read from sessions.permissions.ROLE_ACTIONS, the table the README shows.
"""

import pytest
from django.test import Client

from sessions.models import EvaluationMember
from sessions.permissions import ROLE_ACTIONS, Action
from tests.urlmap import Visitor, routes, visit_as

# Team pages: the action their view requires (for every method it accepts).
ACCESS: dict[str, Action] = {
    "sessions:overview": Action.VIEW,
    "sessions:console": Action.VIEW,
    "sessions:console_live": Action.VIEW,
    "sessions:results": Action.VIEW,
    "sessions:insights": Action.VIEW,
    "sessions:participants": Action.VIEW,
    "sessions:participant_anonymise": Action.RUN,
    "sessions:participant_release": Action.RUN,
    "sessions:registrations_remove_unused": Action.RUN,
    "sessions:key_moment_create": Action.RUN,
    "sessions:session_create": Action.RUN,
    "sessions:session": Action.VIEW,
    "sessions:session_edit": Action.RUN,
    "sessions:session_live": Action.VIEW,
    "sessions:session_state": Action.RUN,
    "sessions:reopen": Action.RUN,
    "sessions:projector": Action.VIEW,
    "sessions:projector_live": Action.VIEW,
    "sessions:projector_link_manage": Action.RUN,
    "sessions:wall": Action.VIEW,
    "sessions:wall_live": Action.VIEW,
    "sessions:wall_defaults": Action.RUN,
    "sessions:prompt_state": Action.RUN,
    "sessions:contribution_action": Action.RUN,
    "sessions:wall_projector": Action.VIEW,
    "sessions:wall_projector_live": Action.VIEW,
    "reports:wall": Action.VIEW,
    "reports:workspace": Action.VIEW,
    "reports:preview": Action.VIEW,
    "reports:interim_preview": Action.VIEW,
    "reports:eindrapport": Action.VIEW,
    "reports:tussenrapportage": Action.VIEW,
    "reports:download": Action.VIEW,
    # The Word file: the same rule as the PDF it is laid out beside.
    "reports:eindrapport_docx": Action.VIEW,
    "reports:tussenrapportage_docx": Action.VIEW,
    "reports:download_docx": Action.VIEW,
    "reports:deelnemerskaarten": Action.CARDS,
    "reports:cards_download": Action.CARDS,
    "reports:dagprogramma": Action.VIEW,
    "reports:export": Action.EXPORT,
    "reports:section": Action.WRITE,
    "reports:outline": Action.VIEW,
    "reports:block_add": Action.WRITE,
    "reports:preset": Action.WRITE,
    "reports:block": Action.WRITE,
    "reports:block_action": Action.WRITE,
    "reports:outline_file": Action.VIEW,
    "reports:outline_upload": Action.WRITE,
    "reports:outline_import": Action.WRITE,
    "reports:recommendations": Action.WRITE,
    "reports:session_notes": Action.NOTES,
    "sessions:settings": Action.RUN,
    "sessions:join_code_regenerate": Action.RUN,
    "sessions:key_moments": Action.RUN,
    "sessions:key_moment_edit": Action.RUN,
    "sessions:key_moment_move": Action.RUN,
    "sessions:key_moment_delete": Action.RUN,
    "sessions:participant_edit": Action.RUN,
    "sessions:participant_delete": Action.RUN,
    "sessions:participants_upload": Action.RUN,
    "sessions:group_planner": Action.RUN,
    "sessions:session_timer": Action.RUN,
    "sessions:session_delete": Action.RUN,
    "sessions:team": Action.TEAM,
    "sessions:team_remove": Action.TEAM,
}
# Pages that belong to no evaluation and need the create permission (workshop.add_evaluation).
CREATE_PAGES = {"evaluation_create"}
# Team pages whose POST needs more than their GET.
POST_ACCESS: dict[str, Action] = {
    "sessions:participants": Action.RUN,
    "sessions:wall": Action.RUN,
    "reports:wall": Action.WRITE,
}
# Pages for everyone (the view decides what an anonymous visitor sees).
PUBLIC = {
    "home", "health", "login", "logout", "password_change", "password_change_done",
    "set_language", "participant:join", "participant:pick", "participant:register",
    "participant:leave",
}  # fmt: skip
# Pages opened by a secret token in the URL: a participant's, or a projector link's.
TOKEN_PREFIX = ("p/<token:token>/", "projector/<token:token>/")

TEAM_VISITORS = {
    Visitor.FACILITATOR: EvaluationMember.Role.FACILITATOR,
    Visitor.ANALYST: EvaluationMember.Role.ANALYST,
}


def _may(visitor: Visitor, action: Action) -> bool:
    if visitor is Visitor.SUPERUSER:
        return True
    role = TEAM_VISITORS.get(visitor)
    return role is not None and action in ROLE_ACTIONS[role]


def _sent_to_login(response) -> bool:
    return response.status_code == 302 and "login" in response["Location"]


def _request(route, world, visitor: Visitor, method: str):
    client = visit_as(Client(), visitor, world)
    url = route.url(world)
    return client.get(url) if method == "GET" else client.post(url, {})


def _method(route, world) -> str:
    """GET, unless the view only takes POST."""
    response = _request(route, world, Visitor.SUPERUSER, "GET")
    return "POST" if response.status_code == 405 else "GET"


APP_ROUTES = [r for r in routes() if not r.is_admin]
ADMIN_ROUTES = [r for r in routes() if r.is_admin]


@pytest.mark.parametrize("route", APP_ROUTES, ids=lambda r: r.id)
def test_every_page_answers_each_visitor_as_the_role_table_says(world, route):
    if route.name in PUBLIC:
        for visitor in Visitor:
            for method in ("GET", "POST"):
                response = _request(route, world, visitor, method)
                assert response.status_code < 500, (visitor, method)
        return
    if route.name in CREATE_PAGES:
        for visitor in Visitor:
            response = _request(route, world, visitor, "GET")
            if visitor in (Visitor.ANONYMOUS, Visitor.PARTICIPANT, Visitor.OTHER_PARTICIPANT):
                assert _sent_to_login(response), (visitor, response.status_code)
            elif visitor is Visitor.SUPERUSER:
                assert response.status_code == 200
            else:  # the world's team members were not given the create permission
                assert response.status_code == 403, (visitor, response.status_code)
        return
    if route.pattern.startswith(TOKEN_PREFIX):
        # The token is the key: a wrong one opens nothing, for nobody (the rest is tested
        # with the participant pages).
        for visitor in Visitor:
            client = visit_as(Client(), visitor, world)
            url = route.url(world).replace(world.participant.claim.token, "x" * 43)
            response = client.get(url)
            if response.status_code == 405:
                response = client.post(url, {})
            assert response.status_code == 404, visitor
        return
    assert route.name in ACCESS, (
        f"{route.id} is niet ingedeeld: voeg de route toe aan ACCESS in "
        "tests/test_access_matrix.py, met de Action (sessions/permissions.py) die haar view eist."
    )
    method = _method(route, world)
    action = ACCESS[route.name]
    for visitor in Visitor:
        response = _request(route, world, visitor, method)
        if visitor in (Visitor.ANONYMOUS, Visitor.PARTICIPANT, Visitor.OTHER_PARTICIPANT):
            assert _sent_to_login(response), (visitor, response.status_code)
        elif _may(visitor, action):
            # Allowed: anything but a refusal (an empty POST may well be a 400).
            assert response.status_code not in (403, 404, 405), (visitor, response.status_code)
            assert response.status_code < 500 and not _sent_to_login(response), (
                visitor,
                response.status_code,
            )
        else:
            assert response.status_code == 404, (visitor, response.status_code)
            assert world.evaluation.title not in response.content.decode(errors="replace")
    post_action = POST_ACCESS.get(route.name, action)
    if method == "GET":
        for visitor in (Visitor.FACILITATOR, Visitor.ANALYST, Visitor.OUTSIDER):
            if not _may(visitor, post_action):
                response = _request(route, world, visitor, "POST")
                assert response.status_code in (404, 405), (visitor, response.status_code)


@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=lambda r: r.id)
def test_the_admin_is_for_superusers_only(world, route):
    for visitor in Visitor:
        client = visit_as(Client(), visitor, world)
        url = route.url(world)
        response = client.get(url)
        assert response.status_code < 500, (visitor, response.status_code)
        if route.name in ("admin:login", "admin:logout"):
            continue
        if visitor is Visitor.SUPERUSER:
            assert not _sent_to_login(response), response.status_code
            continue
        assert _sent_to_login(response) or response.status_code == 404, (
            visitor,
            response.status_code,
        )
        assert world.evaluation.title not in response.content.decode(errors="replace")
        # Nor can they write: every admin POST (add, change, delete, actions) is refused too.
        model = route.model_admin.model if route.model_admin is not None else None
        before = model._default_manager.count() if model is not None else None
        response = client.post(url, {"post": "yes", "action": "delete_selected"})
        assert _sent_to_login(response) or response.status_code in (404, 405), (
            visitor,
            "POST",
            response.status_code,
        )
        if model is not None:
            assert model._default_manager.count() == before
