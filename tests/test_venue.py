"""The venue: typos never lock out the room, guessing stays slow, the client is the one the
trusted proxy saw, self-registration is bounded (issue 10, items 5-7)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluatiespiegel.clientip import client_ip
from sessions.models import Claim, Evaluation, JoinAttempt, Participant
from sessions.throttle import join_link_key

from .conftest import make_evaluation

JOIN = "/doe-mee/"
LIMITS = {"JOIN_CLIENT_LIMIT": 5, "JOIN_WINDOW": timedelta(minutes=10)}


def device(ip="192.0.2.10", **headers) -> Client:
    return Client(REMOTE_ADDR=ip, headers=headers)


def wrong_codes(n: int, ip="192.0.2.10", **headers) -> list[int]:
    return [
        device(ip, **headers).post(JOIN, {"code": f"ZZZZZ{i % 9 + 1}"}).status_code
        for i in range(n)
    ]


class TestJoinCodes:
    @pytest.fixture(autouse=True)
    def limits(self, settings):
        for name, value in LIMITS.items():
            setattr(settings, name, value)

    def test_typos_at_the_venue_never_refuse_the_correct_code(self, evaluation):
        assert device().post(JOIN, {"code": evaluation.join_code}).status_code == 302
        assert wrong_codes(8) == [400] * 5 + [429] * 3
        for _ in range(3):
            assert device().post(JOIN, {"code": evaluation.join_code}).status_code == 302

    def test_a_venue_joining_a_thousand_times_writes_its_memory_once(self, evaluation, settings):
        """Every write waits for SQLite's one write lock, which the room's submits need too
        (issue 14): a room behind one address is remembered once, and stays remembered."""
        settings.JOIN_MEMORY = timedelta(hours=12)
        for _ in range(5):
            assert device().post(JOIN, {"code": evaluation.join_code}).status_code == 302
        joined = JoinAttempt.objects.filter(kind=JoinAttempt.Kind.JOINED)
        assert joined.count() == 1
        # Past half the memory the next join renews it; typos then still never refuse the code.
        joined.update(at=joined.get().at - timedelta(hours=7))
        assert device().post(JOIN, {"code": evaluation.join_code}).status_code == 302
        assert joined.count() == 2
        wrong_codes(8)
        assert device().post(JOIN, {"code": evaluation.join_code}).status_code == 302

    def test_a_throttled_client_learns_nothing_about_codes_it_has_not_used(
        self, evaluation, other_evaluation
    ):
        device().post(JOIN, {"code": evaluation.join_code})
        wrong_codes(5)
        right_but_new = device().post(JOIN, {"code": other_evaluation.join_code})
        wrong = device().post(JOIN, {"code": "ZZZZZZ"})
        assert right_but_new.status_code == wrong.status_code == 429
        assert "Scan de QR-code" in right_but_new.content.decode()

    def test_a_throttled_client_is_refused_a_right_code_it_never_used_like_a_wrong_one(
        self, evaluation, other_evaluation
    ):
        """Tester's M5: 429 for every wrong code, 302 for a right one would be an oracle."""
        wrong_codes(5, ip="198.51.100.7")
        assert device("198.51.100.7").post(JOIN, {"code": "ZZZZZZ"}).status_code == 429
        code = other_evaluation.join_code
        wrong = "ZZZZZY" if code != "ZZZZZY" else "ZZZZZX"
        answers = {}
        for typed in (code, wrong):
            with CaptureQueriesContext(connection) as queries:
                response = device("198.51.100.7").post(JOIN, {"code": typed})
            answers[typed] = (
                response.status_code,
                # the CSRF token differs on every page anyway
                re.sub(
                    r"[A-Za-z0-9]{64}", "TOKEN", response.content.decode().replace(typed, "CODE")
                ),
                len(queries.captured_queries),
            )
        assert answers[code] == answers[wrong]
        assert answers[code][0] == 429

    def test_the_qr_link_of_the_projector_always_works(self, evaluation):
        wrong_codes(6)
        code = evaluation.join_code
        assert device().get(JOIN, {"code": code, "k": "0" * 20}).status_code == 429
        qr = device().get(JOIN, {"code": code, "k": join_link_key(code)})
        assert qr.status_code == 302 and qr.url == reverse("participant:pick")

    def test_the_projector_shows_the_qr_link_with_its_key(self, client, facilitator, session):
        client.force_login(facilitator)
        url = reverse("sessions:projector", args=[session.evaluation.slug, session.pk])
        link = client.get(url).context["join_url"]
        assert f"k={join_link_key(session.evaluation.join_code)}" in link

    def test_other_clients_are_not_slowed_by_one_guesser(self, evaluation):
        wrong_codes(6)
        assert device("198.51.100.7").post(JOIN, {"code": "ZZZZZZ"}).status_code == 400
        assert device("198.51.100.7").post(JOIN, {"code": evaluation.join_code}).status_code == 302

    @override_settings(JOIN_CLIENT_LIMIT=100, JOIN_GLOBAL_LIMIT=4)
    def test_a_global_ceiling_holds_when_guesses_come_from_many_clients(self, evaluation):
        statuses = [
            device(f"203.0.113.{i}").post(JOIN, {"code": "ZZZZZZ"}).status_code for i in range(6)
        ]
        assert statuses == [400] * 4 + [429] * 2
        assert device("203.0.113.99").post(JOIN, {"code": evaluation.join_code}).status_code == 429
        code = evaluation.join_code
        assert (
            device("203.0.113.99").get(JOIN, {"code": code, "k": join_link_key(code)}).status_code
            == 302
        )

    def test_throttled_guesses_are_not_stored(self, evaluation):
        wrong_codes(20)
        assert JoinAttempt.objects.filter(kind=JoinAttempt.Kind.WRONG_CODE).count() == 5


