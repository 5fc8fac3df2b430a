"""The role table: who may do what, in the app and in the admin. One definition, used everywhere.

The README's "Rollen" table is this module in words; a test compares the two. Views ask
`may(user, evaluation, action)` (or let `sessions.access.get_evaluation_for_team` ask it),
templates get the set of allowed actions as `allowed`, and the admin is open to superusers
only (`admin_allowed`), so there is no second, looser set of rules in Django's model
permissions.

Roles are per evaluation (`EvaluationMember.role`); a superuser (beheerder) may do everything
in every evaluation without being on its team.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from .models import Evaluation, EvaluationMember


class Action(StrEnum):
    """What someone does with one evaluation."""

    #: See the evaluation: overview, console, sessions, results, insights, projector,
    #: participant list, report workspace, previews and PDFs.
    VIEW = "view"
    #: Run the room: key moments, participants (add, edit, remove personal data), sessions,
    #: groups, opening/closing/revealing rounds, the slotdialoog's prompts (open, close,
    #: hide, merge, pin, reveal stippen), settings and join code.
    RUN = "run"
    #: Print the participant cards: each carries a live personal link (the claim's secret).
    CARDS = "cards"
    #: Invite team members and remove them.
    TEAM = "team"
    #: Record a session's notes (reconstruction, reflections, insights, lessons).
    NOTES = "notes"
    #: Write the eindrapport: sections, paradoxes, how-questions, recommendations, and take
    #: contributions of the slotdialoog into it.
    WRITE = "write"
    #: Export the raw data (CSV/XLSX) with pseudonyms.
    EXPORT = "export"
    #: Export the raw data with names and organisations.
    EXPORT_NAMES = "export_names"


Role = EvaluationMember.Role

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.FACILITATOR: frozenset(
        {Action.VIEW, Action.RUN, Action.CARDS, Action.TEAM, Action.NOTES, Action.EXPORT}
    ),
    Role.ANALYST: frozenset(
        {Action.VIEW, Action.NOTES, Action.WRITE, Action.EXPORT, Action.EXPORT_NAMES}
    ),
}
"""Per team role, what it may do in its own evaluations. The analyst writes the report and
owns the raw data (names included); the facilitator runs the room and takes pseudonymised
data only, so that no file with names leaves the app unless the analyst asks for it."""

ACTION_LABELS = {
    Action.VIEW: _("evaluatie bekijken (console, resultaten, inzichten, projector, rapporten)"),
    Action.RUN: _(
        "de zaal leiden: sleutelmomenten, deelnemers, sessies, rondes, slotdialoog, instellingen"
    ),
    Action.CARDS: _("deelnemerskaarten met persoonlijke links afdrukken"),
    Action.TEAM: _("teamleden uitnodigen en verwijderen"),
    Action.NOTES: _("sessienotities vastleggen"),
    Action.WRITE: _(
        "eindrapport schrijven: hoofdstukken, paradoxen, hoe-vragen, aanbevelingen, "
        "bijdragen uit de slotdialoog overnemen"
    ),
    Action.EXPORT: _("gegevens exporteren met pseudoniemen"),
    Action.EXPORT_NAMES: _("gegevens exporteren met namen"),
}

ALL_ACTIONS = frozenset(Action)

CREATE_PERMISSION = "workshop.add_evaluation"
"""Django permission that lets a non-superuser create evaluations (becoming their facilitator)."""


def allowed(user, evaluation: Evaluation) -> frozenset[Action]:
    """The actions `user` may take on `evaluation`; empty for outsiders and anonymous users.

    Costs one query (the membership) unless the user is a superuser or anonymous. A view
    that needs several answers asks once and keeps the set.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return ALL_ACTIONS
    role = (
        EvaluationMember.objects.filter(evaluation=evaluation, user=user)
        .values_list("role", flat=True)
        .first()
    )
    return ROLE_ACTIONS.get(role, frozenset())


def may(user, evaluation: Evaluation, action: Action) -> bool:
    """Whether `user` may take `action` on `evaluation` (see ROLE_ACTIONS)."""
    return action in allowed(user, evaluation)


def may_create_evaluation(user) -> bool:
    """Superusers, and users given the permission `workshop.add_evaluation` (README: Rollen)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.has_perm(CREATE_PERMISSION)


def admin_allowed(user) -> bool:
    """The admin (Beheer) is the superuser's tool; the team works in the app.

    Django's admin would otherwise follow model permissions, a second role table that
    knows nothing of evaluations: with it an analyst opened rounds and joined teams.
    """
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))
