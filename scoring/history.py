"""The change log of a round as the team sees it, with names only where they are allowed.

DESIGN.md §6: individual points are their owner's; the team sees a person's name beside
their points only where the evaluation allows names (Evaluation.team_sees_names). Otherwise
each row carries the person's pseudonym, the day without the time of day, and the rows go
by pseudonym: a time to the second or the order of submits could be matched with the
console's list of who has scored (names, watched live) and so give the pseudonym away.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from sessions.models import ReconstructionSession

from .models import AllocationChange


@dataclass(frozen=True)
class HistoryRow:
    """One create or change of an allocation; `moment` is a datetime when `to_the_second`,
    else a date."""

    person: str
    moment: datetime | date
    to_the_second: bool
    old_summary: str
    new_summary: str


def session_history(session: ReconstructionSession) -> list[HistoryRow]:
    """Every change in `session`: with names newest first, else by pseudonym (each person's
    oldest first). One query."""
    names = session.evaluation.team_sees_names
    changes = AllocationChange.objects.filter(session=session).select_related("participant")
    if names:
        changes = changes.order_by("-changed_at", "-pk")
    else:
        changes = changes.order_by("participant__pseudonym", "changed_at", "pk")
    return [
        HistoryRow(
            person=change.changed_by if names else change.participant.pseudonym,
            moment=change.changed_at if names else timezone.localdate(change.changed_at),
            to_the_second=names,
            old_summary=change.old_summary,
            new_summary=change.new_summary,
        )
        for change in changes
    ]
