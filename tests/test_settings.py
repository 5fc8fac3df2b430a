"""Settings come from the environment, with defaults that are safe in production."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "debug": settings.DEBUG,
    "secret": settings.SECRET_KEY,
    "hosts": settings.ALLOWED_HOSTS,
    "engine": db["ENGINE"],
    "name": str(db["NAME"]),
    "options": db.get("OPTIONS", {}),
    "conn_max_age": db["CONN_MAX_AGE"],
    "language": settings.LANGUAGE_CODE,
    "tz": settings.TIME_ZONE,
    "languages": [code for code, _ in settings.LANGUAGES],
    "cookie_secure": settings.SESSION_COOKIE_SECURE,
}))
"""


def settings_with(tmp_path, **env) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    clean.update(
        DJANGO_SETTINGS_MODULE="evaluatiespiegel.settings",
        DJANGO_SECRET_KEY_FILE=str(tmp_path / "key"),
        **env,
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_without_configuration_debug_is_off_and_the_key_is_random_and_kept(tmp_path):
    first = settings_with(tmp_path)
    assert first["debug"] is False
    assert len(first["secret"]) >= 50
    assert (tmp_path / "key").stat().st_mode & 0o777 == 0o600
    assert settings_with(tmp_path)["secret"] == first["secret"]
    other = tmp_path / "other"
    other.mkdir()
    assert settings_with(other)["secret"] != first["secret"]


def test_the_environment_sets_debug_key_and_hosts(tmp_path):
    s = settings_with(
        tmp_path,
        DJANGO_DEBUG="1",
        DJANGO_SECRET_KEY="uit-de-omgeving",
        DJANGO_ALLOWED_HOSTS="spiegel.example.nl, localhost",
    )
    assert s["debug"] is True
    assert s["secret"] == "uit-de-omgeving"
    assert s["hosts"] == ["spiegel.example.nl", "localhost"]


def test_the_default_database_is_sqlite_ready_for_concurrent_writers(tmp_path):
    s = settings_with(tmp_path)
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["name"] == str(ROOT / "db.sqlite3")
    assert s["options"]["transaction_mode"] == "IMMEDIATE"
    assert s["options"]["timeout"] >= 5
    assert "journal_mode=WAL" in s["options"]["init_command"]


def test_database_url_selects_postgresql_with_persistent_connections(tmp_path):
    s = settings_with(tmp_path, DATABASE_URL="postgres://u:p@db.local:5432/spiegel")
    assert s["engine"] == "django.db.backends.postgresql"
    assert s["name"] == "spiegel"
    assert s["conn_max_age"] > 0


def test_dutch_first_with_english_available(tmp_path):
    s = settings_with(tmp_path)
    assert s["language"] == "nl"
    assert s["tz"] == "Europe/Amsterdam"
    assert s["languages"] == ["nl", "en"]


def test_secure_cookies_follow_django_secure(tmp_path):
    assert settings_with(tmp_path)["cookie_secure"] is False
    assert settings_with(tmp_path, DJANGO_SECURE="1")["cookie_secure"] is True


def test_sqlite_runs_in_wal_mode(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    assert mode == "wal"
