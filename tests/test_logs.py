"""Personal tokens never reach a log (issue 10, item 3)."""

import io
import logging
from datetime import timedelta
from types import SimpleNamespace

from django.urls import reverse

from evaluatiespiegel.logs import GunicornLogger, redact

from .conftest import personal_token, points


def test_a_participant_4xx_is_logged_without_the_token(client, session, verteller):
    token = personal_token(verteller)
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stream = io.StringIO()
    old = handler.setStream(stream)
    try:
        client.post(reverse("participant:submit", args=[token, 999999]), points())
        client.get(reverse("participant:page", args=["x" + token[1:]]))
    finally:
        handler.setStream(old)
    written = stream.getvalue()
    assert "/p/[verborgen]/" in written
    assert token not in written and token[1:] not in written


def test_redact_hides_every_kind_of_personal_path():
    assert redact("GET /p/abc-_DEF123/live/?sig=1 HTTP/1.1") == (
        "GET /p/[verborgen]/live/?sig=1 HTTP/1.1"
    )
    assert redact("referer https://x.nl/p/abc") == "referer https://x.nl/p/[verborgen]"
    assert redact("/e/demo/deelnemers/") == "/e/demo/deelnemers/"


def test_gunicorns_access_log_has_no_token():
    from gunicorn.config import Config

    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", '%(h)s "%(r)s" %(s)s "%(f)s" %({location}o)s')
    logger = GunicornLogger(cfg)
    stream = io.StringIO()
    logger.access_log.handlers[0].setStream(stream)
    token = "Zt0k3n-Zt0k3n-Zt0k3n-Zt0k3n"
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": f"/p/{token}/sessies/1/punten/",
        "PATH_INFO": f"/p/{token}/sessies/1/punten/",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.1",
        "HTTP_REFERER": f"https://x.nl/p/{token}/",
    }
    response = SimpleNamespace(status="302 Found", sent=0, headers=[("Location", f"/p/{token}/")])
    logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=3))
    line = stream.getvalue()
    assert "/p/[verborgen]/sessies/1/punten/" in line
    assert token not in line
