"""Files and uploads: private SQLite files, bounded request bodies, no silent password reset."""

import os
import stat

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.test import Client, RequestFactory

from evaluatiespiegel.limits import BodySizeLimitMiddleware
from tests.urlmap import routes


class TestSqliteFiles:
    def test_the_database_and_its_wal_files_are_private(self, tmp_path, django_db_blocker):
        old = os.umask(0o022)  # as on a default Debian server
        try:
            name = tmp_path / "db.sqlite3"
            wrapper = DatabaseWrapper(
                {
                    **settings.DATABASES["default"],
                    "ENGINE": "django.db.backends.sqlite3",
                    "NAME": str(name),
                    "OPTIONS": settings.SQLITE_OPTIONS,
                    "TIME_ZONE": None,
                    "CONN_HEALTH_CHECKS": False,
                    "AUTOCOMMIT": True,
                    "ATOMIC_REQUESTS": False,
                    "CONN_MAX_AGE": 0,
                },
                alias="private-test",
            )
            with django_db_blocker.unblock():
                with wrapper.cursor() as cursor:
                    cursor.execute("CREATE TABLE t (x integer)")
                    cursor.execute("INSERT INTO t VALUES (1)")
                files = list(tmp_path.iterdir())
                names = {p.name for p in files}
                assert names >= {"db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm"}
                modes = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in files}
                wrapper.close()
        finally:
            os.umask(old)
        assert set(modes.values()) == {"0o600"}, modes


def big_post(client: Client, url: str, size: int):
    return client.generic(
        "POST", url, b"x" * size, content_type="multipart/form-data; boundary=grens"
    )


ANONYMOUS_ROUTES = [r for r in routes() if not r.is_admin]


class TestBodyLimits:
    @pytest.mark.parametrize("route", ANONYMOUS_ROUTES, ids=lambda r: r.id)
    def test_every_endpoint_refuses_a_large_anonymous_body_with_413(self, world, route):
        response = big_post(Client(), route.url(world), settings.ANONYMOUS_MAX_BODY + 1)
        assert response.status_code == 413
        assert "Te veel gegevens" in response.content.decode()

    def test_the_body_is_not_read_before_it_is_refused(self, db):
        class Untouchable:
            def read(self, *args):
                raise AssertionError("the body was read")

            readline = read

        request = RequestFactory().post("/doe-mee/", data=b"", content_type="text/plain")
        request.META["CONTENT_LENGTH"] = str(300 * 1024 * 1024)
        request.META["wsgi.input"] = Untouchable()
        request._stream = Untouchable()
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
        response = BodySizeLimitMiddleware(lambda r: r.POST and None)(request)
        assert response.status_code == 413

    def test_a_small_anonymous_post_passes(self, client, db):
        response = client.post("/doe-mee/", {"code": "ABCDEF"})
        assert response.status_code != 413

    def test_team_members_may_send_more(self, client, facilitator, evaluation):
        client.force_login(facilitator)
        response = big_post(client, "/", settings.ANONYMOUS_MAX_BODY * 4)
        assert response.status_code != 413
        response = big_post(client, "/", settings.TEAM_MAX_BODY + 1)
        assert response.status_code == 413
