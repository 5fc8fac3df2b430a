from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from scoring.models import Allocation

from .access import get_evaluation_for_team
from .models import Evaluation, Participant, Role


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    evaluations = Evaluation.objects.for_user(request.user).annotate(
        participant_count=Count("participants", distinct=True),
        session_count=Count("sessions", distinct=True),
    )
    return render(request, "sessions/home.html", {"evaluations": evaluations})


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    evaluation = get_evaluation_for_team(request, slug)
    key_moments = evaluation.key_moments.annotate(session_count=Count("sessions"))
    sessions = (
        evaluation.sessions.select_related("key_moment")
        .annotate(
            allocation_count=Count("allocations", distinct=True),
            group_size=Count("participants", distinct=True),
        )
        .prefetch_related(
            Prefetch("participants", queryset=Participant.objects.order_by("role", "name"))
        )
    )
    days: dict[int, list] = {}
    for session in sessions:
        days.setdefault(session.day, []).append(session)
    role_counts = dict(
        evaluation.participants.values_list("role").annotate(n=Count("pk")).order_by()
    )
    participants_by_role = [
        (role.plural, evaluation.participants.filter(role=role).order_by("name")) for role in Role
    ]
    context = {
        "evaluation": evaluation,
        "key_moments": key_moments,
        "days": sorted(days.items()),
        "participants_by_role": participants_by_role,
        "role_counts": [(role.plural, role_counts.get(role.value, 0)) for role in Role],
        "participant_count": sum(role_counts.values()),
        "allocation_count": Allocation.objects.filter(session__evaluation=evaluation).count(),
        "member_role": evaluation.member_role(request.user),
    }
    return render(request, "sessions/overview.html", context)
