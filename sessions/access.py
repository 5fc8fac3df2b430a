"""One place that decides who may work on an evaluation."""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import Evaluation, EvaluationMember


def get_evaluation_for_team(
    request: HttpRequest, slug: str, roles: tuple[str, ...] | None = None
) -> Evaluation:
    """The evaluation with this slug, if the logged-in user is on its team (in one of `roles`).

    Anyone else gets a 404, so that outsiders cannot even learn which evaluations exist.
    """
    evaluation = get_object_or_404(Evaluation.objects.for_user(request.user), slug=slug)
    if (
        roles is not None
        and not request.user.is_superuser
        and not evaluation.members.filter(user=request.user, role__in=roles).exists()
    ):
        raise Http404
    return evaluation


FACILITATORS = (EvaluationMember.Role.FACILITATOR,)
ANALYSTS = (EvaluationMember.Role.ANALYST,)
