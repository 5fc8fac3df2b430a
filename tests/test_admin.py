import pytest
from django.urls import reverse

from reports.models import HowQuestion
from scoring.models import Allocation
from sessions.models import Evaluation

from .conftest import allocate

MODELS = [
    "workshop/evaluation",
    "workshop/keymoment",
    "workshop/participant",
    "workshop/reconstructionsession",
    "scoring/allocation",
    "reports/paradox",
    "reports/howquestion",
]


@pytest.mark.parametrize("model", MODELS)
def test_admin_list_and_add_pages_render(admin_client, session, verteller, model):
    allocate(session, verteller)
    assert admin_client.get(f"/admin/{model}/").status_code == 200
    # Points have no add page: only the scoring service writes them.
    expected = 403 if model == "scoring/allocation" else 200
    assert admin_client.get(f"/admin/{model}/add/").status_code == expected


def test_admin_change_pages_render(admin_client, session, verteller):
    allocate(session, verteller)
    for obj in (session.evaluation, session, Allocation.objects.get()):
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
        assert admin_client.get(url).status_code == 200


def test_admin_speaks_dutch(admin_client, evaluation):
    html = admin_client.get("/admin/workshop/evaluation/").content.decode()
    assert "evaluaties" in html.lower()
    assert "Deelnamecode" in html


def test_a_new_evaluation_in_the_admin_starts_with_the_catalogue(admin_client, db):
    response = admin_client.post(
        "/admin/workshop/evaluation/add/",
        {
            "title": "Nieuwe alliantie",
            "slug": "nieuw",
            "join_code": "abc234",
            "members-TOTAL_FORMS": 0, "members-INITIAL_FORMS": 0,
            "key_moments-TOTAL_FORMS": 0, "key_moments-INITIAL_FORMS": 0,
            "sessions-TOTAL_FORMS": 0, "sessions-INITIAL_FORMS": 0,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    evaluation = Evaluation.objects.get(slug="nieuw")
    assert evaluation.join_code == "ABC234"
    assert HowQuestion.objects.filter(evaluation=evaluation).count() == 16


def test_the_admin_refuses_an_ambiguous_join_code(admin_client, db):
    response = admin_client.post(
        "/admin/workshop/evaluation/add/",
        {
            "title": "X", "slug": "x", "join_code": "OIL101",
            "members-TOTAL_FORMS": 0, "members-INITIAL_FORMS": 0,
            "key_moments-TOTAL_FORMS": 0, "key_moments-INITIAL_FORMS": 0,
            "sessions-TOTAL_FORMS": 0, "sessions-INITIAL_FORMS": 0,
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "geen 0, O, 1, I of L" in response.content.decode()


def test_the_admin_refuses_a_group_member_from_another_evaluation(
    admin_client, session, outsider_participant
):
    data = {
        "evaluation": session.evaluation_id,
        "key_moment": session.key_moment_id,
        "day": 1,
        "slot": 1,
        "state": "open",
        "participants": [outsider_participant.pk],
        "allocations-TOTAL_FORMS": 0,
        "allocations-INITIAL_FORMS": 0,
    }
    response = admin_client.post(
        f"/admin/workshop/reconstructionsession/{session.pk}/change/", data
    )
    assert response.status_code == 200
    assert "andere evaluatie" in response.content.decode()
    assert outsider_participant not in session.participants.all()


def test_the_admin_cannot_write_points_past_the_scoring_service(admin_client, session, verteller):
    """Issue 9, item 4: a change in the admin reached neither the audit trail nor the projector."""
    allocation = allocate(session, verteller)
    change = reverse("admin:scoring_allocation_change", args=[allocation.pk])
    fields = dict(participant=verteller.pk, session=session.pk, ambitie=10, belangen=0)
    fields.update(relatie=0, organisatie=0, proces=0)
    admin_client.post(change, fields)
    admin_client.post(
        reverse("admin:scoring_allocation_delete", args=[allocation.pk]), {"post": "yes"}
    )
    data = {
        "evaluation": session.evaluation_id,
        "key_moment": session.key_moment_id,
        "day": 1,
        "slot": 1,
        "state": "open",
        "participants": [verteller.pk],
        "allocations-TOTAL_FORMS": 1,
        "allocations-INITIAL_FORMS": 1,
        "allocations-0-id": allocation.pk,
        "allocations-0-session": session.pk,
        "allocations-0-participant": verteller.pk,
        "allocations-0-ambitie": 10,
        "allocations-0-belangen": 0,
        "allocations-0-relatie": 0,
        "allocations-0-organisatie": 0,
        "allocations-0-proces": 0,
    }
    admin_client.post(
        reverse("admin:workshop_reconstructionsession_change", args=[session.pk]), data
    )
    assert Allocation.objects.get().points == allocation.points
