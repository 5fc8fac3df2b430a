"""Every link a visitor is shown works for that visitor (issue 13, room2 item 2).

New-user passes found dead links (on /inzichten/ for the facilitator). The kind: a page shows
a link its reader cannot follow. This crawl logs in as every role on the demo data, starts
where that role starts, follows every internal link (``<a href>``) and every GET form's action
from every page it reaches, and asserts that no link shown answers 404, 405 or 5xx, and none
sends its reader to the login page or answers 403: a link to a page the role may not open is
itself a defect.

Pages of one kind (one URL pattern with the same query keys) are requested every time they
are linked, but their own links are read from the first few only, so the crawl stays bounded
(every session page is checked, not every session page's links).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from evaluatiespiegel.management.commands.demo import DEMO_SLUG
from sessions.models import (
    Claim,
    Evaluation,
    EvaluationMember,
    ReconstructionSession,
    SessionState,
)
from sessions.services import projector_link_set

from .conftest import make_user

pytestmark = pytest.mark.django_db

EXPAND_PER_KIND = 2  # pages of one kind whose links are read
MAX_REQUESTS = 900  # per role: a crawl that runs away is a defect of its own


class _Links(HTMLParser):
    """The links a page shows: hrefs of <a>, actions of GET forms (with their fields)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (how, url)
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href") is not None and "download" not in a:
            self.links.append(("a", a["href"]))
        elif tag == "a" and a.get("href") is not None:
            self.links.append(("download", a["href"]))
        elif tag == "form" and (a.get("method") or "get").lower() == "get":
            self._form = {"action": a.get("action") or "", "fields": []}
        elif tag in ("input", "select", "textarea") and self._form is not None:
            kind = (a.get("type") or "").lower()
            name = a.get("name")
            if not name or kind in ("submit", "button", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["fields"].append((name, a.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            action, fields = self._form["action"], self._form["fields"]
            if fields:
                sep = "&" if "?" in action else "?"
                action = f"{action}{sep}{urlencode(fields)}"
            self.links.append(("form", action))
            self._form = None


@dataclass
class Crawl:
    client: Client
    start: list[str]
    failures: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    requests: int = 0

    def kind(self, url: str) -> str:
        parts = urlsplit(url)
        try:
            match = resolve(parts.path)
        except Resolver404:
            return parts.path
        keys = sorted({k for k, _v in parse_qsl(parts.query, keep_blank_values=True)})
        return f"{match.route}?{'&'.join(keys)}"

    def run(self) -> Crawl:
        queue = deque((url, "(start)", "a") for url in self.start)
        expanded: dict[str, int] = {}
        while queue:
            url, source, how = queue.popleft()
            if url in self.seen:
                continue
            self.seen.add(url)
            self.requests += 1
            assert self.requests <= MAX_REQUESTS, f"more than {MAX_REQUESTS} pages: {url}"
            response = self.client.get(url)
            final = url
            hops = 0
            while response.status_code in (301, 302, 303, 307, 308) and hops < 5:
                final = urljoin(final, response["Location"])
                if urlsplit(final).path == reverse("login") and urlsplit(url).path != final:
                    break
                response = self.client.get(final)
                hops += 1
            status = response.status_code
            if urlsplit(final).path == reverse("login") and urlsplit(url).path != reverse("login"):
                self.failures.append(f"{url} (linked from {source}) sends to the login page")
                continue
            if status in (403, 404, 405) or status >= 500:
                self.failures.append(f"{url} (linked from {source}, {how}) answers {status}")
                continue
            content_type = response.get("Content-Type", "")
            if status != 200 or not content_type.startswith("text/html"):
                continue
            kind = self.kind(final)
            expanded[kind] = expanded.get(kind, 0) + 1
            if expanded[kind] > EXPAND_PER_KIND:
                continue
            parser = _Links()
            parser.feed(response.content.decode())
            for link_how, href in parser.links:
                target = self.internal(final, href)
                if target and target not in self.seen:
                    queue.append((target, final, link_how))
        return self

    @staticmethod
    def internal(page: str, href: str) -> str | None:
        """The path (and query) of an internal link worth following, or None."""
        href = href.strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            return None
        url, _fragment = urldefrag(urljoin(f"http://testserver{page}", href))
        parts = urlsplit(url)
        if parts.netloc != "testserver" or parts.scheme not in ("http", "https"):
            return None
        if parts.path.startswith(("/static/", "/media/")):
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def demo() -> Evaluation:
    call_command("demo", stdout=StringIO())
    evaluation = Evaluation.objects.get(slug=DEMO_SLUG)
    # A round in every state the console can show: one open, one revealed, the rest as the
    # demo has them.
    sessions = list(evaluation.sessions.order_by("day", "slot", "pk"))
    ReconstructionSession.objects.filter(pk=sessions[-1].pk).update(state=SessionState.OPEN)
    return evaluation


def _user(username: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _co_facilitator(evaluation) -> Client:
    user = make_user("co-facilitator")
    EvaluationMember.objects.create(
        evaluation=evaluation, user=user, role=EvaluationMember.Role.FACILITATOR
    )
    client = Client()
    client.force_login(user)
    return client


def _participant(evaluation) -> tuple[Client, list[str]]:
    session = evaluation.sessions.filter(state=SessionState.OPEN).first()
    person = session.participants.order_by("pk").first()
    claim, _created = Claim.objects.get_or_create(participant=person)
    return Client(), [reverse("participant:page", args=[claim.token])]


def _projector(evaluation) -> tuple[Client, list[str]]:
    link = projector_link_set(evaluation=evaluation, active=True)
    return Client(), [reverse("projector_link", args=[link.token])]


ROLES = ["facilitator", "analist", "co-facilitator", "deelnemer", "projector", "anoniem"]


def _visitor(role: str, evaluation) -> tuple[Client, list[str]]:
    home = [reverse("home"), reverse("sessions:overview", args=[evaluation.slug])]
    if role in ("facilitator", "analist"):
        return _user(role), home
    if role == "co-facilitator":
        return _co_facilitator(evaluation), home
    if role == "deelnemer":
        return _participant(evaluation)
    if role == "projector":
        return _projector(evaluation)
    return Client(), [reverse("home"), reverse("login")]


@pytest.mark.parametrize("role", ROLES)
def test_every_link_shown_to_a_role_opens_for_that_role(role, demo):
    client, start = _visitor(role, demo)
    crawl = Crawl(client, start).run()
    assert not crawl.failures, "\n".join(crawl.failures)
    assert len(crawl.seen) >= len(start)


def test_the_crawl_reaches_the_facilitators_pages(demo):
    """The crawl is only as good as what it reaches: the facilitator's tour covers the
    console, the insights, every session and the report workspace."""
    client, start = _visitor("facilitator", demo)
    crawl = Crawl(client, start).run()
    paths = {urlsplit(url).path for url in crawl.seen}
    slug = demo.slug
    assert f"/e/{slug}/inzichten/" in paths
    assert f"/e/{slug}/console/" in paths or any(re.search(r"/console", p) for p in paths)
    sessions = {f"/e/{slug}/sessies/{pk}/" for pk in demo.sessions.values_list("pk", flat=True)}
    assert sessions <= paths
