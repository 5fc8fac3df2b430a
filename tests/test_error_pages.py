"""Unexpected input and unexpected methods end in a Dutch page in our layout, never a 5xx."""

import pytest
from django.test import Client

from sessions.participant_views import COOKIE
from tests.urlmap import Visitor, route_by_name, visit_as

ENGLISH = ["Not Found", "Bad Request", "Forbidden", "Server Error", "CSRF verification failed"]


def assert_dutch_error_page(response, status: int) -> str:
    assert response.status_code == status
    body = response.content.decode()
    assert '<html lang="nl"' in body
    assert "css/app.css" in body and 'class="site-header"' in body
    assert f"Foutcode {status}" in body
    for english in ENGLISH:
        assert english not in body
    return body


@pytest.mark.parametrize("value", ["abc", "", "1.5", "-1", "99999999999999999999999"])
def test_picking_a_name_that_is_no_participant_asks_again_in_dutch(value, world):
    client = visit_as(Client(), Visitor.OTHER_PARTICIPANT, world)
    client.cookies.pop(COOKIE)
    response = client.post("/doe-mee/kies/", {"participant": value}, follow=True)
    assert response.status_code == 200
    assert "Kies je naam uit de lijst." in response.content.decode()
    assert COOKIE not in response.cookies


def test_picking_someone_of_another_evaluation_is_refused(world):
    client = visit_as(Client(), Visitor.OTHER_PARTICIPANT, world)
    response = client.post("/doe-mee/kies/", {"participant": world.outsider_participant.pk})
    assert response.status_code == 200
    assert response.cookies.get(COOKIE) is None


def test_picking_yourself_still_works(world):
    client = visit_as(Client(), Visitor.OTHER_PARTICIPANT, world)
    response = client.post("/doe-mee/kies/", {"participant": world.reflector.pk})
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == world.reflector.claim.token


@pytest.mark.parametrize("method", ["options", "trace", "put", "patch", "delete"])
def test_other_http_methods_are_refused_without_running_the_view(method, world, monkeypatch):
    import weasyprint

    def must_not_render(*args, **kwargs):
        raise AssertionError("a PDF was rendered for " + method.upper())

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", must_not_render)
    client = visit_as(Client(), Visitor.ANALYST, world)
    url = route_by_name("reports:eindrapport").url(world)
    response = getattr(client, method)(url)
    assert_dutch_error_page(response, 405)
    assert response["Allow"] == "GET, HEAD, POST"


def test_a_method_decorator_answer_gets_the_dutch_page_and_keeps_its_allow_header(world):
    client = visit_as(Client(), Visitor.FACILITATOR, world)
    response = client.get(route_by_name("sessions:session_state").url(world))
    assert_dutch_error_page(response, 405)
    assert response["Allow"] == "POST"


def test_an_unknown_page_is_a_dutch_404(world):
    body = assert_dutch_error_page(Client().get("/bestaat-niet/"), 404)
    assert "Pagina niet gevonden" in body


@pytest.mark.parametrize("charset", ["latin-1", "iso-8859-15", "utf-16"])
def test_a_form_in_another_charset_is_a_dutch_400(charset, world):
    response = Client().generic(
        "POST",
        "/doe-mee/",
        b"code=%E9%E9",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert_dutch_error_page(response, 400)


def test_a_form_without_csrf_token_is_a_dutch_403_that_says_what_to_do(world):
    response = Client(enforce_csrf_checks=True).post("/doe-mee/", {"code": "ABCDEF"})
    body = assert_dutch_error_page(response, 403)
    assert "Laad de pagina opnieuw" in body


def test_too_big_a_form_is_a_dutch_413_without_a_team_login_and_a_400_with(world):
    # Without a login the body limit (evaluatiespiegel/limits.py) refuses it unread.
    response = Client().post("/doe-mee/", {"code": "x" * 3_000_000})
    assert_dutch_error_page(response, 413)
    # A team member's form field over DATA_UPLOAD_MAX_MEMORY_SIZE: Django's own refusal.
    client = visit_as(Client(), Visitor.FACILITATOR, world)
    response = client.post(
        route_by_name("sessions:participants").url(world), {"x": "x" * 3_000_000}
    )
    assert_dutch_error_page(response, 400)


def test_an_empty_to_field_in_the_admin_is_a_400_not_a_crash(world):
    client = visit_as(Client(), Visitor.SUPERUSER, world)
    url = route_by_name("admin:workshop_evaluation_delete").url(world)
    assert_dutch_error_page(client.get(url, {"_to_field": ""}), 400)
    assert_dutch_error_page(client.post(url, {"_to_field": "", "post": "yes"}), 400)


@pytest.mark.urls("tests.error_urls")
def test_a_crash_is_a_dutch_500_in_our_layout(world):
    response = Client(raise_request_exception=False).get("/test/kapot/")
    body = assert_dutch_error_page(response, 500)
    assert "Er ging iets mis" in body
    assert "opzettelijk" not in body


@pytest.mark.urls("tests.error_urls")
def test_a_bare_429_becomes_the_dutch_page_and_keeps_retry_after(world):
    response = Client().get("/test/te-veel/")
    assert_dutch_error_page(response, 429)
    assert response["Retry-After"] == "60"


@pytest.mark.urls("tests.error_urls")
def test_htmx_requests_keep_their_short_answers(world):
    response = Client().get("/test/te-veel/", headers={"HX-Request": "true"})
    assert response.status_code == 429
    assert response.content == b"Too Many Requests"


@pytest.mark.parametrize("value", ["²", "1.5", "-3", "9" * 40, "nu\x00l"])
def test_a_junk_query_string_shows_the_default_page(value, world):
    participant = visit_as(Client(), Visitor.PARTICIPANT, world)
    assert (
        participant.get(f"/p/{world.participant.claim.token}/", {"wijzig": value}).status_code
        == 200
    )
    assert participant.get("/doe-mee/kies/", {"zoek": value}).status_code == 200
    team = visit_as(Client(), Visitor.FACILITATOR, world)
    for name in ["sessions:results", "sessions:insights", "sessions:projector"]:
        url = route_by_name(name).url(world)
        assert team.get(url, {"rol": value, "weergave": value}).status_code == 200, name


def test_what_nginx_answers_itself_is_our_dutch_page_too(tmp_path, db):
    from evaluatiespiegel.errors import PROXY_STATUSES, write_static_pages
    from evaluatiespiegel.serve import nginx_config

    write_static_pages(str(tmp_path / "_fout"))
    config = nginx_config(listen="127.0.0.1:1", socket_path="/x.sock", run="/r", outer_proxy=False)
    for status in PROXY_STATUSES:
        body = (tmp_path / "_fout" / f"{status}.html").read_text()
        assert '<html lang="nl"' in body and "css/app.css" in body
        assert f"Foutcode {status}" in body
        assert f"/_fout/{status}.html;" in config
    assert "location /_fout/ { internal; root /r; }" in config
