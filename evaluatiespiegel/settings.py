"""Settings for Evaluatiespiegel, read from environment variables.

Safe by default: without DJANGO_DEBUG the app runs with debug off, and without
DJANGO_SECRET_KEY it uses a random key kept in a file outside version control,
so no deployment ever runs on a key that is published in this repository.
"""

import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from evaluatiespiegel.env import (  # noqa: F401 - envstr/envfloat for settings added later
    envbool,
    envchoice,
    envfloat,
    envint,
    envlist,
    envstr,
    fail,
)

BASE_DIR = Path(__file__).resolve().parent.parent


def _is_host(item: str) -> bool:
    # A host name, not an address: "https://spiegel.example.nl" here matches no request.
    return "://" not in item and "/" not in item and " " not in item


def _is_origin(item: str) -> bool:
    return item.startswith(("http://", "https://")) and " " not in item


def _secret_key() -> str:
    if key := envstr("DJANGO_SECRET_KEY"):
        return key
    key_file = Path(envstr("DJANGO_SECRET_KEY_FILE", str(BASE_DIR / ".secret_key")))
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    key_file.touch(mode=0o600)
    key_file.write_text(key)
    return key


SECRET_KEY = _secret_key()
DEBUG = envbool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = envlist(
    "DJANGO_ALLOWED_HOSTS",
    "127.0.0.1,localhost,[::1]",
    check=_is_host,
    expected="hostnamen zonder http:// of pad, kommagescheiden, bijv. spiegel.example.nl",
)
CSRF_TRUSTED_ORIGINS = envlist(
    "DJANGO_CSRF_TRUSTED_ORIGINS",
    "",
    check=_is_origin,
    expected="adressen met http:// of https://, kommagescheiden, bijv. https://spiegel.example.nl",
)

INSTALLED_APPS = [
    "evaluatiespiegel.apps.ProjectConfig",
    "evaluatiespiegel.apps.EvaluatiespiegelAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "evaluatiespiegel.apps.AxesConfig",
    "django_tasks",
    "evaluatiespiegel.apps.TasksDatabaseConfig",
    "sessions.apps.WorkshopConfig",
    "scoring.apps.ScoringConfig",
    "reports.apps.ReportsConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "evaluatiespiegel.security.SecurityHeadersMiddleware",
    # A live poll with nothing new is answered here from the room versions, before sessions,
    # locale, CSRF or messages run (sessions/live.py, issue 14).
    "sessions.live.FastPollMiddleware",
    # A pasted link with an invisible or fullwidth character goes to its clean address.
    "evaluatiespiegel.text.PastedPathMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "evaluatiespiegel.middleware.DutchFirstLocaleMiddleware",
    "evaluatiespiegel.errors.ErrorPageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "evaluatiespiegel.limits.BodySizeLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its lockout answer.
    "axes.middleware.AxesMiddleware",
]

# Team logins (app and admin) are throttled by django-axes: after AXES_FAILURE_LIMIT wrong
# passwords for one username from one client, that pair waits AXES_COOLOFF_TIME, even with
# the right password. Counted in the database, so all gunicorn workers share the count; the
# client address is the same rule the venue throttle uses (evaluatiespiegel/clientip.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "evaluatiespiegel.clientip.client_ip"
AXES_LOCKOUT_CALLABLE = "evaluatiespiegel.logins.lockout_response"
AXES_USERNAME_CALLABLE = "evaluatiespiegel.logins.attempt_username"

# The venue throttle for join codes and self-registration (sessions/throttle.py explains the
# rule). A venue behind one address with many typists may need a higher client limit.
JOIN_CLIENT_LIMIT = envint("JOIN_CLIENT_LIMIT", 10, minimum=1)
JOIN_GLOBAL_LIMIT = envint("JOIN_GLOBAL_LIMIT", 1000, minimum=1)
REGISTRATION_CLIENT_LIMIT = envint("REGISTRATION_CLIENT_LIMIT", 30, minimum=1)
REGISTRATION_EVALUATION_LIMIT = envint("REGISTRATION_EVALUATION_LIMIT", 60, minimum=1)

ROOT_URLCONF = "evaluatiespiegel.urls"
WSGI_APPLICATION = "evaluatiespiegel.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# SQLite is the embedded default. Concurrent writers (a room full of participants
# pressing "Verstuur") need WAL, immediate transactions and a busy timeout, or a
# share of them fail with "database is locked".
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"),
}
DATABASE_URL = envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
try:
    _database = dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=envint("DJANGO_CONN_MAX_AGE", 600, minimum=0),
        # Health checks cost a query per request; a broken connection is dropped anyway.
        conn_health_checks=envbool("DJANGO_CONN_HEALTH_CHECKS", False),
    )
except ValueError:  # UnknownSchemeError, ParseError
    raise fail(
        "DATABASE_URL",
        DATABASE_URL,
        "sqlite:///pad/naar/db.sqlite3 of postgres://gebruiker:wachtwoord@host:5432/naam",
    ) from None
