"""Printables for the room, made by the report machinery (reports/rendering.py).

- Deelnemerskaarten: one A6 card per participant (name, role, organisation, the personal link
  as QR code and as text) for those who score on a phone. The link is the participant's claim
  (sessions.models.Claim): who holds the card holds the name. Only the facilitator may make
  and fetch them (sessions.permissions.Action.CARDS); the PDF is wiped once downloaded, and
  after CARDS_KEEP in any case (reports.rendering.printables_purge).
- Dagprogramma: per day one A4 page to hang on the wall: per round the room or group, the key
  moment and its members.

Like the reports, the HTML is built here (data first) and laid out by WeasyPrint in the
worker, with the same fetcher rules (reports/pdf.py): QR codes are inline SVG data, the fonts
our own static files.
"""

import base64
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urljoin

import segno
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from sessions.models import Evaluation, ReconstructionSession

from . import glyphs
from .models import PrintableKind

CARDS = PrintableKind.DEELNEMERSKAARTEN.value
PROGRAMME = PrintableKind.DAGPROGRAMMA.value
PRINTABLES = {CARDS, PROGRAMME}
PRIVATE = {CARDS}
"""Kinds whose PDF carries secrets: never reused from the cache, wiped once downloaded."""
CARDS_KEEP = timedelta(minutes=30)
"""How long made cards wait for their download before they are wiped unread."""


@dataclass(frozen=True)
class Card:
    """One participant's card: `link` is the absolute personal link, `qr` its QR code as an
    SVG data URI (error correction M, like the console's); both empty when the name has no
    claim (the card then says how to join with the code)."""

    name: str
    organisation: str
    role: str
    link: str
    qr: str


def personal_link(site_url: str, token: str) -> str:
    """The absolute personal link of a claim's `token` on the app at `site_url`."""
    return urljoin(site_url, reverse("participant:page", args=[token]))


def qr_data_uri(link: str) -> str:
    """The QR code of `link` as an SVG data URI, black on white for any printer."""
    svg = segno.make(link, error="m").svg_inline(scale=4, border=2, dark="#000000")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def cards_context(evaluation: Evaluation, *, site_url: str) -> dict:
    """Every participant whose data was not removed, in list order (role, then name)."""
    cards = []
    people = evaluation.participants.filter(anonymised_at__isnull=True).select_related("claim")
    for person in people.in_list_order():
        claim = getattr(person, "claim", None)
        link = personal_link(site_url, claim.token) if claim else ""
        cards.append(
            Card(
                name=person.name,
                organisation=person.organisation,
                role=person.get_role_display(),
                link=link,
                qr=qr_data_uri(link) if link else "",
            )
        )
    return {
        "evaluation": evaluation,
        "cards": cards,
        "join_url": urljoin(site_url, reverse("participant:join")),
    }


def programme_context(evaluation: Evaluation) -> dict:
    """Per day its rounds in order, each with its sessions (room, key moment, members)."""
    sessions = (
        ReconstructionSession.objects.filter(evaluation=evaluation)
        .select_related("key_moment")
        .order_by("day", "slot", "room", "pk")
    )
    days: dict[int, dict[int, list]] = {}
    for session in sessions:
        members = list(session.participants.in_list_order())
        days.setdefault(session.day, {}).setdefault(session.slot, []).append(
            {"session": session, "members": members}
        )
    return {
        "evaluation": evaluation,
        "days": [
            {
                "day": day,
                "rounds": [{"slot": slot, "groups": groups} for slot, groups in rounds.items()],
            }
            for day, rounds in days.items()
        ],
    }


def printable_html(kind: str, evaluation: Evaluation, *, site_url: str = "") -> str:
    """The printable `kind` (CARDS or PROGRAMME) as HTML for WeasyPrint, in Dutch.

    Raises KeyError for another kind. Cards need `site_url`, the app's address as
    participants reach it (e.g. "https://spiegel.example.nl/").
    """
    with translation.override("nl"):
        if kind == CARDS:
            context = cards_context(evaluation, site_url=site_url)
            html = render_to_string("reports/printables/cards.html", context)
        elif kind == PROGRAMME:
            html = render_to_string(
                "reports/printables/programme.html", programme_context(evaluation)
            )
        else:
            raise KeyError(kind)
    # What the bundled fonts cannot draw would print as boxes (reports.glyphs).
    return glyphs.printable(html)