class TestClientAddress:
    def request(self, remote="10.0.0.1", forwarded=None):
        headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
        return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)

    def test_without_proxies_the_header_is_ignored(self, settings):
        settings.PROXY_COUNT = 0
        assert client_ip(self.request(forwarded="1.2.3.4")) == "10.0.0.1"

    def test_behind_one_proxy_only_the_address_it_appended_counts(self, settings):
        settings.PROXY_COUNT = 1
        assert client_ip(self.request(forwarded="6.6.6.6, 203.0.113.5")) == "203.0.113.5"
        assert client_ip(self.request(forwarded="203.0.113.5")) == "203.0.113.5"

    def test_behind_two_proxies_the_second_from_the_right(self, settings):
        settings.PROXY_COUNT = 2
        forwarded = "6.6.6.6, 203.0.113.5, 198.51.100.1"
        assert client_ip(self.request(forwarded=forwarded)) == "203.0.113.5"

    def test_a_short_or_broken_header_falls_back_to_the_connection(self, settings):
        settings.PROXY_COUNT = 2
        assert client_ip(self.request(forwarded="203.0.113.5")) == "10.0.0.1"
        settings.PROXY_COUNT = 1
        assert client_ip(self.request(forwarded="nonsense")) == "10.0.0.1"
        assert client_ip(self.request(forwarded="")) == "10.0.0.1"

    def test_ipv6_clients_count_per_64_network(self, settings):
        settings.PROXY_COUNT = 0
        one = client_ip(self.request(remote="2001:db8:1:2::1"))
        other = client_ip(self.request(remote="2001:db8:1:2:ffff::9"))
        assert one == other == "2001:db8:1:2::"
        assert client_ip(self.request(remote="::ffff:192.0.2.1")) == "192.0.2.1"

    @override_settings(PROXY_COUNT=1, **LIMITS)
    def test_rotating_the_forwarded_header_does_not_escape_the_throttle(self, evaluation):
        statuses = [
            Client(REMOTE_ADDR="127.0.0.1", headers={"X-Forwarded-For": f"10.9.{i}.1, 203.0.113.5"})
            .post(JOIN, {"code": "ZZZZZZ"})
            .status_code
            for i in range(7)
        ]
        assert statuses == [400] * 5 + [429] * 2


def registering(evaluation, ip="192.0.2.10") -> Client:
    client = Client(REMOTE_ADDR=ip)
    client.post(JOIN, {"code": evaluation.join_code})
    return client


def register(client: Client, name: str):
    return client.post(
        reverse("participant:register"),
        {"name": name, "organisation": "Gemeente", "role": "reflector"},
    )


@pytest.fixture
def open_evaluation(evaluation) -> Evaluation:
    evaluation.self_registration = True
    evaluation.save()
    return evaluation


class TestSelfRegistration:
    @override_settings(REGISTRATION_CLIENT_LIMIT=3)
    def test_it_is_limited_per_client(self, open_evaluation):
        statuses = [
            register(registering(open_evaluation), f"Naam {i}").status_code for i in range(5)
        ]
        assert statuses == [302] * 3 + [429] * 2
        refused = register(registering(open_evaluation), "Nog een")
        assert "Vraag de facilitator" in refused.content.decode()
        assert register(registering(open_evaluation, "198.51.100.7"), "Elders").status_code == 302

    @override_settings(REGISTRATION_CLIENT_LIMIT=100, REGISTRATION_EVALUATION_LIMIT=3)
    def test_it_is_limited_per_evaluation(self, open_evaluation):
        statuses = [
            register(registering(open_evaluation, f"203.0.113.{i}"), f"Naam {i}").status_code
            for i in range(4)
        ]
        assert statuses == [302] * 3 + [429]
        other = make_evaluation(slug="derde", title="Derde")
        other.self_registration = True
        other.save()
        assert register(registering(other, "203.0.113.50"), "Naam 9").status_code == 302

    def test_a_registration_claims_the_new_name_for_the_device(self, open_evaluation):
        client = registering(open_evaluation)
        response = register(client, "Nieuwe Naam")
        person = Participant.objects.get(name="Nieuwe Naam")
        assert person.self_registered
        assert response.url == reverse("participant:page", args=[person.claim.token])

    def test_the_facilitator_sees_self_registrations_and_removes_the_unused_ones(
        self, client, facilitator, open_evaluation, verteller, session
    ):
        for name in ("Vera Vertel1er", "Vera Verte11er"):
            register(registering(open_evaluation), name)
        kept = Participant.objects.get(name="Vera Vertel1er")
        session.participants.add(kept)
        client.force_login(facilitator)
        url = reverse("sessions:participants", args=[open_evaluation.slug])
        html = client.get(url).content.decode()
        assert html.count("zelf aangemeld") >= 2
        assert "1 zelfaanmelding zonder groep en scores verwijderen" in html
        client.post(reverse("sessions:registrations_remove_unused", args=[open_evaluation.slug]))
        names = set(open_evaluation.participants.values_list("name", flat=True))
        assert names == {"Vera Verteller", "Rob Reflector", "Vera Vertel1er"}

    def test_unused_self_registrations_go_at_once(
        self, client, facilitator, analyst, open_evaluation, verteller
    ):
        for i in range(4):
            register(registering(open_evaluation, f"203.0.113.{i}"), f"Lookalike {i}")
        url = reverse("sessions:registrations_remove_unused", args=[open_evaluation.slug])
        client.force_login(analyst)
        assert client.post(url).status_code == 404
        client.force_login(facilitator)
        client.post(url)
        assert list(open_evaluation.participants.all()) == [verteller]
        assert not Claim.objects.exists()
