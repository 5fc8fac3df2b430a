"""Junk to every URL as every kind of visitor: never a 5xx, and every error page is ours.

Walks the URL map (tests/urlmap.py), so views added later are fuzzed without touching this
file. Per route, every visitor gets junk query strings, junk and odd-charset form posts, and
every HTTP method; the heavy probes (huge bodies, many fields) go once per route.
"""

import pytest
from django.test import Client

from tests.urlmap import Visitor, routes, visit_as

# Names the app, the admin and the auth views read from query strings and forms.
FIELD_NAMES = [
    "v",
    "sig",
    "wijzig",
    "weergave",
    "rol",
    "zoek",
    "code",
    "format",
    "pseudonymise",
    "next",
    "action",
    "participant",
    "name",
    "organisation",
    "role",
    "ambitie",
    "belangen",
    "relatie",
    "organisatie",
    "proces",
    "language",
    "q",
    "o",
    "p",
    "_to_field",
    "_popup",
    "_changelist_filters",
    "username",
    "password",
    "onbekend-veld",
]
JUNK = ["abc", "", "1.5", "-1", "9" * 40, "nu\x00l", "²", "ë" * 300, "<b>'\"&"]
METHODS = ["options", "put", "patch", "delete", "trace"]
CHARSETS = ["latin-1", "utf-16", "bestaat-niet", "utf-8", "iso-8859-15"]
ENGLISH = [
    "Not Found",
    "Bad Request",
    "Forbidden",
    "Server Error",
    "Method Not Allowed",
    "CSRF verification failed",
    "Too Many Requests",
]

ALL_ROUTES = routes()
ADMIN_VISITORS = [Visitor.ANONYMOUS, Visitor.OUTSIDER, Visitor.SUPERUSER]


def assert_our_answer(response, what: str) -> None:
    """Below 500, and an error page in Dutch in the app's layout (htmx fragments excepted)."""
    status = response.status_code
    assert status < 500, f"{what}: {status}"
    request = response.wsgi_request
    if status < 400 or request.method == "HEAD" or request.headers.get("HX-Request"):
        return
    body = response.content.decode("utf-8", "replace")
    assert '<html lang="nl"' in body, f"{what}: {status} is not our page:\n{body[:300]}"
    assert "css/app.css" in body, f"{what}: {status} is not in our layout"
    for english in ENGLISH:
        assert english not in body, f"{what}: {status} says {english!r}"


def probe(client: Client, method: str, url: str, what: str, **kwargs) -> None:
    response = getattr(client, method)(url, **kwargs)
    assert_our_answer(response, f"{method.upper()} {url} {what}")


def fuzz(client: Client, url: str, visitor: int, label: str) -> None:
    """The probes for one visitor. Junk values, charsets and odd bodies rotate over the
    visitors (``visitor`` is the visitor's number), so that every route meets all of them
    while each visitor sends a few requests, not a hundred. Every other HTTP method goes
    once per route: the method gate answers before any login matters."""

    def pick(options: list, count: int = 1) -> list:
        return [options[(visitor * count + i) % len(options)] for i in range(count)]

    for value in pick(JUNK, 2):
        data = dict.fromkeys(FIELD_NAMES, value)
        probe(client, "get", url, f"{label} ?…={value!r}", data=data)
        probe(client, "post", url, f"{label} form …={value!r}", data=data)
    probe(client, "head", url, label)
    for charset in pick(CHARSETS):
        # generic() sends the bytes as they are; post() would re-encode them first.
        response = client.generic(
            "POST",
            url,
            b"participant=%E9&name=Jos\xe9&ambitie=%FF&code=%E9%E9",
            content_type=f"application/x-www-form-urlencoded; charset={charset}",
        )
        assert_our_answer(response, f"POST {url} {label} charset={charset}")
    odd_bodies = [
        {"data": {}},
        {"data": {"rol": ["a", "b"], "v": ["1", "2"], "participant": ["1", "x"]}},
        {"data": {"a": [1]}, "content_type": "application/json"},
        {"data": {"participant": "1", "bestand": ("x.csv", b"\xff\xfe")}},
        {"data": b"\xff\xfe\x00garbage", "content_type": "multipart/form-data; boundary=x"},
    ]
    for body in pick(odd_bodies):
        probe(client, "post", url, f"{label} {body.get('content_type', 'multipart')}", **body)
    probe(client, "get", url, f"{label} htmx", data={"v": "x"}, headers={"HX-Request": "true"})


@pytest.fixture
def cheap(settings, monkeypatch):
    """Fuzzing is about input, not rendering: PDFs and password hashes are made cheaply."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    import weasyprint

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", lambda self, *a, **k: b"%PDF-1.7 fuzz")


@pytest.mark.parametrize("route", ALL_ROUTES, ids=lambda route: route.id)
def test_junk_never_gives_a_server_error_and_errors_are_dutch_pages(route, world, cheap):
    url = route.url(world)
    if route.is_admin:
        # Django's own admin: staff or not, one junk value each way.
        for number, visitor in enumerate(ADMIN_VISITORS):
            client = visit_as(Client(), visitor, world)
            # The superuser, who gets past the login, always meets the empty value.
            value = "" if visitor is Visitor.SUPERUSER else JUNK[(len(url) + number) % len(JUNK)]
            data = dict.fromkeys(FIELD_NAMES, value)
            probe(client, "get", url, visitor.value, data=data)
            probe(client, "post", url, visitor.value, data=data)
    else:
        for number, visitor in enumerate(Visitor):
            fuzz(visit_as(Client(), visitor, world), url, number, f"als {visitor.value}")
    # Once per route: every method, and bodies over the limits.
    client = visit_as(Client(), Visitor.SUPERUSER, world)
    for method in METHODS:
        probe(client, method, url, "beheerder", data="x=1", content_type="text/plain")
    probe(client, "post", url, "te groot", data={"name": "x" * 3_000_000})
    probe(client, "post", url, "te veel velden", data={f"f{i}": "1" for i in range(1_100)})
    probe(client, "get", url + "?" + "&".join(f"g{i}=1" for i in range(1_100)), "te veel")
