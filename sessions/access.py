"""One place that finds an evaluation for a request and checks the role table for it."""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import Evaluation
from .permissions import Action, allowed


def get_evaluation_for_team(
    request: HttpRequest, slug: str, action: Action = Action.VIEW
) -> Evaluation:
    """The evaluation with this slug, if the logged-in user may take `action` on it.

    Anyone else gets a 404, so that outsiders cannot even learn which evaluations exist. The
    allowed actions are kept on the evaluation as `evaluation.allowed` (a frozenset of
    sessions.permissions.Action) for templates and follow-up checks, without another query.
    """
    evaluation = get_object_or_404(Evaluation.objects.for_user(request.user), slug=slug)
    evaluation.allowed = allowed(request.user, evaluation)
    if action not in evaluation.allowed:
        raise Http404
    return evaluation


# Older names for the two checks most views make.
FACILITATORS = Action.RUN
ANALYSTS = Action.WRITE