DATABASES = {"default": _database}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The room's hot statements (evaluatiespiegel.rawsql.cursor, server-side binding) are
    # prepared after 5 runs on a connection. Django's own cursors bind on the client and never
    # prepare, whatever this says (Django's default None turns preparing off altogether).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    # The tests' database is a file of its own, never Django's shared in-memory one: for that
    # one, the live server hands every request thread the same connection, so a projector's
    # poll could commit or roll back a facilitator's click half-way (a flaky CI). A file gives
    # each thread its own connection, with WAL and the busy timeout, as in production.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"evaluatiespiegel-test-{os.getpid()}.sqlite3")
    }

# Room versions (sessions/live.py) live in a memcached that all server processes share, named
# by DJANGO_MEMCACHED ("unix:/pad/memcached.sock" or "127.0.0.1:11211"); `make serve` starts
# its own. Without it (make run) every live poll checks the database: correct, only slower.
# The default cache is per process and holds nothing that must be shared.
MEMCACHED = envstr("DJANGO_MEMCACHED", "")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if MEMCACHED:
    CACHES["live"] = {
        "BACKEND": "evaluatiespiegel.cache.PersistentPyMemcacheCache",
        "LOCATION": MEMCACHED,
        "KEY_PREFIX": "spiegel",
        # A cache that does not answer at once is treated as absent: the poll asks the database.
        # Writes do not wait for memcached's "STORED": a submit bumps two versions without a
        # round trip (one connection keeps its order, so a later read sees the write).
        "OPTIONS": {
            "connect_timeout": 0.5,
            "timeout": 0.5,
            "no_delay": True,
            "default_noreply": True,
        },
    }

# Slow work (rendering a report) runs in a separate worker process (`manage.py db_worker`,
# started by `make run` and `make serve`), never in the web workers that serve the room.
# The queue is a table in the app's own database: no extra server to run.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

CSRF_FAILURE_VIEW = "evaluatiespiegel.errors.csrf_failure"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
# locale/ holds our own words; library_locale the Dutch of libraries that ship none
# (django-axes, django-tasks: their admin pages).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "evaluatiespiegel" / "library_locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "evaluatiespiegel.staticfinders.PlotlyFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Request bodies (evaluatiespiegel/limits.py): without a team login nothing needs more than a
# few kilobytes (a join code, a name, ten points); team members upload participant lists and
# figures. Larger bodies get 413 before they are read. Uploaded files are private.
ANONYMOUS_MAX_BODY = envint("DJANGO_ANONYMOUS_MAX_BODY", 64 * 1024)
TEAM_MAX_BODY = envint("DJANGO_TEAM_MAX_BODY", 20 * 1024 * 1024)
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Production behind a TLS-terminating proxy: set DJANGO_SECURE=1.
SECURE = envbool("DJANGO_SECURE", False)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = envbool("DJANGO_SSL_REDIRECT", SECURE)
SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 31536000 if SECURE else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
BEHIND_PROXY = envbool("DJANGO_BEHIND_PROXY", False)
# How many trusted proxies append to X-Forwarded-For; the client is the address the last of
# them appended (evaluatiespiegel/clientip.py). Behind one proxy unless said otherwise.
PROXY_COUNT = envint("DJANGO_PROXY_COUNT", 1 if BEHIND_PROXY else 0, minimum=0, maximum=10)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Insight rules (scoring/insights.py): a condition is dominant at a mean of at least
# INSIGHT_DOMINANT_AT points and onderbelicht at most INSIGHT_UNDERLIT_AT; a difference
# between vertellers and reflectoren counts with at least INSIGHT_MIN_PER_ROLE people per
# role and an effect size (Cohen's d) of at least INSIGHT_EFFECT_SIZE.
INSIGHT_DOMINANT_AT = envfloat("INSIGHT_DOMINANT_AT", 3.0, minimum=0, maximum=10)
INSIGHT_UNDERLIT_AT = envfloat("INSIGHT_UNDERLIT_AT", 1.0, minimum=0, maximum=10)
INSIGHT_MIN_PER_ROLE = envint("INSIGHT_MIN_PER_ROLE", 3, minimum=1)
INSIGHT_EFFECT_SIZE = envfloat("INSIGHT_EFFECT_SIZE", 0.8, minimum=0)
# A mean is shown for a role (and individual allocations at all) only with at least this many
# people, so nobody's own points can be read off a screen or report. New evaluations start
# with it; each evaluation can set its own (Evaluation.min_group_size).
MIN_GROUP_SIZE = envint("MIN_GROUP_SIZE", 3, minimum=1)

# Personal links (/p/<token>/) never reach a log: every handler redacts them
# (evaluatiespiegel/logs.py; gunicorn.conf.py does the same for gunicorn's own logs).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "evaluatiespiegel.logs.RedactTokens"}},
    "formatters": {"django.server": {"format": "[{server_time}] {message}", "style": "{"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_tokens"],
        },
    },
    "loggers": {
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
    "root": {
        "handlers": ["console"],
        "level": envchoice(
            "DJANGO_LOG_LEVEL", "WARNING", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
        ),
    },
}
